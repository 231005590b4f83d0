package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ESMTP end to end (issue "Submission" section 6): over the submission port, authenticated, to a
 * remote domain whose transport points at a closed port so that the message stays queued. The
 * queue record keeps ENVID, RET, NOTIFY and ORCPT (RFC 3461) and the SMTPUTF8 flag (RFC 6531), and
 * the queued content got the Message-ID: and Date: that the client left out (RFC 6409 8.2, 8.3).
 */
class EsmtpIT {
    private static final String ALICE = "alice@example.test";
    private static final String PASSWORD = "alice-secret";

    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed: every attempt is deferred
        }
        mailroom = new MailroomProcess(dir, "transport.remote.example = [127.0.0.1]:" + closed);
        mailroom.addUser(ALICE, PASSWORD);
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    /** The queue files (records and contents) whose text contains {@code marker}. */
    private String queued(String marker, String suffix) {
        try (Stream<Path> files = Files.walk(mailroom.dataDir.resolve("queue"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
                String s = Files.readString(p, StandardCharsets.UTF_8);
                if (s.contains(marker)) return s;
            }
        } catch (IOException e) {
            return null; // a file renamed between listing and reading: look again
        }
        return null;
    }

    @Test
    void swaksSubmissionGetsMessageIdAndDate() throws Exception {
        Path data = dir.resolve("message.eml");
        Files.writeString(data, "From: <alice@example.test>\r\nTo: <bob@remote.example>\r\n"
                + "Subject: esmtp swaks\r\n\r\nno Message-ID, no Date\r\n.\r\n");
        String out = MailroomProcess.exec(Duration.ofSeconds(60), null, "swaks",
                "--server", "127.0.0.1:" + mailroom.port("submission"), "--helo", "swaks.example.net",
                "--tls", "--auth", "PLAIN", "--auth-user", ALICE, "--auth-password", PASSWORD,
                "--from", ALICE, "--to", "bob@remote.example", "--data", data.toString());
        assertTrue(out.contains("<~  250 2.0.0"), out);
        String[] content = new String[1];
        Await.until(Duration.ofSeconds(10), () -> (content[0] = queued("Subject: esmtp swaks", ".msg")) != null,
                "the message in the queue");
        String header = content[0].substring(0, content[0].indexOf("\n\n"));
        assertTrue(header.matches("(?s).*\nMessage-ID: <[^@>]+@mx\\.example\\.test>\n.*"), content[0]);
        assertTrue(header.matches("(?s).*\nDate: [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\n.*"),
                content[0]);
        assertTrue(header.contains("with ESMTPSA id "), header);
    }

    @Test
    void dsnParametersAndSmtputf8ReachTheQueueRecord() throws Exception {
        String auth = Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String body = "Subject: esmtp bdat\r\n\r\nvia BDAT\r\n";
        int octets = body.getBytes(StandardCharsets.UTF_8).length;
        try (Raw smtp = new Raw(mailroom.port("submission"))) { // auth.plaintextOnLoopback
            assertTrue(smtp.reply().startsWith("220 "));
            smtp.send("EHLO raw.example.net\r\n");
            assertTrue(smtp.reply().startsWith("250 "));
            smtp.send("AUTH PLAIN " + auth + "\r\n");
            assertTrue(smtp.reply().startsWith("235 "));
            smtp.send("MAIL FROM:<alice@example.test> RET=HDRS ENVID=QQ314159+2Bx SMTPUTF8\r\n"
                    + "RCPT TO:<carol@remote.example> NOTIFY=FAILURE,DELAY ORCPT=rfc822;carol+40old.example\r\n"
                    + "RCPT TO:<dave@remote.example> NOTIFY=NEVER\r\n"
                    + "BDAT " + octets + " LAST\r\n" + body);
            for (String expected : List.of("250 2.1.0", "250 2.1.5", "250 2.1.5", "250 2.0.0 Ok: queued as ")) {
                String r = smtp.reply();
                assertTrue(r.startsWith(expected), r);
            }
        }
        String[] record = new String[1];
        Await.until(Duration.ofSeconds(10), () -> (record[0] = queued("rcpt: carol@remote.example", ".env")) != null,
                "the queue record");
        String r = record[0];
        for (String line : List.of("envid: QQ314159+2Bx\n", "ret: HDRS\n", "smtputf8: yes\n", "protocol: UTF8SMTPA\n",
                "rcpt: carol@remote.example\n  orcpt: rfc822;carol+40old.example\n  notify: FAILURE,DELAY\n",
                "rcpt: dave@remote.example\n  notify: NEVER\n")) {
            assertTrue(r.contains(line), "missing " + line + " in\n" + r);
        }
        String content = queued("Subject: esmtp bdat", ".msg");
        assertTrue(content != null && content.contains("\nMessage-ID: <") && content.endsWith("\n\nvia BDAT\n"), content);
    }
}
