package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.test.TestPki;

/**
 * Issue 7 part 2, reload without downtime, against the real daemon: SIGHUP after a new
 * certificate, a new password and a new relay.networks; a POP3 session opened before the reload
 * goes on, new sessions see the new certificate and password, and a broken configuration is
 * rejected with its file:line: key line while the previous one stays in force.
 * An IMAP session selected before the reload goes on too, and new IMAP logins and the imaps
 * certificate follow the new configuration.
 */
class ReloadIT {
    private static final String ALICE = "alice@example.test";

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    Path cert;
    Path key;
    String remote;

    @BeforeEach
    void start() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        writePair(TestPki.ca("CN=before.example.test"));
        remote = "transport.remote.example = [127.0.0.1]:" + MailroomProcess.freePort();
        mailroom = new MailroomProcess(dir, "tls.cert = " + cert, "tls.key = " + key, remote);
        mailroom.addUser(ALICE, "old-secret");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    private TestPki writePair(TestPki pki) throws IOException {
        pki.writeCertificate(cert);
        // PKCS#8, as certbot's privkey.pem
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pki.keys().getPrivate().getEncoded());
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        return pki;
    }

    /** Rewrites mailroom.properties: the test's ports and files plus {@code extra}. */
    private void rewriteConfig(String... extra) throws IOException {
        Path file = mailroom.configDir.resolve("mailroom.properties");
        StringBuilder sb = new StringBuilder();
        for (String l : Files.readAllLines(file)) {
            if (!l.startsWith("relay.networks") && !l.startsWith("smtp.maxRecipients")) sb.append(l).append('\n');
        }
        for (String e : extra) sb.append(e).append('\n');
        Files.writeString(file, sb.toString());
    }

    /** Sends SIGHUP and waits for the reload's last log line ("done" or "rejected"). */
    private String reload(String expect) throws Exception {
        int before = mailroom.log().length();
        mailroom.hangup();
        Await.until(Duration.ofSeconds(30), () -> mailroom.log().substring(before).contains(expect), "\"" + expect + "\" in the log");
        return mailroom.log().substring(before);
    }

    private Certificate pop3sCertificate() throws Exception {
        try (SSLSocket s = (SSLSocket) TestPki.clientContext(null).getSocketFactory()
                .createSocket("127.0.0.1", mailroom.port("pop3s"))) {
            s.setSoTimeout(15_000);
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    private static void deliver(int port, String to, String subject) throws IOException {
        try (Raw smtp = new Raw(port)) {
            assertTrue(smtp.reply().startsWith("220"));
            assertTrue(smtp.send("EHLO client.test\r\n").reply().startsWith("250"));
            assertTrue(smtp.send("MAIL FROM:<bob@remote.example>\r\n").reply().startsWith("250"));
            assertTrue(smtp.send("RCPT TO:<" + to + ">\r\n").reply().startsWith("250"));
            assertTrue(smtp.send("DATA\r\n").reply().startsWith("354"));
            String r = smtp.send("Subject: " + subject + "\r\n\r\nhello\r\n.\r\n").reply();
            assertTrue(r.startsWith("250"), r);
            smtp.send("QUIT\r\n").reply();
        }
    }

    /** The reply to RCPT of a remote address from 127.0.0.1 without AUTH: relay.networks decides. */
    private String relayReply() throws IOException {
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO client.test\r\n").reply();
            smtp.send("MAIL FROM:<alice@example.test>\r\n").reply();
            String r = smtp.send("RCPT TO:<carol@remote.example>\r\n").reply();
            smtp.send("QUIT\r\n").reply();
            return r;
        }
    }

    private static String pop3Login(Raw pop, String password) throws IOException {
        assertTrue(pop.line().startsWith("+OK"));
        assertTrue(pop.send("USER " + ALICE + "\r\n").line().startsWith("+OK"));
        return pop.send("PASS " + password + "\r\n").line();
    }

    /** Sends an IMAP command and returns every line up to and including the tagged one. */
    private static java.util.List<String> imap(Raw c, String tag, String command) throws IOException {
        c.send(tag + " " + command + "\r\n");
        java.util.List<String> lines = new java.util.ArrayList<>();
        String l;
        do {
            l = c.line();
            lines.add(l);
        } while (!l.startsWith(tag + " "));
        return lines;
    }

    private Certificate imapsCertificate() throws Exception {
        try (SSLSocket s = (SSLSocket) TestPki.clientContext(null).getSocketFactory()
                .createSocket("127.0.0.1", mailroom.port("imaps"))) {
            s.setSoTimeout(15_000);
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void anOpenImapSessionSurvivesAReloadThatChangesCertificateAndPassword() throws Exception {
        deliver(mailroom.port("smtp"), ALICE, "before the IMAP reload");
        Certificate oldCert = imapsCertificate();
        try (Raw open = new Raw(mailroom.port("imap"))) {
            assertTrue(open.line().startsWith("* OK"));
            assertTrue(imap(open, "a1", "LOGIN " + ALICE + " old-secret").get(0).contains("a1 OK"));
            assertTrue(imap(open, "a2", "SELECT INBOX").contains("* 1 EXISTS"));

            TestPki after = writePair(TestPki.ca("CN=imap-after.example.test"));
            assertEquals(0, mailroom.cli("new-secret\n", "user", "passwd", ALICE));
            reload("reload: done");

            java.util.List<String> fetch = imap(open, "a3", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertTrue(fetch.contains("Subject: before the IMAP reload"), fetch.toString());
            assertTrue(fetch.get(fetch.size() - 1).startsWith("a3 OK"), fetch.toString());
            deliver(mailroom.port("smtp"), ALICE, "after the reload");
            java.util.List<String> noop = imap(open, "a4", "NOOP");
            assertTrue(noop.contains("* 2 EXISTS"), "the open session still learns of new mail: " + noop);

            assertEquals(after.cert(), imapsCertificate());
            assertNotEquals(oldCert, imapsCertificate());
            try (Raw fresh = new Raw(mailroom.port("imap"))) {
                fresh.line();
                assertTrue(imap(fresh, "b1", "LOGIN " + ALICE + " old-secret").get(0).startsWith("b1 NO"));
                assertTrue(imap(fresh, "b2", "LOGIN " + ALICE + " new-secret").get(0).startsWith("b2 OK"));
            }
            assertTrue(imap(open, "a5", "LOGOUT").get(1).startsWith("a5 OK"));
        }
    }

    @Test
    void sighupTakesNewCertificatePasswordAndRelayNetworksWhileAnOpenSessionGoesOn() throws Exception {
        deliver(mailroom.port("smtp"), ALICE, "before the reload");
        Certificate oldCert = pop3sCertificate();
        assertTrue(relayReply().startsWith("250"), "127.0.0.1 relays with the default relay.networks");

        try (Raw open = new Raw(mailroom.port("pop3"))) {
            String pass = pop3Login(open, "old-secret");
            assertTrue(pass.startsWith("+OK"), pass);
            assertTrue(open.send("STAT\r\n").line().startsWith("+OK 1 "));

            TestPki after = writePair(TestPki.ca("CN=after.example.test"));
            assertEquals(0, mailroom.cli("new-secret\n", "user", "passwd", ALICE));
            rewriteConfig("relay.networks = 192.0.2.0/24", "smtp.maxRecipients = 50");
            String log = reload("reload: done");

            assertTrue(log.contains("relay.networks = [192.0.2.0/24] now in force"), log);
            assertTrue(log.contains("restart needed for smtp.maxRecipients"), log);
            assertTrue(log.contains("CN=after.example.test"), "the certificate was re-read:\n" + log);

            // the session opened before the reload is still there and still works
            assertTrue(open.send("STAT\r\n").line().startsWith("+OK 1 "));
            assertTrue(open.send("RETR 1\r\n").line().startsWith("+OK"));
            String l;
            boolean subject = false;
            while (!(l = open.line()).equals(".")) subject |= l.equals("Subject: before the reload");
            assertTrue(subject);
            assertTrue(open.send("QUIT\r\n").line().startsWith("+OK"));

            // new sessions: the new certificate, the new password, the new relay networks
            Certificate newCert = pop3sCertificate();
            assertEquals(after.cert(), newCert);
            assertNotEquals(oldCert, newCert);
            try (Raw fresh = new Raw(mailroom.port("pop3"))) {
                assertTrue(pop3Login(fresh, "old-secret").startsWith("-ERR"), "the old password no longer works");
            }
            try (Raw fresh = new Raw(mailroom.port("pop3"))) {
                String r = pop3Login(fresh, "new-secret");
                assertTrue(r.startsWith("+OK"), r);
                fresh.send("QUIT\r\n").line();
            }
            String denied = relayReply();
            assertTrue(denied.startsWith("550"), "127.0.0.1 is no longer in relay.networks: " + denied);
        }
    }

    @Test
    void brokenConfigurationIsRejectedAndTheRunningOneStays() throws Exception {
        rewriteConfig("relay.networks = 192.0.2.0/24");
        reload("reload: done");
        assertTrue(relayReply().startsWith("550"));

        // 127.0.0.0/8 would let this client relay again, but the file also has a bad value
        rewriteConfig("relay.networks = 127.0.0.0/8", "smtp.maxRecipients = 0");
        int badLine = Files.readAllLines(mailroom.configDir.resolve("mailroom.properties")).size();
        String log = reload("reload: rejected");

        String expected = "reload: rejected: " + mailroom.configDir.resolve("mailroom.properties") + ":" + badLine
                + ": smtp.maxRecipients: ";
        assertTrue(log.contains(expected), "expected \"" + expected + "...\" in:\n" + log);
        assertTrue(log.contains("keeping the running configuration"), log);
        assertTrue(mailroom.isAlive());

        // mailroom reload reads the file first and reports the same line without asking the daemon
        MailroomProcess.CliResult cli = mailroom.run("", "reload");
        assertEquals(78, cli.exit(), cli.out() + cli.err());
        assertTrue(cli.err().contains(":" + badLine + ": smtp.maxRecipients: "), cli.err());
        assertTrue(cli.err().contains("not reloaded, the running configuration stays"), cli.err());

        String r = relayReply();
        assertTrue(r.startsWith("550"), "the previous relay.networks is still in force: " + r);
        deliver(mailroom.port("smtp"), ALICE, "after a rejected reload");

        // what only the daemon checks (here: the aliases file) comes back over the control socket
        rewriteConfig("relay.networks = 127.0.0.0/8");
        Path aliases = mailroom.configDir.resolve("aliases");
        Files.writeString(aliases, "this is not an alias line\n");
        cli = mailroom.run("", "reload");
        assertEquals(78, cli.exit(), cli.out() + cli.err());
        assertTrue(cli.err().contains("reload rejected: " + aliases + ":1: "), cli.err());
        assertTrue(relayReply().startsWith("550"), "still the previous relay.networks");

        Files.writeString(aliases, "postmaster: " + ALICE + "\n");
        cli = mailroom.run("", "reload");
        assertEquals(0, cli.exit(), cli.out() + cli.err());
        assertTrue(cli.out().contains("applied: relay.networks"), cli.out());
        assertTrue(relayReply().startsWith("250"), "mailroom reload put relay.networks in force");
    }
}
