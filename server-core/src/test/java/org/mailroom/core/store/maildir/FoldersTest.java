package org.mailroom.core.store.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MailboxInfo;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.StoreException;
import org.mailroom.core.store.StoreException.Reason;

/** Folders, flags, events between views, APPEND/COPY/MOVE and the index across restarts. */
class FoldersTest {
    private static final String A = "alice@example.test";
    @TempDir Path tmp;

    private static ContentBuffer content(String s) {
        ContentBuffer b = new ContentBuffer(null, 1 << 20);
        b.append(s.getBytes(UTF_8));
        return b;
    }

    private static void deliver(MaildirStore store, String text, String account) throws Exception {
        StoreDelivery d = store.newDelivery();
        d.addRecipient(account);
        d.write(content(text));
        d.commit();
    }

    private static List<Long> uids(Mailbox m) {
        return m.messages().stream().map(MessageRef::uid).toList();
    }

    @Test
    void createListRenameDeleteAndSubscriptions() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        Mailboxes b = store.mailboxes(A);
        b.create("Work/Reports 2024", null);
        b.create("a.b~c", "\\Archive");
        assertTrue(Files.isDirectory(tmp.resolve("example.test/alice/.Work.Reports 2024/cur")));
        assertTrue(Files.isDirectory(tmp.resolve("example.test/alice/.a%2Eb~c/new")));
        assertTrue(Files.exists(tmp.resolve("example.test/alice/.a%2Eb~c/maildirfolder")));
        b.subscribe("Work/Reports 2024", true);
        b.subscribe("Gone", true);
        assertEquals(List.of(new MailboxInfo("INBOX", true, false, null),
                new MailboxInfo("Gone", false, true, null),
                new MailboxInfo("Work/Reports 2024", true, true, null),
                new MailboxInfo("a.b~c", true, false, "\\Archive")), b.list());
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(StoreException.class, () -> b.create("Work/Reports 2024", null)).reason());
        assertEquals(Reason.ALREADY_EXISTS, assertThrows(StoreException.class, () -> b.create("inbox", null)).reason());
        assertEquals(Reason.NONEXISTENT, assertThrows(StoreException.class, () -> b.rename("Work", "Job")).reason());
        b.create("Work", null);
        b.rename("Work", "Job"); // with its children
        assertEquals(Reason.NONEXISTENT, assertThrows(StoreException.class, () -> b.open("Work/Reports 2024", false)).reason());
        b.open("Job/Reports 2024", true).close();
        assertTrue(b.list().contains(new MailboxInfo("Job/Reports 2024", true, true, null)));
        b.delete("Job/Reports 2024");
        assertEquals(Reason.NONEXISTENT, assertThrows(StoreException.class, () -> b.delete("Job/Reports 2024")).reason());
        assertEquals(Reason.CANNOT, assertThrows(StoreException.class, () -> b.delete("INBOX")).reason());
    }

    @Test
    void namesThatCouldLeaveTheAccountAreRefused() throws Exception {
        Mailboxes b = new MaildirStore(tmp, "h").mailboxes(A);
        for (String bad : new String[] {"..", "a/../../b", "/abs", "a//b", "a/", ".", "x\u0000y", "a/./b", "new*", "50%", "t\tab"}) {
            StoreException e = assertThrows(StoreException.class, () -> b.create(bad, null), bad);
            assertEquals(Reason.CANNOT, e.reason(), bad);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.allMatch(p -> p.getFileName().toString().equals("example.test")));
        }
    }

    @Test
    void flagsRenameTheFileAndRaiseModSeqAndKeywordsPersist() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "Subject: a\n\nx\n", A);
        deliver(store, "Subject: b\n\ny\n", A);
        long ms;
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            long before = m.highestModSeq();
            Mailbox.StoreResult r = m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN, Flag.FLAGGED),
                    Set.of("$Forwarded"), -1);
            MessageRef one = r.updated().get(0);
            assertEquals(Set.of(Flag.SEEN, Flag.FLAGGED), one.flags());
            assertEquals(Set.of("$Forwarded"), one.keywords());
            assertTrue(one.modSeq() > before);
            ms = one.modSeq();
            try (Stream<Path> s = Files.list(tmp.resolve("example.test/alice/cur"))) {
                assertEquals(1, s.filter(p -> p.toString().endsWith(":2,FS")).count());
            }
            // RFC 7162 3.1.3: UNCHANGEDSINCE below the message's mod-sequence fails for that message
            Mailbox.StoreResult cond = m.store(List.of(1L, 2L), Mailbox.FlagMode.ADD, Set.of(Flag.DELETED), Set.of(), ms - 1);
            assertEquals(List.of(1L), cond.failedUnchangedSince());
            assertEquals(List.of(2L), cond.updated().stream().map(MessageRef::uid).toList());
        }
        try (Mailbox m = new MaildirStore(tmp, "h").mailboxes(A).open("INBOX", false)) {
            MessageRef one = m.messages().get(0);
            assertEquals(Set.of("$Forwarded"), one.keywords());
            assertEquals(ms, one.modSeq());
            assertEquals(Set.of(Flag.DELETED), m.messages().get(1).flags());
            assertEquals(Set.of("$Forwarded"), m.keywords());
        }
    }

    @Test
    void viewsLearnOfOtherViewsChangesOnlyInChangesAndOwnFlagChangesAreSilent() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "one\n", A);
        deliver(store, "two\n", A);
        try (Mailbox v1 = store.mailboxes(A).open("INBOX", false); Mailbox v2 = store.mailboxes(A).open("INBOX", false)) {
            CountDownLatch woke = new CountDownLatch(1);
            v2.onChange(woke::countDown);
            v1.store(List.of(2L), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN), Set.of(), -1);
            v1.expunge(List.of(1L));
            deliver(store, "three\n", A); // the MDA notifies loaded folders at once (IDLE)
            assertTrue(woke.await(5, TimeUnit.SECONDS));
            assertEquals(List.of(1L, 2L), uids(v2), "nothing moves before changes()");
            Mailbox.Changes c2 = v2.changes();
            assertEquals(List.of(1L), c2.expunged());
            assertEquals(List.of(2L), c2.changed().stream().map(MessageRef::uid).toList());
            assertEquals(List.of(3L), c2.added().stream().map(MessageRef::uid).toList());
            assertEquals(List.of(2L, 3L), uids(v2));
            Mailbox.Changes c1 = v1.changes();
            assertTrue(c1.changed().isEmpty(), "own flag change already reported");
            assertEquals(List.of(1L), c1.expunged());
            assertEquals(Set.of(Flag.SEEN), v1.messages().get(0).flags());
            assertTrue(v1.changes().isEmpty());
        }
    }

    @Test
    void appendCopyAndMoveKeepFlagsAndGiveUids() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        Mailboxes b = store.mailboxes(A);
        b.create("Archive", null);
        try (Mailbox inbox = b.open("INBOX", false)) {
            Mailbox.Placed p = inbox.append(content("Subject: x\n\nhello\n"), Set.of(Flag.SEEN), Set.of("$Label1"),
                    java.time.Instant.ofEpochSecond(1_600_000_000));
            assertEquals(List.of(1L), p.uids());
            inbox.append(content("Subject: y\n\nbye\n"), Set.of(), Set.of(), null);
            inbox.changes();
            MessageRef r = inbox.messages().get(0);
            assertEquals(21, r.rfc822Size()); // 18 octets, 3 LFs
            assertEquals(1_600_000_000_000L, r.internalDate().toEpochMilli());
            Mailbox.Copied c = inbox.copy(List.of(2L, 1L, 9L), "Archive", false);
            assertEquals(List.of(1L, 2L), c.sourceUids());
            assertEquals(List.of(1L, 2L), c.destUids());
            Mailbox.Copied mv = inbox.copy(List.of(2L), "Archive", true);
            assertEquals(List.of(3L), mv.destUids());
            assertEquals(List.of(2L), inbox.changes().expunged());
            assertEquals(Reason.NONEXISTENT, assertThrows(StoreException.class, () -> inbox.copy(List.of(1L), "Nope", false)).reason());
        }
        try (Mailbox arch = b.open("Archive", true)) {
            assertEquals(List.of(1L, 2L, 3L), uids(arch));
            assertEquals(Set.of(Flag.SEEN), arch.messages().get(0).flags());
            assertEquals(Set.of("$Label1"), arch.messages().get(0).keywords());
            assertEquals(1_600_000_000_000L, arch.messages().get(0).internalDate().toEpochMilli());
            try (var in = arch.open(3)) {
                assertEquals("Subject: y\n\nbye\n", new String(in.readAllBytes(), UTF_8));
            }
            assertEquals(Reason.CANNOT, assertThrows(StoreException.class, () -> arch.expunge(List.of(1L))).reason());
        }
    }

    @Test
    void renameInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "a\n", A);
        Mailboxes b = store.mailboxes(A);
        b.rename("INBOX", "Old");
        try (Mailbox inbox = b.open("INBOX", false); Mailbox old = b.open("Old", false)) {
            assertTrue(inbox.messages().isEmpty());
            assertEquals(1, old.messages().size());
        }
    }

    @Test
    void cacheValuesSurviveARestartAndAreDroppedWithTheirMessage() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "a\n", A);
        deliver(store, "b\n", A);
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            assertNull(m.cached(1, 0));
            m.putCached(1, 0, "(envelope one)".getBytes(UTF_8));
            m.putCached(2, 1, "(body two)".getBytes(UTF_8));
        }
        try (Mailbox m = new MaildirStore(tmp, "h").mailboxes(A).open("INBOX", false)) {
            assertArrayEquals("(envelope one)".getBytes(UTF_8), m.cached(1, 0));
            assertArrayEquals("(body two)".getBytes(UTF_8), m.cached(2, 1));
            assertNull(m.cached(2, 0));
        }
    }

    @Test
    void anIdleFolderIsUnloadedAndReadAgainFromItsIndexWhileAnOpenOneStays() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h", org.mailroom.core.store.Quota.Policy.NONE, java.time.Duration.ofSeconds(1));
        deliver(store, "a\n", A);
        Path inbox = store.root().resolve("example.test/alice");
        FolderState first;
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.FLAGGED), Set.of(), -1);
            first = store.loaded(inbox);
        }
        store.mailboxes(A).ensureDefaults();
        try (Mailbox open = store.mailboxes(A).open("Trash", false)) {
            Thread.sleep(1100);
            store.mailboxes(A).open("Junk", false).close(); // a load sweeps
            assertNull(store.loaded(inbox), "idle INBOX unloaded");
            assertTrue(store.loaded(store.root().resolve("example.test/alice/.Trash")) != null, "open Trash kept");
            // another program changes the Maildir meanwhile; a delivery is not lost either
            deliver(store, "b\n", A);
            try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
                assertTrue(store.loaded(inbox) != first, "loaded again");
                assertEquals(List.of(1L, 2L), m.messages().stream().map(MessageRef::uid).toList());
                assertTrue(m.messages().get(0).has(Flag.FLAGGED), "flags from the index");
            }
        }
    }

    @Test
    void manySessionsLoggingInAtOnceCreateTheDefaultFoldersOnceWithoutErrors() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        int n = 24;
        CountDownLatch go = new CountDownLatch(1);
        java.util.List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    store.mailboxes(A).ensureDefaults();
                    store.mailboxes(A).subscribe("Archive", true);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertEquals(List.of(), failures);
        Mailboxes b = store.mailboxes(A);
        for (String f : List.of("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive")) {
            assertTrue(b.list().stream().anyMatch(i -> i.name().equals(f) && i.subscribed()), f + " exists, subscribed");
        }
    }

    @Test
    void aTornLogTailIsCutAndTheRestKept() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "a\n", A);
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(), Set.of("$Important"), -1);
        }
        Path log = tmp.resolve("example.test/alice/" + FolderIndex.LOG);
        Files.write(log, new byte[] {0, 0, 0, 40, 2, 9, 9}, java.nio.file.StandardOpenOption.APPEND); // half a record
        try (Mailbox m = new MaildirStore(tmp, "h").mailboxes(A).open("INBOX", false)) {
            assertEquals(Set.of("$Important"), m.messages().get(0).keywords());
        }
    }

    @Test
    void defaultsAreCreatedOnceWithSpecialUse() throws Exception {
        Mailboxes b = new MaildirStore(tmp, "h").mailboxes(A);
        b.ensureDefaults();
        List<MailboxInfo> l = b.list();
        assertTrue(l.contains(new MailboxInfo("Sent", true, true, "\\Sent")));
        assertTrue(l.contains(new MailboxInfo("Trash", true, true, "\\Trash")));
        b.delete("Junk");
        b.ensureDefaults();
        assertFalse(b.list().stream().anyMatch(i -> i.name().equals("Junk") && i.exists()), "a deleted default stays deleted");
    }

    @Test
    void statusCountsAndTracksUidNext() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "a\n", A);
        deliver(store, "bb\n", A);
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN), Set.of(), -1);
        }
        var s = store.mailboxes(A).status("inbox");
        assertEquals(2, s.messages());
        assertEquals(1, s.unseen());
        assertEquals(7, s.size());
        assertEquals(3, s.uidNext());
    }

    @Test
    void quotaCountsAllFoldersAndRefusesAppendCopyAndDelivery() throws Exception {
        org.mailroom.core.store.Quota.Policy policy = a -> a.equals(A) ? new org.mailroom.core.store.Quota(30, 3, 0, 0)
                : org.mailroom.core.store.Quota.NONE;
        MaildirStore store = new MaildirStore(tmp, "h", policy);
        Mailboxes b = store.mailboxes(A);
        b.create("Archive", null);
        deliver(store, "0123456789\n", A); // 11 octets, 12 with CRLF
        try (Mailbox arch = b.open("Archive", false)) {
            arch.append(content("abcdefghi\n"), Set.of(), Set.of(), null); // 10 octets, 11 with CRLF: 23
            assertEquals(new org.mailroom.core.store.Quota(30, 3, 23, 2), b.quota());
            StoreException e = assertThrows(StoreException.class,
                    () -> arch.append(content("0123456789\n"), Set.of(), Set.of(), null));
            assertEquals(Reason.OVER_QUOTA, e.reason());
            assertEquals(Reason.OVER_QUOTA, assertThrows(StoreException.class, () -> arch.copy(List.of(1L), "INBOX", false)).reason());
            arch.copy(List.of(1L), "INBOX", true); // a move keeps the usage
        }
        assertEquals(Reason.OVER_QUOTA, assertThrows(StoreException.class, () -> deliver(store, "0123456789\n", A)).reason());
        deliver(store, "0123456789\n", "bob@example.test"); // no limit for bob
        try (Mailbox inbox = b.open("INBOX", false)) {
            assertEquals(2, inbox.messages().size(), "the refused delivery left nothing behind");
        }
    }

    @Test
    void aMessageAnotherProgramDropsIntoNewWakesTheViewsWithoutAnyCall() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            CountDownLatch woke = new CountDownLatch(1);
            m.onChange(woke::countDown);
            Path box = tmp.resolve("example.test/alice");
            Files.writeString(box.resolve("tmp/1700000000.P9Q9.procmail"), "Subject: from procmail\n\nhi\n");
            Files.move(box.resolve("tmp/1700000000.P9Q9.procmail"), box.resolve("new/1700000000.P9Q9.procmail"));
            assertTrue(woke.await(20, TimeUnit.SECONDS), "the watcher refreshed the folder (RFC 2177: IDLE sees it)");
            assertEquals(1, m.changes().added().size());
        }
    }

    @Test
    void afterABulkFlagChangeOfOurOwnTheWatcherStillSeesAnotherProgram() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        for (int i = 0; i < 300; i++) deliver(store, "m" + i + "\n", A);
        try (Mailbox m = store.mailboxes(A).open("INBOX", false)) {
            List<Long> all = m.messages().stream().map(MessageRef::uid).toList();
            m.store(all, Mailbox.FlagMode.ADD, Set.of(Flag.SEEN), Set.of(), -1); // the watch is paused meanwhile
            m.changes();
            CountDownLatch woke = new CountDownLatch(1);
            m.onChange(woke::countDown);
            Path box = tmp.resolve("example.test/alice");
            Files.writeString(box.resolve("tmp/1700000001.P9Q9.procmail"), "Subject: after\n\nhi\n");
            Files.move(box.resolve("tmp/1700000001.P9Q9.procmail"), box.resolve("new/1700000001.P9Q9.procmail"));
            assertTrue(woke.await(20, TimeUnit.SECONDS), "watched again after the bulk change");
            assertEquals(1, m.changes().added().size());
            assertTrue(m.messages().stream().limit(300).allMatch(r -> r.has(Flag.SEEN)));
        }
    }
}
