package org.mailroom.delivery.queue;

import org.mailroom.core.io.DirectorySync;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.queue.QueueEntry.Recipient;
import org.mailroom.delivery.queue.QueueStore.State;

class QueueStoreTest {
    @TempDir
    Path tmp;
    Path root;
    QueueStore store;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("queue");
        store = new QueueStore(root);
    }

    static MessageContent content(String s) {
        ContentBuffer b = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        b.append(s.getBytes(UTF_8));
        return b;
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }


    QueueEntry enqueue(String id) throws IOException {
        return store.enqueue(QueueEntryFormatTest.sample(id), content("Subject: " + id + "\n\nbody\n"));
    }

    @Test
    void enqueueLeavesContentInMessagesAndTheRecordInIncoming() throws Exception {
        QueueEntry e = enqueue("4XJ2K9ABCD");
        assertEquals(List.of("4XJ2K9ABCD.msg"), names(root.resolve("messages")));
        assertEquals(List.of("4XJ2K9ABCD.env"), names(root.resolve("incoming")));
        assertEquals("Subject: 4XJ2K9ABCD\n\nbody\n", Files.readString(root.resolve("messages/4XJ2K9ABCD.msg")));
        assertEquals(QueueEntryFormat.write(e), Files.readString(root.resolve("incoming/4XJ2K9ABCD.env")));
        for (String d : List.of("tmp", "active", "deferred", "hold", "corrupt")) assertEquals(List.of(), names(root.resolve(d)), d);
        assertEquals(e, store.load("4XJ2K9ABCD").orElseThrow());
        assertEquals(State.INCOMING, store.state("4XJ2K9ABCD").orElseThrow());
        assertEquals(26, store.contentSize("4XJ2K9ABCD"));
        try (InputStream in = store.openContent("4XJ2K9ABCD")) {
            assertEquals("Subject: 4XJ2K9ABCD\n\nbody\n", new String(in.readAllBytes(), UTF_8));
        }
    }

    @Test
    void aSecondMessageWithTheSameIdIsRefusedAndTheFirstKept() throws Exception {
        QueueEntry first = enqueue("DUPLICATE1");
        assertThrows(FileAlreadyExistsException.class, () -> store.enqueue(first, content("other\n")));
        assertEquals("Subject: DUPLICATE1\n\nbody\n", Files.readString(root.resolve("messages/DUPLICATE1.msg")));
        assertEquals(List.of(), names(root.resolve("tmp")));
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws Exception {
        MessageContent failing = new MessageContent() {
            public long size() { return 100; }
            public long lines() { return 1; }
            public InputStream open() {
                return new InputStream() {
                    int n;
                    public int read() throws IOException {
                        if (n++ > 10) throw new IOException("client vanished");
                        return 'x';
                    }
                };
            }
        };
        assertThrows(IOException.class, () -> store.enqueue(QueueEntryFormatTest.sample("FAILED0001"), failing));
        for (String d : List.of("tmp", "messages", "incoming")) assertEquals(List.of(), names(root.resolve(d)), d);
        assertEquals(java.util.Optional.empty(), store.load("FAILED0001"));
    }

    @Test
    void idsThatCouldNameOtherFilesAreRefused() {
        for (String bad : List.of("../etc", "abc12", "a/bcdefg", "abcdef.env", "ABCDEF\n", "x".repeat(33), "")) {
            assertThrows(IllegalArgumentException.class, () -> store.load(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.delete(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.openContent(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> QueueEntryFormatTest.sample("../../x"));
        assertTrue(QueueId.isValid("abcdef") && QueueId.isValid("A".repeat(32)));
    }

    @Test
    void updateRewritesTheRecordWhereItIs() throws Exception {
        QueueEntry e = enqueue("UPDATE0001");
        store.move("UPDATE0001", State.DEFERRED);
        QueueEntry tried = e.withAttempts(1).withRecipient(0, e.recipients().get(0)
                .withAttempt(e.arrival().plusSeconds(2), "451 4.3.0 mx[192.0.2.1]: try later", Recipient.State.DEFERRED));
        store.update(tried);
        assertEquals(tried, store.load("UPDATE0001").orElseThrow());
        assertEquals(List.of("UPDATE0001.env"), names(root.resolve("deferred")));
        assertEquals(List.of(), names(root.resolve("incoming")));
        assertEquals(List.of(), names(root.resolve("tmp")));
        assertThrows(NoSuchFileException.class, () -> store.update(QueueEntryFormatTest.sample("NOTQUEUED1")));
    }

    @Test
    void moveRenamesTheRecordBetweenStateDirectoriesOnly() throws Exception {
        enqueue("MOVE000001");
        store.move("MOVE000001", State.ACTIVE);
        assertEquals(List.of("MOVE000001.env"), names(root.resolve("active")));
        store.move("MOVE000001", State.HOLD);
        store.move("MOVE000001", State.HOLD); // no-op
        assertEquals(List.of("MOVE000001.env"), names(root.resolve("hold")));
        assertEquals(List.of(), names(root.resolve("active")));
        assertEquals(List.of("MOVE000001.msg"), names(root.resolve("messages")), "content never moves");
        assertEquals(State.HOLD, store.state("MOVE000001").orElseThrow());
        assertThrows(NoSuchFileException.class, () -> store.move("NOTQUEUED1", State.DEFERRED));
        assertThrows(IllegalArgumentException.class, () -> store.move("MOVE000001", State.CORRUPT));
    }

    @Test
    void moveIfAndDeleteIfLeaveARecordOutsideTheAllowedStatesAlone() throws Exception {
        enqueue("COND000001");
        store.move("COND000001", State.ACTIVE);
        Set<State> waiting = java.util.EnumSet.of(State.INCOMING, State.DEFERRED);
        assertEquals(java.util.Optional.of(State.ACTIVE), store.moveIf("COND000001", waiting, State.HOLD));
        assertEquals(java.util.Optional.of(State.ACTIVE), store.deleteIf("COND000001", waiting));
        assertEquals(List.of("COND000001.env"), names(root.resolve("active")), "being delivered: untouched");
        assertEquals(List.of("COND000001.msg"), names(root.resolve("messages")));

        store.move("COND000001", State.DEFERRED);
        assertEquals(java.util.Optional.of(State.DEFERRED), store.moveIf("COND000001", waiting, State.HOLD));
        assertEquals(State.HOLD, store.state("COND000001").orElseThrow());
        assertEquals(java.util.Optional.of(State.HOLD), store.moveIf("COND000001", waiting, State.ACTIVE),
                "a held message is not taken");
        assertEquals(java.util.Optional.of(State.HOLD), store.deleteIf("COND000001", Set.of(State.HOLD)));
        assertEquals(List.of(), names(root.resolve("hold")));
        assertEquals(List.of(), names(root.resolve("messages")));
        assertEquals(java.util.Optional.empty(), store.deleteIf("COND000001", Set.of(State.HOLD)));
        assertEquals(java.util.Optional.empty(), store.moveIf("COND000001", waiting, State.HOLD));
    }

    @Test
    void deleteRemovesRecordAndContent() throws Exception {
        enqueue("DELETE0001");
        store.move("DELETE0001", State.DEFERRED);
        store.delete("DELETE0001");
        assertEquals(List.of(), names(root.resolve("deferred")));
        assertEquals(List.of(), names(root.resolve("messages")));
        assertTrue(store.load("DELETE0001").isEmpty());
        assertThrows(NoSuchFileException.class, () -> store.delete("DELETE0001"));
    }

    @Test
    void listingsReportTheState() throws Exception {
        enqueue("LISTAAAAA1");
        enqueue("LISTBBBBB2");
        enqueue("LISTCCCCC3");
        store.move("LISTBBBBB2", State.DEFERRED);
        store.move("LISTCCCCC3", State.HOLD);
        assertEquals(List.of("LISTAAAAA1"), store.list(State.INCOMING).stream().map(QueueEntry::id).toList());
        List<String> all = store.listAll().stream().map(s -> s.state() + ":" + s.entry().id()).toList();
        assertEquals(List.of("INCOMING:LISTAAAAA1", "DEFERRED:LISTBBBBB2", "HOLD:LISTCCCCC3"), all);
    }

    @Test
    void concurrentEnqueuesAreAllStoredAndShareDirectoryFsyncs() throws Exception {
        // real directory fsyncs plus 5 ms, as on a busy disk. Only directory fsyncs can be shared: the
        // two fdatasyncs of each message's own files are not, and on this VM they dominate, so the
        // grouping here is ~4 enqueues per fsync, not 16 (DirectorySyncTest shows the ideal case)
        store = new QueueStore(root, org.mailroom.core.test.SlowDisk.fsync(5));
        int threads = 16, each = 100;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tn = t;
            futures.add(pool.submit(() -> {
                start.await();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String id = String.format("T%02dM%04dXYZ", tn, i);
                    store.enqueue(QueueEntryFormatTest.sample(id), content("Subject: " + id + "\n\n" + "x".repeat(i) + "\n"));
                    ids.add(id);
                }
                return ids;
            }));
        }
        Set<String> expected = new HashSet<>();
        for (Future<List<String>> f : futures) expected.addAll(f.get());
        pool.shutdown();
        int n = threads * each;
        assertEquals(n, expected.size());
        List<QueueEntry> listed = store.list(State.INCOMING);
        assertEquals(expected, new HashSet<>(listed.stream().map(QueueEntry::id).toList()));
        assertEquals(n, names(root.resolve("messages")).size());
        assertEquals(List.of(), names(root.resolve("tmp")));
        for (String id : List.of("T00M0000XYZ", "T15M0099XYZ")) {
            try (InputStream in = store.openContent(id)) {
                assertTrue(new String(in.readAllBytes(), UTF_8).startsWith("Subject: " + id + "\n"), id);
            }
        }
        // without group commit every enqueue costs two directory fsyncs (messages/ and incoming/);
        // measured here: ~780 for 1600 enqueues
        long fsyncs = store.directoryFsyncs();
        System.out.printf("group commit: %d enqueues, %d directory fsyncs (%d without grouping)%n", n, fsyncs, 2L * n);
        assertTrue(fsyncs < n, "directory fsyncs " + fsyncs + " for " + n + " enqueues: too little grouping");
    }

    @Test
    void removedFilesAreEmptiedAndReusedForTheNextMessage() throws Exception {
        enqueue("RECYCLE001");
        store.delete("RECYCLE001");
        List<String> spares = names(root.resolve("spare"));
        assertEquals(2, spares.size(), "record and content kept for reuse");
        for (String n : spares) assertEquals(0, Files.size(root.resolve("spare").resolve(n)), "no copy of the message kept");
        for (String d : List.of("tmp", "messages", "incoming", "active")) assertEquals(List.of(), names(root.resolve(d)), d);

        QueueEntry e = enqueue("RECYCLE002");
        assertEquals(List.of(), names(root.resolve("spare")), "both files written again");
        assertEquals("Subject: RECYCLE002\n\nbody\n", Files.readString(root.resolve("messages/RECYCLE002.msg")));
        assertEquals(QueueEntryFormat.write(e), Files.readString(root.resolve("incoming/RECYCLE002.env")));

        store.delete("RECYCLE002");
        QueueStore.RecoveryReport r = new QueueStore(root).recover();
        assertEquals(0, r.tempFilesRemoved(), "spares are not interrupted writes");
        assertEquals(0, r.quarantined());
        assertEquals(List.of(), names(root.resolve("spare")));
    }

    @Test
    void recoverRequeuesActiveAndQuarantinesWhatItCannotRead() throws Exception {
        enqueue("GOODINCOM1");
        enqueue("WASACTIVE1");
        store.move("WASACTIVE1", State.ACTIVE);
        enqueue("DEFERRED01");
        store.move("DEFERRED01", State.DEFERRED);
        enqueue("GARBAGE001");
        Files.writeString(root.resolve("incoming/GARBAGE001.env"), "this is not a record\n");
        enqueue("TRUNCATED1");
        store.move("TRUNCATED1", State.DEFERRED);
        byte[] rec = Files.readAllBytes(root.resolve("deferred/TRUNCATED1.env"));
        Files.write(root.resolve("deferred/TRUNCATED1.env"), java.util.Arrays.copyOf(rec, rec.length / 2));
        enqueue("NOCONTENT1");
        Files.delete(root.resolve("messages/NOCONTENT1.msg"));
        Files.writeString(root.resolve("messages/ORPHAN0001.msg"), "Subject: orphan\n\n");
        Files.writeString(root.resolve("tmp/ABCDEF.123.msg"), "half written");
        Files.writeString(root.resolve("tmp/ABCDEF.456.env"), "half");
        Files.writeString(root.resolve("hold/README"), "not mine");

        QueueStore.RecoveryReport r = new QueueStore(root).recover();

        assertEquals(new QueueStore.RecoveryReport(2, 1, 5, 3), r);
        assertEquals(List.of("GOODINCOM1.env", "WASACTIVE1.env"), names(root.resolve("incoming")));
        assertEquals(List.of(), names(root.resolve("active")));
        assertEquals(List.of("DEFERRED01.env"), names(root.resolve("deferred")));
        assertEquals(List.of(), names(root.resolve("hold")));
        assertEquals(List.of(), names(root.resolve("tmp")));
        assertEquals(List.of("DEFERRED01.msg", "GOODINCOM1.msg", "WASACTIVE1.msg"), names(root.resolve("messages")));
        assertEquals(List.of("GARBAGE001.env", "GARBAGE001.msg", "NOCONTENT1.env", "ORPHAN0001.msg", "README",
                "TRUNCATED1.env", "TRUNCATED1.msg"), names(root.resolve("corrupt")));
        assertEquals("this is not a record\n", Files.readString(root.resolve("corrupt/GARBAGE001.env")), "kept as found");
        assertEquals(3, store.listAll().size());

        // a second start finds nothing to do, and a later quarantine never overwrites
        assertEquals(new QueueStore.RecoveryReport(0, 0, 0, 3), store.recover());
        Files.writeString(root.resolve("messages/ORPHAN0001.msg"), "again\n");
        assertEquals(1, store.recover().quarantined());
        assertTrue(names(root.resolve("corrupt")).contains("ORPHAN0001.msg.1"));
        assertEquals("Subject: orphan\n\n", Files.readString(root.resolve("corrupt/ORPHAN0001.msg")));
    }

    @Test
    void loadOfAnUnreadableRecordThrowsAndListingSkipsIt() throws Exception {
        enqueue("BROKEN0001");
        enqueue("INTACT0001");
        Files.writeString(root.resolve("incoming/BROKEN0001.env"), "mailroom-queue: 1\nid: BROKEN0001\n");
        assertThrows(CorruptQueueFile.class, () -> store.load("BROKEN0001"));
        assertEquals(List.of("INTACT0001"), store.list(State.INCOMING).stream().map(QueueEntry::id).toList());
        assertTrue(store.quarantine("BROKEN0001", "test"));
        assertEquals(List.of("BROKEN0001.env", "BROKEN0001.msg"), names(root.resolve("corrupt")));
        assertEquals(List.of("BROKEN0001.env", "BROKEN0001.msg"), store.ids(State.CORRUPT));
    }
}
