package org.mailroom.core.store.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreDelivery;

class MaildirStoreTest {
    @TempDir
    Path tmp;

    private static ContentBuffer content(String s) {
        ContentBuffer b = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        b.append(s.getBytes(UTF_8));
        return b;
    }

    private static void deliver(MaildirStore store, String text, String... accounts) throws Exception {
        StoreDelivery d = store.newDelivery();
        for (String a : accounts) d.addRecipient(a);
        d.write(content(text));
        d.commit();
    }

    /**
     * The {@code cur/} of a new Maildir for {@code local@example.test}, made without the store: files
     * written there before the store first looks are all seen at once (a folder it has loaded and
     * watches could see them arrive in several refreshes).
     */
    private Path freshCur(String local) throws Exception {
        Path box = tmp.resolve("example.test").resolve(local);
        for (String d : new String[] {"cur", "new", "tmp"}) Files.createDirectories(box.resolve(d));
        return box.resolve("cur");
    }

    private static String read(Mailbox m, long uid) throws Exception {
        try (InputStream in = m.open(uid)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Test
    void deliveredMessageIsAStandardMaildirFileAndGetsAUid() throws Exception {
        MaildirStore store = new MaildirStore(tmp.resolve("mail"), "mx.example.test");
        deliver(store, "Subject: hi\n\nbody\n", "alice@example.test");
        Path newDir = tmp.resolve("mail/example.test/alice/new");
        try (Stream<Path> s = Files.list(newDir)) {
            List<Path> files = s.toList();
            assertEquals(1, files.size());
            String name = files.get(0).getFileName().toString();
            assertTrue(name.matches("\\d+\\.M\\d+P\\d+Q\\d+R[0-9a-f]+\\.mx\\.example\\.test,S=18,W=21"), name);
        }
        try (Stream<Path> s = Files.list(tmp.resolve("mail/example.test/alice/tmp"))) {
            assertEquals(0, s.count(), "tmp/ is empty after commit");
        }
        try (Mailbox m = store.openInbox("alice@example.test")) {
            List<MessageRef> msgs = m.messages();
            assertEquals(1, msgs.size());
            assertEquals(1, msgs.get(0).uid());
            assertEquals(18, msgs.get(0).size());
            assertEquals(21, msgs.get(0).rfc822Size());
            assertEquals("Subject: hi\n\nbody\n", read(m, 1));
        }
        try (Stream<Path> s = Files.list(newDir)) {
            assertEquals(0, s.count(), "a reader moves new/ to cur/");
        }
    }

    @Test
    void uidsAreStableAcrossReopenAndNewStoreInstances() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "a\n", "bob@example.test");
        deliver(store, "b\n", "bob@example.test");
        long validity;
        try (Mailbox m = store.openInbox("bob@example.test")) {
            validity = m.uidValidity();
            assertEquals(List.of(1L, 2L), m.messages().stream().map(MessageRef::uid).toList());
        }
        deliver(store, "c\n", "bob@example.test");
        try (Mailbox m = new MaildirStore(tmp, "h").openInbox("bob@example.test")) {
            assertEquals(validity, m.uidValidity());
            assertEquals(List.of(1L, 2L, 3L), m.messages().stream().map(MessageRef::uid).toList());
            assertEquals("c\n", read(m, 3));
            assertEquals(4, m.uidNext());
        }
    }

    @Test
    void expungeRemovesFilesAndUidsAreNeverReused() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        for (int i = 0; i < 3; i++) deliver(store, "m" + i + "\n", "c@example.test");
        try (Mailbox m = store.openInbox("c@example.test")) {
            assertEquals(List.of(2L), m.expunge(List.of(2L, 99L)));
            assertEquals(List.of(1L, 2L, 3L), m.messages().stream().map(MessageRef::uid).toList(),
                    "the view learns of the expunge only in changes()");
            assertEquals(List.of(2L), m.changes().expunged());
            assertEquals(List.of(1L, 3L), m.messages().stream().map(MessageRef::uid).toList());
            org.mailroom.core.store.StoreException e = assertThrows(org.mailroom.core.store.StoreException.class, () -> m.open(2));
            assertEquals(org.mailroom.core.store.StoreException.Reason.EXPUNGED, e.reason());
        }
        deliver(store, "m3\n", "c@example.test");
        try (Mailbox m = store.openInbox("c@example.test")) {
            assertEquals(List.of(1L, 3L, 4L), m.messages().stream().map(MessageRef::uid).toList());
        }
        try (Stream<Path> s = Files.list(tmp.resolve("example.test/c/cur"))) {
            assertEquals(3, s.count());
        }
    }

    @Test
    void filesFromOtherToolsAreSeenWithFlagsAndCrlfSizes() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        store.openInbox("d@example.test").close();
        Path cur = tmp.resolve("example.test/d/cur");
        Files.writeString(cur.resolve("1700000000.P1Q1.other:2,FS"), "Subject: x\r\n\r\nhi\n", UTF_8);
        try (Mailbox m = store.openInbox("d@example.test")) {
            MessageRef r = m.messages().get(0);
            assertEquals(Set.of(Flag.FLAGGED, Flag.SEEN), r.flags());
            assertEquals(-1, r.rfc822Size(), "no S=/W= in the name: measured only when asked");
            r = m.measure(r.uid());
            assertEquals(17, r.size());
            assertEquals(17, r.rfc822Size()); // first line CRLF: the file is taken as CRLF and sent as stored
            assertEquals(1700000000_000L, r.internalDate().toEpochMilli());
            // mutt marks it answered: the file is renamed, the UID stays
            Files.move(cur.resolve("1700000000.P1Q1.other:2,FS"), cur.resolve("1700000000.P1Q1.other:2,FRS"));
            assertEquals("Subject: x\r\n\r\nhi\n", read(m, r.uid()));
            assertEquals(r.uid(), m.sync().get(0).uid());
            assertEquals(Set.of(Flag.FLAGGED, Flag.ANSWERED, Flag.SEEN), m.messages().get(0).flags());
        }
    }

    @Test
    void oneMessageUnderTwoNamesIsOneMessage() throws Exception {
        // a tool that copies before it renames leaves, for a moment, both names in cur/
        Path cur = freshCur("t");
        Files.writeString(cur.resolve("1700000000.M1P1Q1.h"), "a\n", UTF_8); // no info part
        Files.writeString(cur.resolve("1700000000.M1P1Q1.h,W=3:2,"), "b\n", UTF_8); // sorts between the two below
        Files.writeString(cur.resolve("1700000000.M1P1Q1.h:2,S"), "a\n", UTF_8);
        for (int i = 0; i < 1100; i++) Files.writeString(cur.resolve("1600000000.P9Q" + i + ".fill:2,"), "y\n", UTF_8);
        MaildirStore store = new MaildirStore(tmp, "h");
        try (Mailbox m = store.openInbox("t@example.test")) {
            assertEquals(1102, m.messages().size(), "a first look, in bulk");
            assertEquals(1103, m.uidNext(), "no UID spent on the second name");
        }
        Files.writeString(cur.resolve("1700000001.M1P1Q1.h:2,"), "c\n", UTF_8);
        Files.writeString(cur.resolve("1700000001.M1P1Q1.h:2,F"), "c\n", UTF_8);
        try (Mailbox m = new MaildirStore(tmp, "h").openInbox("t@example.test")) {
            assertEquals(1103, m.messages().size(), "known messages keep their one UID; the new one gets one");
            assertEquals(1104, m.uidNext());
        }
    }

    @Test
    void namesOfOtherToolsWithUnorderedOrExtraLettersAreKeptAndRenamedCorrectly() throws Exception {
        // the store keeps no name for a file called base:2,<flag letters in order>; other names are
        // remembered as they are, and a flag change keeps their other letters (Dovecot's keywords)
        Path cur = freshCur("k");
        Files.writeString(cur.resolve("1700000000.P1Q1.a:2,SF"), "Subject: a\n\nx\n", UTF_8);
        Files.writeString(cur.resolve("1700000000.P1Q2.b:2,Sa"), "Subject: b\n\nx\n", UTF_8);
        Files.writeString(cur.resolve("1700000000.P1Q3.c"), "Subject: c\n\nx\n", UTF_8);
        Files.writeString(cur.resolve("1700000000.P1Q4.d:2,S"), "Subject: d\n\nx\n", UTF_8);
        MaildirStore store = new MaildirStore(tmp, "h");
        try (Mailbox m = store.openInbox("k@example.test")) {
            List<Long> uids = m.messages().stream().map(MessageRef::uid).toList();
            assertEquals(4, uids.size());
            for (int i = 0; i < 4; i++) assertEquals("Subject: " + (char) ('a' + i) + "\n\nx\n", read(m, uids.get(i)));
            m.store(uids, Mailbox.FlagMode.ADD, Set.of(Flag.ANSWERED), Set.of(), -1);
            for (int i = 0; i < 4; i++) assertEquals("Subject: " + (char) ('a' + i) + "\n\nx\n", read(m, uids.get(i)), "readable after the rename");
        }
        try (Stream<Path> s = Files.list(cur)) {
            assertEquals(Set.of("1700000000.P1Q1.a:2,FRS", "1700000000.P1Q2.b:2,RSa", "1700000000.P1Q3.c:2,R",
                    "1700000000.P1Q4.d:2,RS"), s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        try (Mailbox m = new MaildirStore(tmp, "h").openInbox("k@example.test")) {
            assertEquals(Set.of(Flag.ANSWERED, Flag.SEEN), m.messages().get(1).flags());
            assertEquals("Subject: b\n\nx\n", read(m, m.messages().get(1).uid()), "and after a reopen, from the index");
        }
    }

    @Test
    void lfFilesOfOtherToolsCountEveryBareLf() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        store.openInbox("d@example.test").close();
        Path cur = tmp.resolve("example.test/d/cur");
        Files.writeString(cur.resolve("1700000001.P1Q2.other:2,"), "Subject: x\n\nhi\n", UTF_8);
        try (Mailbox m = store.openInbox("d@example.test")) {
            MessageRef r = m.measure(m.messages().get(0).uid());
            assertEquals(15, r.size());
            assertEquals(18, r.rfc822Size());
        }
    }

    @Test
    void namesOtherToolsGaveKeepTheirUidsThroughTheIndexAsciiOrNot() throws Exception {
        Path cur = freshCur("n"); // UIDs in the order of the names below: all seen in one look
        String[] names = {"1700000001.P1Q1.plain:2,S", "1700000002.P1Q2.h\u00e9te-\u65e5\u672c:2,", "1700000003.P1Q3.\ud83d\udce8:2,F"};
        for (String n : names) Files.writeString(cur.resolve(n), "Subject: " + n + "\n\nx\n", UTF_8);
        // enough others for a first look to write one snapshot of them all (they arrived earlier)
        for (int i = 0; i < 1100; i++) Files.writeString(cur.resolve("1600000000.P9Q" + i + ".fill:2,"), "y\n", UTF_8);
        List<Long> uids;
        long validity;
        MaildirStore store = new MaildirStore(tmp, "h");
        try (Mailbox m = store.openInbox("n@example.test")) {
            uids = m.messages().stream().map(MessageRef::uid).toList();
            validity = m.uidValidity();
            // keywords live in the index alone: they come back only if the entries are read back
            m.store(uids, Mailbox.FlagMode.ADD, java.util.Set.of(), java.util.Set.of("$Label"), -1);
        }
        assertEquals(1103, uids.size());
        for (int round = 0; round < 2; round++) { // read back from the snapshot and the log, twice
            MaildirStore again = new MaildirStore(tmp, "h");
            try (Mailbox m = again.openInbox("n@example.test")) {
                assertEquals(validity, m.uidValidity());
                assertEquals(uids, m.messages().stream().map(MessageRef::uid).toList(), "same names, same UIDs");
                for (MessageRef r : m.messages()) assertEquals(java.util.Set.of("$Label"), r.keywords(), "uid " + r.uid());
                for (int i = 0; i < 3; i++) assertTrue(read(m, uids.get(1100 + i)).contains(names[i]));
            }
        }
    }

    @Test
    void aLargeStoreHandsItsFirstRefsOverInBatchesInOrderAndTheResultHasThemAll() throws Exception {
        Path cur = freshCur("p");
        int n = FolderState.PROGRESS_BATCH * 2 + 100;
        for (int i = 0; i < n; i++) Files.writeString(cur.resolve((1700000000 + i) + ".P1Q" + i + ".other:2,"), "x\n", UTF_8);
        MaildirStore store = new MaildirStore(tmp, "h");
        try (Mailbox m = store.openInbox("p@example.test")) {
            List<Long> uids = m.messages().stream().map(MessageRef::uid).toList();
            List<List<MessageRef>> batches = new ArrayList<>();
            Mailbox.StoreResult r = m.store(uids, Mailbox.FlagMode.ADD, java.util.Set.of(org.mailroom.core.store.Flag.SEEN),
                    java.util.Set.of(), -1, batches::add);
            assertEquals(n, r.updated().size());
            assertEquals(List.of(FolderState.PROGRESS_BATCH, FolderState.PROGRESS_BATCH), batches.stream().map(List::size).toList());
            List<MessageRef> handed = new ArrayList<>();
            batches.forEach(handed::addAll);
            assertEquals(r.updated().subList(0, handed.size()), handed, "the first refs of the result, in order");
            assertTrue(handed.stream().allMatch(x -> x.flags().contains(org.mailroom.core.store.Flag.SEEN)), "after the change");
            assertTrue(Files.exists(cur.resolve("1700000000.P1Q0.other:2,S")), "renamed");
        }
    }

    @Test
    void corruptIndexIsMovedAsideAndRebuiltWithNewValidity() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        deliver(store, "x\n", "e@example.test");
        long v;
        try (Mailbox m = store.openInbox("e@example.test")) {
            v = m.uidValidity();
        }
        Path list = tmp.resolve("example.test/e/" + FolderIndex.FILE);
        Files.writeString(list, "garbage\n");
        try (Mailbox m = new MaildirStore(tmp, "h").openInbox("e@example.test")) {
            assertNotEquals(v, m.uidValidity());
            assertEquals(1, m.messages().size());
        }
        assertTrue(Files.exists(list.resolveSibling(FolderIndex.FILE + ".corrupt")));
    }

    @Test
    void legacyUidListIsImportedWithItsUids() throws Exception {
        Path box = tmp.resolve("example.test/l");
        for (String d : new String[] {"cur", "new", "tmp"}) Files.createDirectories(box.resolve(d));
        Files.writeString(box.resolve("cur/1700000000.M1P1Q1.h,S=2,W=3:2,S"), "x\n");
        Files.writeString(box.resolve(LegacyUidList.FILE),
                "mailroom-uidlist 1 777 9\n8 2 3 1700000000000 1700000000.M1P1Q1.h,S=2,W=3\n");
        try (Mailbox m = new MaildirStore(tmp, "h").openInbox("l@example.test")) {
            assertEquals(777, m.uidValidity());
            assertEquals(9, m.uidNext());
            assertEquals(8, m.messages().get(0).uid());
            assertEquals(Set.of(Flag.SEEN), m.messages().get(0).flags());
        }
        assertTrue(Files.exists(box.resolve(LegacyUidList.FILE + ".imported")));
    }

    @Test
    void concurrentDeliveriesToOneMailboxAllArriveWithDistinctUids() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                deliver(store, "Subject: " + n + "\n\n" + n + "\n", "f@example.test", "g@example.test");
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        for (String acct : List.of("f@example.test", "g@example.test")) {
            try (Mailbox m = store.openInbox(acct)) {
                assertEquals(200, m.messages().size());
                Set<String> bodies = new HashSet<>();
                for (MessageRef r : m.messages()) bodies.add(read(m, r.uid()));
                assertEquals(200, bodies.size());
            }
        }
    }

    @Test
    void uidsFollowArrivalEvenWhenOtherToolsDoNotPadMicroseconds() throws Exception {
        Path newDir = freshCur("o").resolveSibling("new"); // all five seen in one look
        MaildirStore store = new MaildirStore(tmp, "h");
        // same second: M999 arrived before M12345, and Q9 before Q10 in the same microsecond
        for (String n : new String[] {"1700000000.M12345P1Q1.x", "1700000000.M999P1Q2.x", "1700000000.M12345P1Q10.x",
                "1700000000.M12345P1Q9.x", "1699999999.M500000P1Q1.x"}) {
            Files.writeString(newDir.resolve(n), n + "\n");
        }
        try (Mailbox m = store.openInbox("o@example.test")) {
            List<String> order = new ArrayList<>();
            for (MessageRef r : m.messages()) order.add(read(m, r.uid()).trim());
            assertEquals(List.of("1699999999.M500000P1Q1.x", "1700000000.M999P1Q2.x", "1700000000.M12345P1Q1.x",
                    "1700000000.M12345P1Q9.x", "1700000000.M12345P1Q10.x"), order);
        }
        assertTrue(MaildirName.unique("h", 1, 2).matches("\\d+\\.M\\d{6}P.*"), "our own names pad the microseconds");
    }

    @Test
    void abortLeavesNothing() throws Exception {
        MaildirStore store = new MaildirStore(tmp, "h");
        StoreDelivery d = store.newDelivery();
        d.addRecipient("h@example.test");
        d.write(content("x\n"));
        d.abort();
        try (Mailbox m = store.openInbox("h@example.test")) {
            assertEquals(0, m.messages().size());
        }
        try (Stream<Path> s = Files.list(tmp.resolve("example.test/h/tmp"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void addressesThatWouldLeaveTheRootAreRefused() {
        MaildirStore store = new MaildirStore(tmp, "h");
        assertThrows(IllegalArgumentException.class, () -> store.maildir("../x@example.test"));
        assertThrows(IllegalArgumentException.class, () -> store.maildir("a@../../etc"));
        assertThrows(IllegalArgumentException.class, () -> store.maildir("a/b@example.test"));
        assertThrows(IllegalArgumentException.class, () -> store.maildir("nodomain"));
    }
}
