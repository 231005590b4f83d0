package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken clients against the real daemon: each gets its proper reply or is cut off,
 * the daemon stays up, and a well-behaved client is served afterwards. The exact replies of each
 * case are the transcripts of the smtp and pop3 modules; this checks the assembled daemon.
 */
class RobustnessIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir, "smtp.maxMessageSize = 64k");
        mailroom.addUser("alice@example.test", "alice-secret");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    @Test
    void badInputGetsProperRepliesAndTheDaemonStaysUp() throws Exception {
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            assertTrue(smtp.reply().startsWith("220 "));
            smtp.send("X".repeat(5000) + "\r\n");
            assertTrue(smtp.reply().startsWith("500 5.5.6"), "overlong line");
            smtp.send("MAIL FROM:<a@remote.example>\r\n");
            assertTrue(smtp.reply().startsWith("503 5.5.1"), "MAIL before EHLO");
            smtp.send("EHLO x.example\r\n");
            smtp.reply();
            smtp.send("DATA\r\n");
            assertTrue(smtp.reply().startsWith("503 5.5.1"), "DATA without RCPT");
            smtp.send("MAIL FROM:<a@remote.example> SIZE=999999999\r\n");
            assertTrue(smtp.reply().startsWith("552 5.3.4"), "SIZE over the limit");
            smtp.send("MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
            smtp.reply();
            smtp.reply();
            assertTrue(smtp.reply().startsWith("354"));
            smtp.send("Subject: smuggle\r\n\r\nx\n.\nMAIL FROM:<evil@remote.example>\n.\n\r\n.\r\n"); // only the last CRLF.CRLF ends it
            assertTrue(smtp.reply().startsWith("554 5.6.0"), "bare LF in the data");
            smtp.send("MAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
            smtp.reply();
            smtp.reply();
            smtp.reply();
            smtp.send(("Subject: big\r\n\r\n" + "y".repeat(998) + "\r\n").repeat(80) + ".\r\n");
            assertTrue(smtp.reply().startsWith("552 5.3.4"), "message over the size limit");
            smtp.send("RCPT TO:<nobody@example.test>\r\n");
            assertTrue(smtp.reply().startsWith("503"), "RCPT outside a transaction");
        }
        try (Raw smtp = new Raw(mailroom.port("smtp"))) { // dropped in the middle of DATA
            smtp.reply();
            smtp.send("EHLO x.example\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
            for (int i = 0; i < 4; i++) smtp.reply();
            smtp.send("Subject: half\r\n\r\nnever finished\r\n");
        }
        try (Raw pop = new Raw(mailroom.port("pop3"))) {
            assertTrue(pop.line().startsWith("+OK"));
            pop.send("STAT\r\n");
            assertTrue(pop.line().startsWith("-ERR"), "STAT before login");
            pop.send("USER alice@example.test\r\nPASS wrong\r\n");
            assertTrue(pop.line().startsWith("+OK"));
            assertTrue(pop.line().startsWith("-ERR [AUTH]"), "wrong password");
        }
        // a well-behaved client is still served, and nothing of the broken sessions was delivered
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO ok.example\r\nMAIL FROM:<a@remote.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
            for (int i = 0; i < 4; i++) smtp.reply();
            smtp.send("Subject: fine\r\n\r\nok\r\n.\r\nQUIT\r\n");
            assertTrue(smtp.reply().startsWith("250 2.0.0"));
            assertTrue(smtp.reply().startsWith("221"));
        }
        assertTrue(mailroom.isAlive());
        try (Stream<Path> s = Files.list(mailroom.dataDir.resolve("mail/example.test/alice/new"))) {
            assertEquals(1, s.count());
        }
        try (Stream<Path> s = Files.list(mailroom.dataDir.resolve("tmp"))) {
            assertEquals(0, s.count(), "the spool of the dropped DATA is cleaned up");
        }
    }
}
