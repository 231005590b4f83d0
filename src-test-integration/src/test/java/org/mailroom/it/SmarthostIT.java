package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.delivery.remote.ScriptedSmtpServer;

/**
 * Issue "Outbound" section 5: all remote mail through a smarthost, {@code relay.smarthost =
 * [host]:port}, with implicit TLS (RFC 8314 3.3) or STARTTLS (RFC 3207) and AUTH (RFC 4954) with
 * the user from {@code relay.smarthostUser} and the password from a 0600 file. The real daemon
 * relays for a loopback client (the default {@code relay.networks}); the smarthost is GreenMail's
 * SMTPS server, or a scripted STARTTLS peer since GreenMail's SMTP does not offer STARTTLS.
 */
class SmarthostIT {
    static final String USER = "relay-user";
    static final String PASSWORD = "Tr0ub4dor&3-smarthost";

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    GreenMail smarthost;

    @AfterEach
    void stop() throws Exception {
        if (mailroom != null) mailroom.close();
        if (smarthost != null) smarthost.stop();
    }

    /** GreenMail over implicit TLS on a free port, knowing one account; it checks AUTH against it. */
    private GreenMail smtps() throws IOException {
        GreenMail g = new GreenMail(new ServerSetup(MailroomProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        g.setUser("relay@isp.example", USER, PASSWORD);
        g.start();
        return g;
    }

    /** The daemon relaying through {@code [127.0.0.1]:port}, its password file written with mode 0600. */
    private MailroomProcess daemon(int port, String tls, String password) throws Exception {
        MailroomProcess m = new MailroomProcess(dir, "relay.smarthost = [127.0.0.1]:" + port,
                "relay.smarthostTls = " + tls, "relay.smarthostUser = " + USER,
                "relay.smarthostPasswordFile = smarthost.password");
        Path pw = m.configDir.resolve("smarthost.password");
        Files.writeString(pw, password + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        return m.start();
    }

    private static void submit(MailroomProcess m, String subject) throws IOException {
        try (Raw smtp = new Raw(m.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO client.example\r\n");
            smtp.reply();
            smtp.send("MAIL FROM:<alice@example.test>\r\n");
            assertTrue(smtp.reply().startsWith("250"));
            smtp.send("RCPT TO:<bob@remote.example>\r\n");
            String rcpt = smtp.reply();
            assertTrue(rcpt.startsWith("250"), rcpt);
            smtp.send("DATA\r\n");
            assertTrue(smtp.reply().startsWith("354"));
            smtp.send("Subject: " + subject + "\r\nMessage-ID: <" + subject + "@example.test>\r\n\r\nvia the smarthost\r\n.\r\n");
            String done = smtp.reply();
            assertTrue(done.startsWith("250 2.0.0"), done);
        }
    }

    /** Neither the password nor an AUTH response carrying it may reach the log. */
    private static void assertNoSecretIn(String log) {
        assertFalse(log.contains(PASSWORD), "the password is in the daemon log");
        for (String encoded : new String[] {b64("\0" + USER + "\0" + PASSWORD), b64(PASSWORD)}) {
            assertFalse(log.contains(encoded), "an encoded AUTH response is in the daemon log");
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void implicitTlsAndAuthPlainToGreenMailSmtps() throws Exception {
        smarthost = smtps();
        int port = smarthost.getSmtps().getPort();
        // not port 465 here, so implicit TLS is asked for by name
        mailroom = daemon(port, "implicit", PASSWORD);
        submit(mailroom, "smarthost-465");
        Await.until(Duration.ofSeconds(30), () -> smarthost.getReceivedMessages().length == 1, "mail at the smarthost");
        MimeMessage got = smarthost.getReceivedMessages()[0];
        assertEquals("smarthost-465", got.getSubject());
        Await.until(Duration.ofSeconds(10), () -> mailroom.log().contains("status=sent"), "the status=sent line");
        assertTrue(mailroom.log().matches("(?s).*to=<bob@remote.example>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:"
                + port + ", .*status=sent.*"), mailroom.log());
        assertNoSecretIn(mailroom.log());
    }

    @Test
    void startTlsAndAuthLoginToAScriptedSmarthost() throws Exception {
        // RFC 3207 then RFC 4954 with LOGIN, the mechanism left when a server offers no PLAIN
        try (ScriptedSmtpServer isp = new ScriptedSmtpServer("S: 220 isp.example ESMTP", "C: EHLO mx.example.test",
                "S: 250-isp.example", "S: 250-STARTTLS", "S: 250 AUTH LOGIN", "C: STARTTLS", "S: 220 2.0.0 go ahead",
                "TLS", "C: EHLO mx.example.test", "S: 250-isp.example", "S: 250 AUTH LOGIN", "C: AUTH LOGIN",
                "S: 334 VXNlcm5hbWU6", "C: " + b64(USER), "S: 334 UGFzc3dvcmQ6", "C: " + b64(PASSWORD),
                "S: 235 2.7.0 Authentication successful", "C: MAIL FROM:<alice@example.test>{*}", "S: 250 2.1.0 ok",
                "C: RCPT TO:<bob@remote.example>", "S: 250 2.1.5 ok", "C: DATA", "S: 354 go ahead", "C: <data>",
                "S: 250 2.0.0 queued as 42", "C: QUIT", "S: 221 2.0.0 bye")) {
            mailroom = daemon(isp.address().getPort(), "require", PASSWORD);
            submit(mailroom, "smarthost-587");
            Await.until(Duration.ofSeconds(30), () -> mailroom.log().contains("status=sent"), "the status=sent line");
            assertEquals(List.of(), isp.errors());
            assertEquals(1, isp.data().size());
            assertTrue(isp.data().get(0).contains("Subject: smarthost-587\r\n"), isp.data().get(0));
            assertNoSecretIn(mailroom.log());
        }
    }

    @Test
    void wrongPasswordLeavesTheMessageDeferred() throws Exception {
        smarthost = smtps();
        mailroom = daemon(smarthost.getSmtps().getPort(), "implicit", "not-" + PASSWORD);
        submit(mailroom, "smarthost-wrong-pw");
        Path deferred = mailroom.dataDir.resolve("queue/deferred");
        Await.until(Duration.ofSeconds(30), () -> mailroom.log().contains("status=deferred") && countEnv(deferred) == 1,
                "a deferred message");
        String log = mailroom.log();
        assertTrue(log.matches("(?s).*to=<bob@remote.example>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:\\d+, "
                + ".*status=deferred \\(.*SASL authentication failed.*535.*"), log);
        assertFalse(log.contains("status=bounced"), log);
        assertEquals(0, smarthost.getReceivedMessages().length);
        assertFalse(log.contains("not-" + PASSWORD), "the password is in the daemon log");
    }

    private static long countEnv(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".env")).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
