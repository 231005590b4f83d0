package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message submission end to end (issue "Submission", part 1): Angus Mail submits over the
 * submission port with STARTTLS and over the submissions port with implicit TLS, with AUTH PLAIN
 * and AUTH LOGIN, to a local recipient; swaks does the same with {@code --tls --auth PLAIN}. The
 * messages are read back over POP3 and carry ESMTPSA (RFC 3848) in their Received: field.
 */
class SubmissionIT {
    private static final String ALICE = "alice@example.test";
    private static final String PASSWORD = "alice-secret";

    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir);
        mailroom.addUser(ALICE, PASSWORD);
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    /** Angus Mail properties for one submission listener and mechanism. */
    private Session smtpSession(String listener, boolean implicitTls, String mechanism) {
        String proto = implicitTls ? "smtps" : "smtp";
        Properties p = new Properties();
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".host", "127.0.0.1");
        p.put("mail." + proto + ".port", String.valueOf(mailroom.port(listener)));
        p.put("mail." + proto + ".localhost", "client.example.net");
        p.put("mail." + proto + ".auth", "true");
        p.put("mail." + proto + ".auth.mechanisms", mechanism);
        p.put("mail." + proto + ".ssl.trust", "*"); // the daemon's self-signed certificate
        p.put("mail." + proto + ".ssl.checkserveridentity", "false");
        p.put("mail." + proto + ".timeout", "20000");
        p.put("mail." + proto + ".connectiontimeout", "20000");
        if (implicitTls) {
            p.put("mail.smtps.ssl.enable", "true");
        } else {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    private void submit(String listener, boolean implicitTls, String mechanism, String subject) throws Exception {
        Session session = smtpSession(listener, implicitTls, mechanism);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(ALICE));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ALICE));
        m.setSubject(subject);
        m.setText("submitted with " + mechanism + "\r\n", "UTF-8");
        m.saveChanges();
        try (Transport t = session.getTransport()) {
            t.connect(ALICE, PASSWORD);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    /** Subjects and Received: fields of the messages in Alice's INBOX, read over POP3. */
    private String mailbox() throws Exception {
        Properties p = new Properties();
        p.put("mail.pop3.host", "127.0.0.1");
        p.put("mail.pop3.port", String.valueOf(mailroom.port("pop3")));
        p.put("mail.pop3.timeout", "20000");
        Store pop = Session.getInstance(p).getStore("pop3");
        pop.connect(ALICE, PASSWORD);
        try {
            Folder inbox = pop.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            StringBuilder all = new StringBuilder();
            for (Message msg : inbox.getMessages()) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                msg.writeTo(raw);
                all.append(raw.toString(StandardCharsets.UTF_8)).append("\n=====\n");
            }
            inbox.close(false);
            return all.toString();
        } finally {
            pop.close();
        }
    }

    @Test
    void angusMailSubmitsWithStartTlsAndImplicitTlsUsingPlainAndLogin() throws Exception {
        submit("submission", false, "PLAIN", "587 plain");
        submit("submission", false, "LOGIN", "587 login");
        submit("submissions", true, "PLAIN", "465 plain");
        submit("submissions", true, "LOGIN", "465 login");
        String box = mailbox();
        for (String subject : new String[] {"587 plain", "587 login", "465 plain", "465 login"}) {
            assertTrue(box.contains("Subject: " + subject + "\r\n"), box);
        }
        assertEquals(4, box.split("with ESMTPSA id ", -1).length - 1, box);
        assertTrue(box.contains("(authenticated as alice@example.test)"), box);
        assertTrue(mailroom.log().contains("user=<alice@example.test>, service=submission, client=[127.0.0.1], result=ok"),
                mailroom.log());
        assertTrue(mailroom.log().contains("service=submissions"), mailroom.log());
        assertTrue(!mailroom.log().contains(PASSWORD), "the password never reaches the log");
    }

    @Test
    void wrongPasswordIsRefusedAndNothingIsAcceptedWithoutAuth() throws Exception {
        Session session = smtpSession("submission", false, "PLAIN");
        try (Transport t = session.getTransport()) {
            assertThrows(AuthenticationFailedException.class, () -> t.connect(ALICE, "wrong"));
        }
        try (Raw smtp = new Raw(mailroom.port("submission"))) {
            assertTrue(smtp.reply().startsWith("220 "));
            smtp.send("EHLO raw.example.net\r\n");
            assertTrue(smtp.reply().startsWith("250 "));
            smtp.send("MAIL FROM:<alice@example.test>\r\n");
            String r = smtp.reply();
            assertTrue(r.startsWith("530 5.7.0"), r);
        }
    }

    @Test
    void swaksSubmitsWithStartTlsAndAuthPlain() throws Exception {
        String out = MailroomProcess.exec(Duration.ofSeconds(60), null, "swaks",
                "--server", "127.0.0.1:" + mailroom.port("submission"), "--helo", "swaks.example.net",
                "--tls", "--auth", "PLAIN", "--auth-user", ALICE, "--auth-password", PASSWORD,
                "--from", ALICE, "--to", ALICE, "--header", "Subject: via swaks submission", "--body", "hello\n");
        assertTrue(out.contains("<~  235 2.7.0"), out);
        assertTrue(out.contains("<~  250 2.0.0"), out);
        assertTrue(!mailroom.log().contains(PASSWORD));
        assertTrue(mailbox().contains("Subject: via swaks submission\r\n"));
    }


    /** Issue "Submission" 5: a spoofed sender is refused, in MAIL FROM (553 5.7.1) and in From:. */
    @Test
    void spoofedSendersAreRefused() throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (Raw smtp = new Raw(mailroom.port("submission"))) { // loopback: AUTH allowed without TLS by default
            smtp.reply();
            smtp.send("EHLO laptop.example\r\n");
            smtp.reply();
            smtp.send("AUTH PLAIN " + auth + "\r\n");
            assertTrue(smtp.reply().startsWith("235"));
            smtp.send("MAIL FROM:<postmaster@example.test>\r\n");
            String r = smtp.reply();
            assertTrue(r.startsWith("553 5.7.1"), r);
            smtp.send("MAIL FROM:<" + ALICE + ">\r\nRCPT TO:<" + ALICE + ">\r\nDATA\r\n");
            assertTrue(smtp.reply().startsWith("250"));
            assertTrue(smtp.reply().startsWith("250"));
            assertTrue(smtp.reply().startsWith("354"));
            smtp.send("From: The Boss <boss@example.test>\r\nSubject: wire money\r\n\r\nnow\r\n.\r\n");
            r = smtp.reply();
            assertTrue(r.startsWith("553 5.7.1"), r);
        }
    }

    /** SCRAM-SHA-256 (RFC 7677, RFC 5802 5.1) over 465, with the client side computed here: the JDK has no SCRAM client. */
    @Test
    void scramSha256OverImplicitTls() throws Exception {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) org.mailroom.core.test.TestPki.clientContext(null)
                .getSocketFactory().createSocket("127.0.0.1", mailroom.port("submissions"));
        socket.setSoTimeout(15_000);
        try (socket) {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            java.io.OutputStream out = socket.getOutputStream();
            java.util.function.Function<String, String> cmd = line -> {
                try {
                    if (line != null) {
                        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    String l;
                    do {
                        l = in.readLine();
                    } while (l != null && l.length() > 3 && l.charAt(3) == '-');
                    return l;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            java.util.Base64.Decoder unb64 = java.util.Base64.getDecoder();
            cmd.apply(null); // 220
            assertTrue(cmd.apply("EHLO laptop.example").startsWith("250"));
            String cnonce = "rOprNGfwEbeRWgbNEkqO";
            String bare = "n=" + ALICE + ",r=" + cnonce;
            String r = cmd.apply("AUTH SCRAM-SHA-256 " + b64.encodeToString(("n,," + bare).getBytes(StandardCharsets.UTF_8)));
            assertTrue(r.startsWith("334 "), r);
            String serverFirst = new String(unb64.decode(r.substring(4)), StandardCharsets.UTF_8);
            java.util.Map<String, String> f = new java.util.HashMap<>();
            for (String kv : serverFirst.split(",")) f.put(kv.substring(0, 1), kv.substring(2));
            assertTrue(f.get("r").startsWith(cnonce), serverFirst);
            javax.crypto.SecretKeyFactory pbkdf2 = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new javax.crypto.spec.PBEKeySpec(PASSWORD.toCharArray(),
                    unb64.decode(f.get("s")), Integer.parseInt(f.get("i")), 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
            String withoutProof = "c=biws,r=" + f.get("r");
            String authMessage = bare + "," + serverFirst + "," + withoutProof;
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) proof[i] = (byte) (clientKey[i] ^ signature[i]);
            r = cmd.apply(b64.encodeToString((withoutProof + ",p=" + b64.encodeToString(proof)).getBytes(StandardCharsets.UTF_8)));
            assertTrue(r.startsWith("334 "), r);
            String serverFinal = new String(unb64.decode(r.substring(4)), StandardCharsets.UTF_8);
            String expected = "v=" + b64.encodeToString(hmac(hmac(salted, "Server Key"), authMessage.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, serverFinal, "the server proves it knows the password too");
            r = cmd.apply("");
            assertTrue(r.startsWith("235 2.7.0"), r);
            assertTrue(cmd.apply("MAIL FROM:<" + ALICE + ">").startsWith("250"));
        }
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
