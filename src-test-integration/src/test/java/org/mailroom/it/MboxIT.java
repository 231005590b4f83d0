package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mbox INBOXes from the real daemon (issue 7 part 3, docs/mbox.md): {@code mailbox.format=mbox},
 * mail delivered over SMTP lands in an mboxrd file that s-nail and Python's {@code mailbox.mbox}
 * read, POP3 serves it, and a POP3 deletion rewrites it, also while SMTP deliveries append. A
 * per-account override keeps another account on Maildir.
 *
 * <p>Issue 7's "a test delivers while an IMAP session expunges, and nothing is lost or
 * corrupted": {@link #imapExpungesAndFlagsWhileSmtpDelivers}; "no message lost if the daemon dies
 * mid-rewrite": the daemon is killed with SIGKILL during an IMAP expunge of a 30 MB mbox.
 */
class MboxIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir, "mailbox.format = mbox", "mailbox.format.bob@example.test = maildir");
        mailroom.addUser("alice@example.test", "alice-secret");
        mailroom.addUser("bob@example.test", "bob-secret");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    private Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(mailroom.port("smtp")));
        p.put("mail.smtp.localhost", "client.example.net");
        p.put("mail.pop3.host", "127.0.0.1");
        p.put("mail.pop3.port", String.valueOf(mailroom.port("pop3")));
        p.put("mail.smtp.timeout", "20000");
        p.put("mail.pop3.timeout", "20000");
        return Session.getInstance(p);
    }

    private void send(Session session, String to, String subject, String body) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("carol@remote.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText(body, "US-ASCII");
        Transport.send(m);
    }

    private Path mbox() {
        return mailroom.dataDir.resolve("mail/example.test/alice/inbox.mbox");
    }

    private String snail() throws Exception {
        // -n: no system rc; -H: print the header summary and exit; -R: read-only
        return MailroomProcess.exec(Duration.ofSeconds(30), "", "s-nail", "-n", "-N", "-R", "-H", "-f", mbox().toString());
    }

    private String python() throws Exception {
        return MailroomProcess.exec(Duration.ofSeconds(30), null, "python3", "-c",
                "import mailbox,sys\nmb=mailbox.mbox(sys.argv[1],create=False)\n"
                        + "for m in mb: print(m.get_from().split(' ')[0], '|', m['Subject'], '|', m.get_payload().count('From '))\n",
                mbox().toString());
    }

    @Test
    void deliveredIntoAnMboxThatSnailAndPythonReadAndPop3Serves() throws Exception {
        Session session = session();
        send(session, "alice@example.test", "first", "Hello\r\nFrom the start of a line\r\n>From quoted\r\nbye\r\n");
        send(session, "alice@example.test", "second", "plain\r\n");
        send(session, "bob@example.test", "for bob", "maildir\r\n");
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return Files.readString(mbox()).contains("Subject: second");
            } catch (java.io.IOException e) {
                return false;
            }
        }, "the second message in the mbox");

        String file = Files.readString(mbox());
        assertTrue(file.startsWith("From carol@remote.example "), file);
        assertTrue(file.contains("\n>From the start of a line\n>>From quoted\n"), "mboxrd quoting:\n" + file);
        assertTrue(file.endsWith("\n\n"), file);
        assertTrue(Files.isDirectory(mailroom.dataDir.resolve("mail/example.test/bob/new")), "bob stays on Maildir");

        String list = snail();
        assertTrue(list.matches("(?s).*\\bN +1 carol@remote.*first.*\\n.*\\bN +2 carol@remote.*second.*"), "s-nail lists both as new:\n" + list);
        String py = python();
        assertEquals("carol@remote.example | first | 2\ncarol@remote.example | second | 0\n", py);

        Store pop = session.getStore("pop3");
        pop.connect("alice@example.test", "alice-secret");
        Folder inbox = pop.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertEquals(2, inbox.getMessageCount());
        assertEquals("first", inbox.getMessage(1).getSubject());
        String body = ((String) inbox.getMessage(1).getContent()).replace("\r\n", "\n");
        assertEquals("Hello\nFrom the start of a line\n>From quoted\nbye\n", body, "one level of quoting removed");
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        inbox.close(true); // QUIT: the mbox is rewritten without it
        pop.close();

        assertEquals("carol@remote.example | second | 0\n", python());
        String after = snail();
        assertTrue(after.contains("second") && !after.contains("first"), after);
        assertTrue(!Files.exists(mbox().resolveSibling("inbox.mbox.lock")), "dotlock released");
    }

    @Test
    void pop3DeletesWhileSmtpDeliversAndNothingIsLostOrCorrupted() throws Exception {
        Session session = session();
        int n = 20;
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<?> sender = ex.submit(() -> {
            for (int i = 0; i < n; i++) send(session, "alice@example.test", "m" + i, "From line " + i + "\r\nbody\r\n");
            return null;
        });
        java.util.Set<String> deleted = new java.util.TreeSet<>();
        try {
            while (!sender.isDone() || deleted.isEmpty()) {
                Store pop = session.getStore("pop3");
                pop.connect("alice@example.test", "alice-secret");
                Folder inbox = pop.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                for (Message m : inbox.getMessages()) {
                    if (deleted.size() % 2 == 0 || m.getMessageNumber() % 2 == 1) { // some, not all
                        String body = ((String) m.getContent()).replace("\r\n", "\n");
                        assertTrue(body.matches("From line \\d+\nbody\n"), body);
                        deleted.add(m.getSubject());
                        m.setFlag(Flags.Flag.DELETED, true);
                    }
                }
                inbox.close(true);
                pop.close();
            }
            sender.get();
        } finally {
            ex.shutdownNow();
        }
        send(session, "alice@example.test", "m" + n, "From line " + n + "\r\nbody\r\n"); // one is always kept
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return Files.readString(mbox()).contains("Subject: m" + n + "\n");
            } catch (java.io.IOException e) {
                return false;
            }
        }, "the last message in the mbox");
        String py = python();
        long kept = py.lines().count();
        assertEquals(n + 1, deleted.size() + kept, "deleted " + deleted + ", kept:\n" + py);
        for (String line : py.lines().toList()) {
            assertTrue(line.matches("carol@remote\\.example \\| m\\d+ \\| 1"), line);
            assertTrue(!deleted.contains(line.split(" \\| ")[1]), line);
        }
        String list = snail();
        assertEquals(kept, list.lines().filter(l -> l.contains("carol@remote")).count(), list);
    }

    @Test
    void imapExpungesAndFlagsWhileSmtpDelivers() throws Exception {
        Session session = session();
        Properties p = new Properties();
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(mailroom.port("imap")));
        p.put("mail.imap.timeout", "20000");
        Store imap = Session.getInstance(p).getStore("imap");
        imap.connect("alice@example.test", "alice-secret");
        org.eclipse.angus.mail.imap.IMAPFolder inbox = (org.eclipse.angus.mail.imap.IMAPFolder) imap.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        int n = 20;
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<?> sender = ex.submit(() -> {
            for (int i = 0; i < n; i++) send(session, "alice@example.test", "m" + i, "From line " + i + "\r\nbody\r\n");
            return null;
        });
        java.util.Set<String> expunged = new java.util.TreeSet<>(), flagged = new java.util.TreeSet<>();
        try {
            boolean last = false;
            while (!last) {
                last = sender.isDone();
                inbox.doCommand(protocol -> {
                    protocol.noop(); // new messages (and nothing else) arrive as untagged EXISTS
                    return null;
                });
                boolean expunge = false;
                for (Message m : inbox.getMessages()) {
                    String subject = m.getSubject();
                    if (expunged.contains(subject) || flagged.contains(subject)) continue;
                    if ((expunged.size() + flagged.size()) % 2 == 0) {
                        m.setFlag(Flags.Flag.DELETED, true);
                        expunged.add(subject);
                        expunge = true;
                    } else {
                        m.setFlag(Flags.Flag.FLAGGED, true);
                        flagged.add(subject);
                    }
                }
                if (expunge) inbox.expunge();
            }
            sender.get();
            assertEquals(n, expunged.size() + flagged.size(), "the session saw every message once");
            assertEquals(flagged.size(), inbox.getMessageCount());
            for (Message m : inbox.getMessages()) {
                assertTrue(m.isSet(Flags.Flag.FLAGGED), m.getSubject());
                String body = ((String) m.getContent()).replace("\r\n", "\n");
                assertTrue(body.matches("From line \\d+\nbody\n"), body);
            }
        } finally {
            ex.shutdownNow();
            inbox.close(false);
            imap.close();
        }
        String py = python();
        assertEquals(flagged.size(), py.lines().count(), "expunged " + expunged + ", flagged " + flagged + ":\n" + py);
        for (String line : py.lines().toList()) assertTrue(flagged.contains(line.split(" \\| ")[1]), line);
        String file = Files.readString(mbox());
        assertEquals(flagged.size(), file.split("\nX-Status: F\n", -1).length - 1, file);
        String list = snail();
        assertEquals(flagged.size(), list.lines().filter(l -> l.matches(".*\\bF +\\d+ carol@remote.*")).count(), list);
    }

    @Test
    void killedWhileWritingTheJournalLosesNoMessage() throws Exception {
        killDuringExpunge(false);
    }

    @Test
    void killedAfterTheJournalLosesNoMessageAndTheExpungeIsFinished() throws Exception {
        killDuringExpunge(true);
    }

    /**
     * A big mbox, written before the daemon reads it, so that an expunge of its first message
     * rewrites tens of megabytes; kill -9 as soon as the journal appears, or once it is complete.
     */
    private void killDuringExpunge(boolean journalComplete) throws Exception {
        int n = 300;
        StringBuilder sb = new StringBuilder();
        String filler = "x".repeat(99) + "\n";
        for (int i = 0; i < n; i++) {
            sb.append("From seed@example.org Mon Nov  3 09:05:01 2025\nSubject: s").append(i).append("\n\n");
            sb.append(filler.repeat(1000)).append('\n');
        }
        mailroom.close();
        Files.createDirectories(mbox().getParent());
        Files.writeString(mbox(), sb.toString());
        long firstMessage = sb.indexOf("From seed", 1);
        long fullJournal = 36 + (sb.length() - firstMessage) + 12; // header, tail without message 1, trailer
        mailroom.start();
        Properties p = new Properties();
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(mailroom.port("imap")));
        p.put("mail.imap.timeout", "20000");
        Store imap = Session.getInstance(p).getStore("imap");
        imap.connect("alice@example.test", "alice-secret");
        Folder inbox = imap.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertEquals(n, inbox.getMessageCount());
        Path journal = mbox().resolveSibling("mailroom-mbox.journal");
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true); // a rewrite too, journal and all
        Thread expunger = new Thread(() -> {
            try {
                inbox.expunge();
            } catch (Exception e) {
                // the daemon dies under it
            }
        });
        expunger.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && expunger.isAlive()) {
            try {
                if (Files.size(journal) >= (journalComplete ? fullJournal : 1)) break;
            } catch (java.io.IOException notYet) {
                // no journal yet
            }
            Thread.onSpinWait();
        }
        mailroom.kill9();
        expunger.join(30_000);

        mailroom.start(); // finishes or discards the rewrite before serving
        assertTrue(!Files.exists(journal), "the journal is dealt with at start");
        String py = MailroomProcess.exec(Duration.ofSeconds(60), null, "python3", "-c",
                "import mailbox,sys\nfor m in mailbox.mbox(sys.argv[1],create=False): print(m['Subject'], len(m.get_payload()))\n",
                mbox().toString());
        List<String> lines = py.lines().toList();
        if (journalComplete) assertEquals(n - 1, lines.size(), "a complete journal is applied");
        else assertTrue(lines.size() == n || lines.size() == n - 1, "all, or all but the expunged one: " + lines.size());
        for (int i = 0; i < lines.size(); i++) {
            int s = n - lines.size() + i; // s0 is the one that may be gone
            assertEquals("s" + s + " " + (100 * 1000), lines.get(i), "message " + s + " intact");
        }
        try (Store again = Session.getInstance(p).getStore("imap")) {
            again.connect("alice@example.test", "alice-secret");
            Folder f = again.getFolder("INBOX");
            f.open(Folder.READ_ONLY);
            assertEquals(lines.size(), f.getMessageCount());
            f.close(false);
        }
    }
}
