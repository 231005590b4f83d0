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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first mail path end to end (issue "Foundation and the first mail path"): a real daemon
 * process, mail sent with Angus Mail and with swaks, read back over POP3 with Angus Mail and with
 * curl, deleted, and kept when the POP3 connection drops without QUIT.
 */
class FirstMailPathIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir);
        mailroom.addUser("alice@example.test", "alice-secret");
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

    /** The message as the POP3 client sees it, minus the two trace fields the server put on top. */
    private static String withoutTrace(byte[] raw) {
        String s = new String(raw, StandardCharsets.UTF_8);
        assertTrue(s.startsWith("Return-Path: <"), s);
        int received = s.indexOf("\r\nReceived: from ");
        assertTrue(received > 0, s);
        int end = s.indexOf("\r\n", received + 2);
        while (s.charAt(end + 2) == '\t' || s.charAt(end + 2) == ' ') end = s.indexOf("\r\n", end + 2);
        return s.substring(end + 2);
    }

    @Test
    void angusMailSendsAndReadsBackByteForByteThenDeletes() throws Exception {
        Session session = session();
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("bob@remote.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
        m.setSubject("first path");
        m.setText("Hello Alice,\r\n.leading dot line\r\n..two dots\r\n\r\nbye\r\n", "UTF-8");
        Transport.send(m);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        m.writeTo(sent); // as sent: send() already fixed Message-ID and Date

        Store pop = session.getStore("pop3");
        pop.connect("alice@example.test", "alice-secret");
        Folder inbox = pop.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertEquals(1, inbox.getMessageCount());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        inbox.getMessage(1).writeTo(got);
        assertEquals(sent.toString(StandardCharsets.UTF_8), withoutTrace(got.toByteArray()));
        String header = got.toString(StandardCharsets.UTF_8);
        assertTrue(header.startsWith("Return-Path: <bob@remote.example>\r\n"), header);
        assertTrue(header.contains("by mx.example.test (Mailroom) with ESMTP id "), header);
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        inbox.close(true); // QUIT: the deletion takes effect
        pop.close();

        inbox = reopen(session);
        assertEquals(0, inbox.getMessageCount());
        inbox.close(false);
        assertTrue(mailroom.log().matches("(?s).*: to=<alice@example.test>, relay=local, .*status=sent.*"), mailroom.log());
    }

    private Folder reopen(Session session) throws Exception {
        Store pop = session.getStore("pop3");
        pop.connect("alice@example.test", "alice-secret");
        Folder inbox = pop.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        return inbox;
    }

    @Test
    void swaksSendsAndCurlReadsOverPop3() throws Exception {
        String out = MailroomProcess.exec(Duration.ofSeconds(60), null, "swaks",
                "--server", "127.0.0.1:" + mailroom.port("smtp"), "--helo", "swaks.example.net",
                "--from", "carol@remote.example", "--to", "alice@example.test",
                "--header", "Subject: via swaks", "--body", "swaks body line\n.dot line\n");
        assertTrue(out.contains("<-  250 2.0.0"), out);

        String list = MailroomProcess.exec(Duration.ofSeconds(30), null, "curl", "-sS", "--max-time", "20",
                "pop3://127.0.0.1:" + mailroom.port("pop3") + "/", "-u", "alice@example.test:alice-secret");
        assertTrue(list.matches("1 \\d+\\r?\\n"), list);
        String msg = MailroomProcess.exec(Duration.ofSeconds(30), null, "curl", "-sS", "--max-time", "20",
                "pop3://127.0.0.1:" + mailroom.port("pop3") + "/1", "-u", "alice@example.test:alice-secret");
        assertTrue(msg.contains("Subject: via swaks\r\n"), msg);
        assertTrue(msg.contains("\r\nswaks body line\r\n.dot line\r\n"), msg);
        assertTrue(msg.startsWith("Return-Path: <carol@remote.example>"), msg);
    }

    @Test
    void deleteWithoutQuitKeepsTheMessage() throws Exception {
        deliverRaw("Subject: keep me\r\n\r\nstill here\r\n");
        try (Raw pop = new Raw(mailroom.port("pop3"))) {
            assertTrue(pop.line().startsWith("+OK"));
            pop.send("USER alice@example.test\r\n");
            assertTrue(pop.line().startsWith("+OK"));
            pop.send("PASS alice-secret\r\n");
            assertTrue(pop.line().startsWith("+OK"));
            pop.send("DELE 1\r\n");
            assertTrue(pop.line().startsWith("+OK"));
        } // dropped without QUIT
        Folder inbox = reopenEventually();
        assertEquals(1, inbox.getMessageCount());
        inbox.close(false);
    }

    /** The POP3 lock of the dropped session is released when the server notices the close. */
    private Folder reopenEventually() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return reopen(session());
            } catch (jakarta.mail.MessagingException e) {
                if (System.nanoTime() > deadline) throw e;
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            }
        }
    }

    private String deliverRaw(String message) throws Exception {
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            assertTrue(smtp.reply().startsWith("220 "));
            smtp.send("EHLO raw.example.net\r\n");
            assertTrue(smtp.reply().startsWith("250 "));
            smtp.send("MAIL FROM:<dave@remote.example>\r\n");
            assertTrue(smtp.reply().startsWith("250 "));
            smtp.send("RCPT TO:<alice@example.test>\r\n");
            assertTrue(smtp.reply().startsWith("250 "));
            smtp.send("DATA\r\n");
            assertTrue(smtp.reply().startsWith("354 "));
            smtp.send(message + ".\r\n");
            String r = smtp.reply();
            assertTrue(r.startsWith("250 2.0.0"), r);
            Matcher id = Pattern.compile("queued as (\\S+)").matcher(r);
            assertTrue(id.find(), r);
            return id.group(1);
        }
    }

    /** Python's mailbox module is a strict reader of the Maildir format that mutt and Dovecot share. */
    @Test
    void theMaildirIsAStandardOneThatOtherToolsRead() throws Exception {
        deliverRaw("Subject: for other tools\r\nFrom: a@remote.example\r\n\r\nbody\r\n");
        Path maildir = mailroom.dataDir.resolve("mail/example.test/alice");
        String out = MailroomProcess.exec(Duration.ofSeconds(30), null, "python3", "-c",
                "import mailbox,sys\n"
                        + "md = mailbox.Maildir(sys.argv[1], factory=None, create=False)\n"
                        + "for key, msg in md.items():\n"
                        + "    print(msg['Subject'], '|', msg['Return-Path'], '|', msg.get_subdir(), '|', msg.get_payload().strip())\n",
                maildir.toString());
        assertEquals("for other tools | <dave@remote.example> | new | body\n", out);
    }

    @Test
    void killMinus9RightAfterThe250LosesNothing() throws Exception {
        String id = deliverRaw("Subject: durable\r\n\r\nsurvives kill -9\r\n");
        mailroom.kill9();
        Path newDir = mailroom.dataDir.resolve("mail/example.test/alice/new");
        try (Stream<Path> s = Files.list(newDir)) {
            Path f = s.findFirst().orElseThrow(() -> new AssertionError("no file in " + newDir));
            String stored = Files.readString(f);
            assertTrue(stored.endsWith("Subject: durable\n\nsurvives kill -9\n"), stored);
            assertTrue(stored.contains(" id " + id), stored);
        }
        mailroom.start();
        Folder inbox = reopen(session());
        assertEquals(1, inbox.getMessageCount());
        inbox.close(false);
    }

    @Test
    void sigtermLetsATransactionInProgressFinish() throws Exception {
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO raw.example.net\r\nMAIL FROM:<e@remote.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
            for (int i = 0; i < 4; i++) smtp.reply();
            smtp.send("Subject: during shutdown\r\n\r\n");
            Thread shutdown = new Thread(() -> {
                try {
                    mailroom.terminate();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            shutdown.start();
            // the listener closes first; the open session may still finish its message
            Await.until(Duration.ofSeconds(20), () -> mailroom.log().contains("mailroom stopping"), "SIGTERM to be seen");
            smtp.send("body\r\n.\r\n");
            String r = smtp.reply();
            assertTrue(r.startsWith("250 2.0.0"), r + "\n" + mailroom.log());
            shutdown.join(60_000);
        }
        assertTrue(!mailroom.isAlive());
        try (Stream<Path> s = Files.list(mailroom.dataDir.resolve("mail/example.test/alice/new"))) {
            assertEquals(1, s.count());
        }
    }
}
