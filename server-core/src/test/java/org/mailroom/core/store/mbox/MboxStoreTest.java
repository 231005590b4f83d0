package org.mailroom.core.store.mbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MailboxStatus;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.StoreException;
import org.mailroom.core.store.maildir.MaildirStore;

class MboxStoreTest {
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";

    @TempDir
    Path tmp;

    private MboxStore store(Duration timeout, Consumer<String> crash) {
        MaildirStore maildir = new MaildirStore(tmp.resolve("mail"), "mx.example.test");
        return new MboxStore(maildir, a -> a.equalsIgnoreCase(ALICE), MboxStore.defaultInbox(maildir), timeout, crash);
    }

    private MboxStore store() {
        return store(Duration.ofSeconds(10), p -> { });
    }

    private Path mbox() {
        return tmp.resolve("mail/example.test/alice/inbox.mbox");
    }

    private static ContentBuffer content(String s) {
        ContentBuffer b = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        b.append(s.getBytes(UTF_8));
        return b;
    }

    private static void deliver(MboxStore store, String text, String... accounts) throws IOException {
        StoreDelivery d = store.newDelivery();
        for (String a : accounts) d.addRecipient(a);
        d.write(content(text));
        d.commit();
    }

    private static String read(Mailbox m, long uid) throws IOException {
        try (InputStream in = m.open(uid)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static List<Long> uids(Mailbox m) {
        return m.messages().stream().map(MessageRef::uid).toList();
    }

    /** A stored message as our delivery writes it, separator line matched loosely. */
    private static final String SEP = "From sender@example\\.org \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n";

    @Test
    void mboxrdRoundTripQuotesFromLinesAndGivesBackTheExactMessage() throws Exception {
        MboxStore store = store();
        String msg = "Return-Path: <sender@example.org>\nSubject: quoting\n\nFrom the start\n>From once\n"
                + ">>From twice\nFromage is not quoted\n\nFrom after a blank line\n";
        deliver(store, msg, ALICE);
        deliver(store, "Return-Path: <sender@example.org>\nSubject: two\n\nno newline at the end", ALICE);
        String file = Files.readString(mbox());
        assertTrue(file.matches("(?s)" + SEP + "Return-Path: <sender@example\\.org>\nSubject: quoting\n\n"
                + ">From the start\n>>From once\n>>>From twice\nFromage is not quoted\n\n>From after a blank line\n\n"
                + SEP + "Return-Path: <sender@example\\.org>\nSubject: two\nX-Mailroom-EOL: none\n\nno newline at the end\n\n"), file);
        try (Mailbox m = store.openInbox(ALICE)) {
            assertEquals(List.of(1L, 2L), uids(m));
            assertEquals(msg, read(m, 1));
            MessageRef r = m.messages().get(0);
            assertEquals(msg.length(), r.size());
            assertEquals(msg.length() + msg.chars().filter(c -> c == '\n').count(), r.rfc822Size());
            assertEquals("Return-Path: <sender@example.org>\nSubject: two\n\nno newline at the end", read(m, 2),
                    "the newline the mbox needs is marked and taken off again");
            assertEquals(Set.of(), r.flags());
        }
        assertFalse(Files.exists(tmp.resolve("mail/example.test/alice/inbox.mbox.lock")), "dotlock released");
    }

    @Test
    void flagsComeFromStatusAndXStatusAndAreHiddenFromTheMessage() throws Exception {
        Files.createDirectories(mbox().getParent());
        Files.writeString(mbox(), "From a@b Mon Nov  3 09:05:01 2025\nSubject: one\nStatus: RO\nX-Status: AF\n\nbody\n\n"
                + "From a@b Mon Nov  3 09:06:01 2025\nSubject: two\nStatus: O\nX-Status: TD\nX-Keywords: $Forwarded Work\n\nbody\n\n"
                + "From a@b Tue Nov  4 10:00:00 2025\nSubject: three\n\nbody\n");
        MboxStore store = store();
        try (Mailbox m = store.openInbox(ALICE)) {
            List<MessageRef> l = m.messages();
            assertEquals(3, l.size());
            assertEquals(Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED), l.get(0).flags());
            assertEquals(Set.of(Flag.DRAFT, Flag.DELETED), l.get(1).flags());
            assertEquals(Set.of("$Forwarded", "Work"), l.get(1).keywords());
            assertEquals(Set.of(), l.get(2).flags());
            assertEquals("Subject: one\n\nbody\n", read(m, 1));
            assertEquals("Subject: three\n\nbody\n", read(m, 3));
            assertEquals(Instant.parse("2025-11-04T10:00:00Z"), l.get(2).internalDate());
            MailboxStatus s = store.mailboxes(ALICE).status("INBOX");
            assertEquals(3, s.messages());
            assertEquals(2, s.unseen());
            assertEquals(1, s.deleted());
        }
    }

    @Test
    void anotherToolsMboxWithoutTheFinalBlankLineGetsOneBeforeOurMessage() throws Exception {
        Files.createDirectories(mbox().getParent());
        Files.writeString(mbox(), "\nFrom a@b Mon Nov  3 09:05:01 2025\nSubject: x\n\nbody");
        MboxStore store = store();
        try (Mailbox m = store.openInbox(ALICE)) {
            assertEquals("Subject: x\n\nbody", read(m, 1));
            deliver(store, "Subject: y\n\nFrom here\n", ALICE);
            Mailbox.Changes c = m.changes();
            assertEquals(List.of(), c.expunged());
            assertEquals(1, c.added().size());
            assertEquals(List.of(1L, 2L), uids(m));
            assertEquals("Subject: x\n\nbody\n", read(m, 1), "the separator needs the newline");
            assertEquals("Subject: y\n\nFrom here\n", read(m, 2));
        }
        assertTrue(Files.readString(mbox()).contains("\nbody\n\nFrom MAILER-DAEMON "), Files.readString(mbox()));
    }

    @Test
    void storeWritesStatusHeadersAsMuttDoesAndKeepsUidsAndOctets() throws Exception {
        MboxStore store = store();
        for (int i = 1; i <= 3; i++) deliver(store, "Subject: " + i + "\n\nbody " + i + "\n", ALICE);
        try (Mailbox m = store.openInbox(ALICE)) {
            String before = read(m, 1);
            Mailbox.StoreResult r = m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN, Flag.ANSWERED),
                    Set.of("$Label1"), -1);
            assertEquals(1, r.updated().size());
            assertTrue(r.updated().get(0).modSeq() > 0);
            assertEquals(before, read(m, 1), "flag headers are not part of the message");
            m.changes();
            assertEquals(Set.of("$Label1"), m.keywords());
            assertEquals("Subject: 3\n\nbody 3\n", read(m, 3), "later messages moved but are found");
        }
        String file = Files.readString(mbox());
        assertTrue(file.contains("Subject: 1\nStatus: RO\nX-Status: A\nX-Keywords: $Label1\n\nbody 1\n\n"), file);
        try (Mailbox m = store().openInbox(ALICE)) { // a new process
            assertEquals(List.of(1L, 2L, 3L), uids(m));
            assertEquals(Set.of(Flag.SEEN, Flag.ANSWERED), m.messages().get(0).flags());
            assertEquals(Set.of("$Label1"), m.messages().get(0).keywords());
            m.store(List.of(1L), Mailbox.FlagMode.REMOVE, Set.of(Flag.SEEN), Set.of("$Label1"), -1);
            assertEquals(Set.of(Flag.ANSWERED), m.measure(1).flags());
        }
    }

    @Test
    void snailAndPythonSeeTheFlagsWeWrite() throws Exception {
        Assumptions.assumeTrue(hasPython() && runs("s-nail", "-V"), "python3 or s-nail not installed");
        MboxStore store = store();
        for (int i = 1; i <= 2; i++) deliver(store, "Subject: " + i + "\n\nbody\n", ALICE);
        try (Mailbox m = store.openInbox(ALICE)) {
            m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN, Flag.FLAGGED, Flag.ANSWERED), Set.of(), -1);
        }
        Process p = new ProcessBuilder("s-nail", "-n", "-N", "-R", "-H", "-f", mbox().toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String list = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), list);
        String[] lines = list.strip().split("\n");
        assertEquals(2, lines.length, list);
        assertTrue(lines[0].matches(".*\\bF +1 .*"), "s-nail shows it flagged (X-Status: F), not new:\n" + list);
        assertTrue(lines[1].matches(".*\\bN +2 .*"), "new:\n" + list);
        p = new ProcessBuilder("python3", "-c", "import mailbox,sys\nfor m in mailbox.mbox(sys.argv[1]): print(''.join(sorted(m.get_flags())))",
                mbox().toString()).redirectErrorStream(true).start();
        assertEquals("AFOR\n\n", new String(p.getInputStream().readAllBytes(), UTF_8));
    }

    @Test
    void aFlagChangedByAnotherToolAtTheSameLengthIsSeen() throws Exception {
        MboxStore store = store();
        for (int i = 1; i <= 2; i++) deliver(store, "Subject: " + i + "\n\nbody\n", ALICE);
        try (Mailbox m = store.openInbox(ALICE)) {
            m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.ANSWERED), Set.of(), -1);
            m.changes();
            long size = Files.size(mbox());
            Files.writeString(mbox(), Files.readString(mbox()).replace("X-Status: A\n", "X-Status: F\n"));
            assertEquals(size, Files.size(mbox()));
            // later, as a person would (a change within the file system's time granularity is not seen)
            Files.setLastModifiedTime(mbox(), FileTime.from(Instant.now().plusSeconds(2)));
            m.refresh();
            Mailbox.Changes c = m.changes();
            assertEquals(1, c.changed().size());
            assertEquals(Set.of(Flag.FLAGGED), c.changed().get(0).flags());
        }
    }

    @Test
    void uidsSurviveReopenAndOtherToolsChangingFlagsAndRemovingMessages() throws Exception {
        MboxStore store = store();
        for (int i = 1; i <= 4; i++) deliver(store, "Subject: " + i + "\n\nbody\n", ALICE);
        long validity;
        try (Mailbox m = store.openInbox(ALICE)) {
            assertEquals(List.of(1L, 2L, 3L, 4L), uids(m));
            validity = m.uidValidity();
            // mutt marks message 1 read (its header grows) and deletes message 2, rewriting the file
            String f = Files.readString(mbox());
            f = f.replace("Subject: 1\n", "Subject: 1\nStatus: RO\n");
            int two = f.indexOf("Subject: 2\n");
            int start = f.lastIndexOf("From ", two), end = f.indexOf("From ", two);
            f = f.substring(0, start) + f.substring(end);
            Files.writeString(mbox(), f);
            m.refresh();
            Mailbox.Changes c = m.changes();
            assertEquals(List.of(2L), c.expunged());
            assertEquals(1, c.changed().size());
            assertEquals(Set.of(Flag.SEEN), c.changed().get(0).flags());
            assertEquals(List.of(1L, 3L, 4L), uids(m));
        }
        deliver(store, "Subject: 5\n\nbody\n", ALICE);
        try (Mailbox m = store().openInbox(ALICE)) {
            assertEquals(List.of(1L, 3L, 4L, 5L), uids(m));
            assertEquals(validity, m.uidValidity());
            assertEquals(6, m.uidNext());
            assertEquals("Subject: 4\n\nbody\n", read(m, 4));
        }
    }

    @Test
    void uidValidityOfAnEmptyInboxIsKept() throws Exception {
        long v;
        try (Mailbox m = store().openInbox(ALICE)) {
            v = m.uidValidity();
        }
        Thread.sleep(1100); // a new UIDVALIDITY would be the next second
        try (Mailbox m = store().openInbox(ALICE)) {
            assertEquals(v, m.uidValidity());
        }
    }

    @Test
    void expungeRewritesTheFileAndViewsLearnInChanges() throws Exception {
        MboxStore store = store();
        for (int i = 1; i <= 3; i++) deliver(store, "Subject: " + i + "\n\nbody\n", ALICE);
        try (Mailbox a = store.openInbox(ALICE); Mailbox b = store.openInbox(ALICE)) {
            assertEquals(List.of(2L), a.expunge(List.of(2L, 9L)));
            assertEquals(List.of(1L, 2L, 3L), uids(b), "b's snapshot waits for changes()");
            assertEquals(List.of(2L), b.changes().expunged());
            assertEquals(List.of(1L, 3L), uids(b));
            assertThrows(StoreException.class, () -> a.open(2));
        }
        String f = Files.readString(mbox());
        assertFalse(f.contains("Subject: 2"));
        assertEquals(2, f.split("\nFrom |^From ", -1).length - 1 + (f.startsWith("From ") ? 0 : 0));
    }

    @Test
    void aDeliveryDuringAnOpenSessionIsPublished() throws Exception {
        MboxStore store = store();
        try (Mailbox m = store.openInbox(ALICE)) {
            int[] calls = new int[1];
            m.onChange(() -> calls[0]++);
            deliver(store, "Subject: new\n\nbody\n", ALICE, BOB);
            assertTrue(calls[0] > 0);
            assertEquals(1, m.changes().added().size());
            assertTrue(m.recent(1));
        }
        try (Mailbox m = store.openInbox(BOB)) {
            assertEquals(1, m.messages().size(), "bob is a Maildir account");
        }
        assertTrue(Files.exists(tmp.resolve("mail/example.test/bob/cur")));
    }

    @Test
    void expungeWhileDeliveriesAppendLosesNothing() throws Exception {
        MboxStore store = store();
        int n = 60;
        ExecutorService ex = Executors.newFixedThreadPool(3);
        List<Long> expunged = new ArrayList<>();
        try (Mailbox m = store.openInbox(ALICE)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int tt = t;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < n / 2; i++) deliver(store, "Subject: " + tt + "-" + i + "\n\nFrom body\n", ALICE);
                    return null;
                }));
            }
            for (int round = 0; round < 20; round++) {
                m.refresh();
                m.changes();
                List<Long> odd = new ArrayList<>();
                for (MessageRef r : m.messages()) if (r.uid() % 2 == 1) odd.add(r.uid());
                expunged.addAll(m.expunge(odd));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            ex.shutdown();
        }
        try (Mailbox m = store().openInbox(ALICE)) {
            assertEquals(n, m.messages().size() + expunged.size());
            assertEquals(n + 1, m.uidNext());
            for (MessageRef r : m.messages()) assertTrue(read(m, r.uid()).endsWith("\n\nFrom body\n"));
        }
    }

    @Test
    void aDaemonDyingMidRewriteLosesNothingNotEvenWhatOthersAppendBeforeTheRestart() throws Exception {
        for (String point : List.of("journal", "half", "applied")) {
            Path dir = tmp.resolve(point);
            MaildirStore maildir = new MaildirStore(dir, "h");
            Consumer<String> crash = p -> {
                if (p.equals(point)) throw new IllegalStateException("killed at " + point);
            };
            MboxStore dying = new MboxStore(maildir, a -> true, MboxStore.defaultInbox(maildir), Duration.ofSeconds(5), crash);
            for (int i = 1; i <= 4; i++) deliver(dying, "Subject: " + i + "\n\n" + "x".repeat(5000) + "\n", ALICE);
            Path file = dir.resolve("example.test/alice/inbox.mbox");
            try (Mailbox m = dying.openInbox(ALICE)) {
                assertThrows(IllegalStateException.class, () -> m.expunge(List.of(1L)));
            }
            assertTrue(Files.exists(dir.resolve("example.test/alice/mailroom-mbox.journal")), point);
            // procmail delivers before the daemon is back
            Files.writeString(file, "From other@example Mon Nov  3 09:05:01 2025\nSubject: foreign\n\nhi\n\n",
                    java.nio.file.StandardOpenOption.APPEND);
            MboxStore restarted = new MboxStore(maildir, a -> true, MboxStore.defaultInbox(maildir));
            assertEquals(List.of(ALICE), restarted.recoverInterrupted(), point);
            assertFalse(Files.exists(dir.resolve("example.test/alice/mailroom-mbox.journal")), point);
            assertFalse(Files.readString(file).contains("Subject: 1\n"), point);
            try (Mailbox m = restarted.openInbox(ALICE)) {
                assertEquals(List.of(2L, 3L, 4L, 5L), uids(m), point);
                for (long u = 2; u <= 4; u++) assertTrue(read(m, u).startsWith("Subject: " + u + "\n"), point);
                assertEquals("Subject: foreign\n\nhi\n", read(m, 5), point);
            }
        }
    }

    @Test
    void aJournalMarkedDoneIsOnlyRemoved() throws Exception {
        MboxStore store = store();
        for (int i = 1; i <= 2; i++) deliver(store, "Subject: " + i + "\n\nbody\n", ALICE);
        String before = Files.readString(mbox());
        Path journal = tmp.resolve("mail/example.test/alice/mailroom-mbox.journal");
        Files.write(journal, "MRJD and whatever followed".getBytes(UTF_8)); // the removal was lost in a crash
        try (Mailbox m = store().openInbox(ALICE)) {
            assertEquals(List.of(1L, 2L), uids(m));
        }
        assertEquals(before, Files.readString(mbox()));
        assertFalse(Files.exists(journal));
    }

    @Test
    void anIncompleteJournalIsIgnoredAndTheMboxStaysIntact() throws Exception {
        MboxStore store = store();
        for (int i = 1; i <= 2; i++) deliver(store, "Subject: " + i + "\n\nbody\n", ALICE);
        String before = Files.readString(mbox());
        Path journal = tmp.resolve("mail/example.test/alice/mailroom-mbox.journal");
        Files.write(journal, new byte[] {'M', 'R', 'J', '1', 0, 0, 0}); // died while writing the journal
        try (Mailbox m = store().openInbox(ALICE)) {
            assertEquals(List.of(1L, 2L), uids(m));
        }
        assertEquals(before, Files.readString(mbox()));
        assertFalse(Files.exists(journal));
    }

    @Test
    void aHeldDotlockMakesWritersWaitAndAStaleOneIsRemoved() throws Exception {
        MboxStore store = store(Duration.ofMillis(300), p -> { });
        deliver(store, "Subject: 1\n\nbody\n", ALICE);
        Path lock = mbox().resolveSibling("inbox.mbox.lock");
        Files.writeString(lock, ProcessHandle.current().pid() + "\n"); // a live holder
        IOException e = assertThrows(IOException.class, () -> deliver(store, "Subject: 2\n\nbody\n", ALICE));
        assertTrue(e.getMessage().contains("locked"), e.getMessage());
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(6))));
        deliver(store, "Subject: 2\n\nbody\n", ALICE);
        assertFalse(Files.exists(lock));
        try (Mailbox m = store.openInbox(ALICE)) {
            assertEquals(2, m.messages().size());
        }
    }

    @Test
    void aDotlockWhoseProcessIsGoneIsRemovedAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        MboxStore store = store(Duration.ofMillis(300), p -> { });
        Files.createDirectories(mbox().getParent());
        Path lock = mbox().resolveSibling("inbox.mbox.lock");
        Files.writeString(lock, gone.pid() + "\n");
        deliver(store, "Subject: 1\n\nbody\n", ALICE);
        assertFalse(Files.exists(lock));
        Files.writeString(lock, ""); // mutt_dotlock's: no pid, only the age counts
        assertThrows(IOException.class, () -> deliver(store, "Subject: 2\n\nbody\n", ALICE));
        Files.delete(lock);
    }

    @Test
    void aWriterWaitsForAnotherProcessHoldingTheFcntlLock() throws Exception {
        Assumptions.assumeTrue(hasPython(), "python3 not installed");
        MboxStore store = store();
        deliver(store, "Subject: 1\n\nbody\n", ALICE);
        // another program appends a message in two halves while holding an fcntl lock (lockf)
        String py = "import fcntl,sys,time\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                + "print('locked',flush=True)\nf.write('From other@example Mon Nov  3 09:05:01 2025\\nSubject: py\\n\\n')\n"
                + "f.flush()\ntime.sleep(0.5)\nf.write('second half\\n\\n')\nf.flush()\nfcntl.lockf(f,fcntl.LOCK_UN)\n";
        Process p = new ProcessBuilder("python3", "-c", py, mbox().toString()).redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readNBytes(7), UTF_8);
        assertEquals("locked\n", first);
        deliver(store, "Subject: 2\n\nbody\n", ALICE); // must not land between the halves
        assertEquals(0, p.waitFor());
        try (Mailbox m = store.openInbox(ALICE)) {
            assertEquals(3, m.messages().size());
            assertEquals("Subject: py\n\nsecond half\n", read(m, 2));
            assertEquals("Subject: 2\n\nbody\n", read(m, 3));
        }
    }

    @Test
    void foldersOfAnMboxAccountAreMaildirAndCopyWorksBothWays() throws Exception {
        MboxStore store = store();
        deliver(store, "Subject: 1\n\nbody\n", ALICE);
        Mailboxes boxes = store.mailboxes(ALICE);
        boxes.ensureDefaults();
        assertTrue(Files.isDirectory(tmp.resolve("mail/example.test/alice/.Sent/cur")));
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            inbox.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.FLAGGED), Set.of(), -1);
            Mailbox.Copied c = inbox.copy(List.of(1L), "Archive", true);
            assertEquals(List.of(1L), c.sourceUids());
            inbox.changes();
            assertEquals(List.of(), uids(inbox));
        }
        try (Mailbox archive = boxes.open("Archive", false)) {
            assertEquals(1, archive.messages().size());
            assertEquals(Set.of(Flag.FLAGGED), archive.messages().get(0).flags());
            long uid = archive.messages().get(0).uid();
            Mailbox.Copied back = archive.copy(List.of(uid), "inbox", false);
            assertEquals(1, back.destUids().size());
        }
        try (Mailbox inbox = boxes.open("INBOX", true)) {
            assertEquals(1, inbox.messages().size());
            assertEquals("Subject: 1\n\nbody\n", read(inbox, inbox.messages().get(0).uid()));
            assertEquals(Set.of(Flag.FLAGGED), inbox.messages().get(0).flags());
        }
        assertTrue(Files.readString(mbox()).contains("X-Status: F\n"));
    }

    @Test
    void whileWeRewriteMuttsDotlockAndAnFcntlLockerAreShutOut() throws Exception {
        Assumptions.assumeTrue(hasPython(), "python3 not installed");
        List<Integer> exits = new ArrayList<>();
        Consumer<String> probe = point -> {
            if (!point.equals("journal")) return;
            try {
                if (runs("mutt_dotlock", "-u", "/nonexistent")) {
                    // mutt's own helper: 3 (DL_EX_EXIST) when the dotlock is taken
                    exits.add(new ProcessBuilder("mutt_dotlock", "-r", "0", mbox().toString()).start().waitFor());
                }
                exits.add(new ProcessBuilder("python3", "-c", "import fcntl,sys\nf=open(sys.argv[1],'a')\n"
                        + "try:\n  fcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\nexcept OSError:\n  sys.exit(11)\n",
                        mbox().toString()).start().waitFor());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        MboxStore store = store(Duration.ofSeconds(5), probe);
        deliver(store, "Subject: 1\n\nbody\n", ALICE);
        try (Mailbox m = store.openInbox(ALICE)) {
            m.store(List.of(1L), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN), Set.of(), -1);
        }
        assertFalse(exits.isEmpty());
        assertEquals(11, exits.get(exits.size() - 1), "python's lockf was refused");
        if (exits.size() == 2) assertEquals(3, exits.get(0), "mutt_dotlock found our dotlock");
    }

    private static boolean runs(String... cmd) {
        try {
            new ProcessBuilder(cmd).start().waitFor();
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theQuotaCountsTheMboxAndTheFoldersAndRefusesWhatWouldExceedIt() throws Exception {
        MaildirStore maildir = new MaildirStore(tmp.resolve("mail"), "h");
        MboxStore store = new MboxStore(maildir, a -> true, MboxStore.defaultInbox(maildir),
                account -> new org.mailroom.core.store.Quota(0, 2, 0, 0));
        deliver(store, "Subject: 1\n\nbody\n", ALICE);
        Mailboxes boxes = store.mailboxes(ALICE);
        boxes.ensureDefaults();
        try (Mailbox sent = boxes.open("Sent", false)) {
            sent.append(new MboxStore.BytesContent("Subject: sent\n\nx\n".getBytes(UTF_8)), Set.of(Flag.SEEN), Set.of(), null);
        }
        org.mailroom.core.store.Quota q = boxes.quota();
        assertEquals(2, q.messagesUsed());
        StoreException e = assertThrows(StoreException.class, () -> deliver(store, "Subject: 2\n\nbody\n", ALICE));
        assertEquals(StoreException.Reason.OVER_QUOTA, e.reason());
        try (Mailbox inbox = boxes.open("INBOX", false)) {
            StoreException a = assertThrows(StoreException.class, () -> inbox.append(
                    new MboxStore.BytesContent("Subject: 3\n\nx\n".getBytes(UTF_8)), Set.of(), Set.of(), null));
            assertEquals(StoreException.Reason.OVER_QUOTA, a.reason());
            assertEquals(1, inbox.messages().size());
        }
        assertEquals(1, Files.readString(mbox()).split("\nFrom |^From ").length - 1);
    }

    static boolean hasPython() {
        try {
            return new ProcessBuilder("python3", "-c", "pass").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
