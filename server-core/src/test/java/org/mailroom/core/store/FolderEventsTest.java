package org.mailroom.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mailroom.core.store.maildir.MaildirStore;
import org.mailroom.core.store.mbox.MboxStore;

/**
 * The event log every store's views share ({@link FolderEvents}), alone and under many views of
 * one folder in both stores (1,000 sessions idling on one INBOX).
 */
class FolderEventsTest {
    static final String ALICE = "alice@example.test";

    @TempDir
    Path tmp;

    private static MessageRef ref(long uid, Set<Flag> flags) {
        return new MessageRef(uid, 10, 11, Instant.EPOCH, flags, Set.of(), uid);
    }

    // ---- the log alone ------------------------------------------------------------------------

    @Test
    void eventsAreKeptUntilEveryViewReadThemAndDroppedWhenNobodyWatches() {
        FolderEvents log = new FolderEvents();
        log.publish(List.of(new FolderEvent.Added(ref(1, Set.of()))));
        assertEquals(1, log.end());
        assertEquals(0, log.retained(), "no view: nothing kept");
        long a = log.join(), b = log.join();
        assertEquals(1, a);
        assertFalse(log.pending(a));
        log.publish(List.of(new FolderEvent.Added(ref(2, Set.of())), new FolderEvent.Expunged(1)));
        assertTrue(log.pending(a));
        assertTrue(log.expungePending(a));
        assertEquals(2, log.take(a).size());
        assertEquals(2, log.retained(), "b has not read them");
        assertEquals(2, log.take(b).size());
        assertEquals(0, log.retained());
        long read = log.end(); // where a and b stand now
        assertFalse(log.expungePending(read), "read: no expunge pending any more");
        long c = log.join();
        log.publish(List.of(new FolderEvent.Added(ref(3, Set.of()))));
        assertTrue(log.pending(c));
        assertFalse(log.expungePending(c), "an addition is not an expunge");
        log.leave(c);
        assertEquals(1, log.retained());
        log.leave(read); // a and b
        log.leave(read);
        assertEquals(0, log.retained(), "the last view left: nothing kept");
    }

    @Test
    void oneReplayIsSharedByViewsThatStoodAtTheSamePlaceButOwnChangesStaySilent() {
        FolderEvents log = new FolderEvents();
        List<MessageRef> snap = List.of(ref(1, Set.of()), ref(2, Set.of()));
        Object v1 = new Object(), v2 = new Object(), v3 = new Object();
        long p1 = log.join(), p2 = log.join(), p3 = log.join();
        log.publish(List.of(new FolderEvent.Changed(ref(1, Set.of(Flag.SEEN)), v2), new FolderEvent.Added(ref(3, Set.of()))));
        long end = log.end();
        // v1 first: its result is remembered, and v3 gets the very same one
        ViewReplay.Result r1 = log.replay(snap, p1, end, log.take(p1), v1);
        assertEquals(List.of(1L), r1.changes().changed().stream().map(MessageRef::uid).toList());
        assertEquals(List.of(3L), r1.changes().added().stream().map(MessageRef::uid).toList());
        // v2 made the flag change: silent for it, although the result before said otherwise
        ViewReplay.Result r2 = log.replay(snap, p2, end, log.take(p2), v2);
        assertTrue(r2.changes().changed().isEmpty());
        assertEquals(Set.of(Flag.SEEN), r2.snapshot().get(0).flags());
        ViewReplay.Result r3 = log.replay(snap, p3, end, log.take(p3), v3);
        assertSame(r1.snapshot(), r3.snapshot(), "one snapshot list for both");
        assertEquals(r1.changes(), r3.changes());
        // v2 made its own list; at the next change it shares again
        long p = log.end();
        log.publish(List.of(new FolderEvent.Expunged(2)));
        long end2 = log.end();
        ViewReplay.Result n2 = log.replay(r2.snapshot(), p, end2, log.take(p), v2);
        ViewReplay.Result n1 = log.replay(r1.snapshot(), p, end2, log.take(p), v1);
        ViewReplay.Result n3 = log.replay(r3.snapshot(), p, end2, log.take(p), v3);
        assertSame(n2.snapshot(), n1.snapshot());
        assertSame(n2.snapshot(), n3.snapshot());
        assertEquals(List.of(2L), n1.changes().expunged());
        assertEquals(List.of(1L, 3L), n1.snapshot().stream().map(MessageRef::uid).toList());
        assertThrows(UnsupportedOperationException.class, () -> r1.changes().added().clear(), "shared, so unmodifiable");
    }

    @Test
    void ownChangeFirstIsNotHandedToTheOthersAsSilent() {
        FolderEvents log = new FolderEvents();
        List<MessageRef> snap = List.of(ref(1, Set.of()));
        Object v1 = new Object(), v2 = new Object();
        long p1 = log.join(), p2 = log.join();
        log.publish(List.of(new FolderEvent.Changed(ref(1, Set.of(Flag.FLAGGED)), v1)));
        long end = log.end();
        assertTrue(log.replay(snap, p1, end, log.take(p1), v1).changes().changed().isEmpty());
        ViewReplay.Result r2 = log.replay(snap, p2, end, log.take(p2), v2);
        assertEquals(List.of(1L), r2.changes().changed().stream().map(MessageRef::uid).toList());
    }

    @Test
    void replayDropsTheExpungedKeepsOrderAndTakesTheNewestFlags() {
        List<MessageRef> snap = new ArrayList<>();
        for (long uid = 1; uid <= 10; uid++) snap.add(ref(uid, Set.of()));
        Object self = new Object(), other = new Object();
        ViewReplay.Result r = ViewReplay.replay(snap, List.of(
                new FolderEvent.Changed(ref(4, Set.of(Flag.SEEN)), other),
                new FolderEvent.Changed(ref(4, Set.of(Flag.SEEN, Flag.FLAGGED)), self), // after the other's: newest wins
                new FolderEvent.Changed(ref(6, Set.of(Flag.ANSWERED)), self),
                new FolderEvent.Expunged(9), new FolderEvent.Expunged(2), new FolderEvent.Expunged(2),
                new FolderEvent.Expunged(42), // never in the snapshot
                new FolderEvent.Added(ref(11, Set.of())),
                new FolderEvent.Changed(ref(7, Set.of(Flag.DRAFT)), other),
                new FolderEvent.Expunged(7)), self);
        assertEquals(List.of(1L, 3L, 4L, 5L, 6L, 8L, 10L, 11L), r.snapshot().stream().map(MessageRef::uid).toList());
        assertEquals(Set.of(Flag.SEEN, Flag.FLAGGED), r.snapshot().get(2).flags());
        assertEquals(Set.of(Flag.ANSWERED), r.snapshot().get(4).flags(), "own change applied silently");
        assertEquals(List.of(4L), r.changes().changed().stream().map(MessageRef::uid).toList());
        assertEquals(Set.of(Flag.SEEN, Flag.FLAGGED), r.changes().changed().get(0).flags());
        assertEquals(List.of(9L, 2L, 42L, 7L), r.changes().expunged());
        assertEquals(List.of(11L), r.changes().added().stream().map(MessageRef::uid).toList());

        // few changes in a large snapshot are found by binary search, many by one pass: same result
        List<MessageRef> big = new ArrayList<>();
        for (long uid = 1; uid <= 800; uid += 2) big.add(ref(uid, Set.of()));
        for (long[] changedUids : new long[][] {{3, 799}, java.util.stream.LongStream.rangeClosed(1, 799).toArray()}) {
            List<FolderEvent> events = new ArrayList<>();
            for (long uid : changedUids) events.add(new FolderEvent.Changed(ref(uid, Set.of(Flag.SEEN)), other));
            List<MessageRef> after = ViewReplay.replay(big, events, self).snapshot();
            assertEquals(big.stream().map(MessageRef::uid).toList(), after.stream().map(MessageRef::uid).toList());
            for (MessageRef m : after) {
                boolean named = java.util.Arrays.stream(changedUids).anyMatch(u -> u == m.uid());
                assertEquals(named ? Set.of(Flag.SEEN) : Set.of(), m.flags(), "uid " + m.uid());
            }
        }
    }

    @Test
    void recentCountIsTheNumberOfSnapshotUidsInTheRanges() {
        List<MessageRef> snap = new ArrayList<>();
        for (long uid : new long[] {1, 2, 4, 5, 7, 9}) snap.add(ref(uid, Set.of()));
        assertEquals(4, ViewReplay.countIn(snap, List.of(new long[] {2, 5}, new long[] {8, 9})));
        assertEquals(0, ViewReplay.countIn(snap, List.of(new long[] {10, 12})));
        assertEquals(0, ViewReplay.countIn(List.of(), List.of(new long[] {1, 1})));
        assertEquals(6, ViewReplay.countIn(snap, List.of(new long[] {1, 9})));
    }

    // ---- many views of one folder, both stores ---------------------------------------------

    private MailStore store(String kind) {
        MaildirStore maildir = new MaildirStore(tmp.resolve("mail"), "mx.example.test");
        return kind.equals("maildir") ? maildir
                : new MboxStore(maildir, a -> true, MboxStore.defaultInbox(maildir));
    }

    private static void deliver(MailStore store, String text) throws Exception {
        StoreDelivery d = store.newDelivery();
        d.addRecipient(ALICE);
        ContentBuffer b = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        b.append(text.getBytes(UTF_8));
        d.write(b);
        d.commit();
    }

    @ParameterizedTest
    @ValueSource(strings = {"maildir", "mbox"})
    void thousandViewsWokenByOneDeliveryAllSeeItAndShareOneSnapshot(String kind) throws Exception {
        MailStore store = store(kind);
        deliver(store, "Subject: one\n\none\n");
        int n = 1000;
        List<Mailbox> views = new ArrayList<>();
        AtomicInteger[] woken = new AtomicInteger[n];
        try {
            for (int i = 0; i < n; i++) {
                Mailbox m = store.openInbox(ALICE);
                views.add(m);
                woken[i] = new AtomicInteger();
                m.onChange(woken[i]::incrementAndGet);
            }
            assertSame(views.get(0).messages(), views.get(n - 1).messages(), "opened on an unchanged folder: one list");
            deliver(store, "Subject: two\n\ntwo\n"); // the callbacks run before commit returns
            // at least once: the directory watcher may wake them again while the event is unread
            for (int i = 0; i < n; i++) assertTrue(woken[i].get() >= 1, "view " + i + " woken");
            for (int i = 0; i < n; i++) {
                Mailbox m = views.get(i);
                assertTrue(m.hasChanges());
                assertFalse(m.hasPendingExpunges());
                Mailbox.Changes c = m.changes();
                assertEquals(1, c.added().size(), "view " + i);
                assertTrue(c.expunged().isEmpty());
                assertEquals(2, m.messages().size());
                assertFalse(m.hasChanges());
            }
            assertSame(views.get(0).messages(), views.get(n - 1).messages(), "moved together: still one list");
            // an expunge made through one view: the others see it pending, and then see it
            views.get(0).expunge(List.of(views.get(0).messages().get(0).uid()));
            for (int i = 1; i < n; i++) {
                Mailbox m = views.get(i);
                assertTrue(m.hasPendingExpunges());
                assertEquals(1, m.changes().expunged().size(), "view " + i);
                assertEquals(1, m.messages().size());
            }
            assertNotSame(views.get(0).messages(), new ArrayList<>(views.get(1).messages()));
        } finally {
            for (Mailbox m : views) m.close();
        }
    }
}
