package org.mailroom.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailroom.delivery.remote.RecipientResult.Status;
import org.mailroom.smtp.wire.Path;

/** The client against GreenMail and against scripted servers (real sockets, no mocks). */
class SmtpClientTest {
    static final String MESSAGE = "Subject: dots\nFrom: s@a.test\n\nline one\n.leading dot\n..two dots\n.\nlast line";
    static final String WIRE_BODY = "Subject: dots\r\nFrom: s@a.test\r\n\r\nline one\r\n..leading dot\r\n...two dots\r\n..\r\nlast line\r\n";

    static EventLoopGroup group;
    static SmtpClient client;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(1);
        client = new SmtpClient(group, "client.test", Timeouts.all(Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Transaction tx(String content, Transaction.BodyType type, String... rcpts) {
        List<Path> to = Stream.of(rcpts).map(r -> Path.parseForward("<" + r + ">")).toList();
        return new Transaction(Path.parseReverse("<s@a.test>"), to, BytesContent.of(content), type, false);
    }

    static Transaction tx(String... rcpts) {
        return tx(MESSAGE, Transaction.BodyType.SEVEN_BIT, rcpts);
    }

    static AttemptResult deliver(ScriptedSmtpServer s, Transaction t, ConnectOptions o) throws Exception {
        SmtpConnection c = client.connect("mx.test", s.address(), o);
        try {
            return c.send(t);
        } finally {
            c.quit();
        }
    }

    static void assertResult(RecipientResult r, Status status, int code, String enhanced) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(code, r.code(), r.toString());
        assertEquals(enhanced, r.enhanced().toString(), r.toString());
    }

    @Test
    void greenMailReceivesByteExactContent() throws Exception {
        GreenMail gm = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        gm.start();
        try {
            var addr = new java.net.InetSocketAddress("127.0.0.1", gm.getSmtp().getPort());
            SmtpConnection c = client.connect("greenmail.test", addr, ConnectOptions.DEFAULT);
            AttemptResult r = c.send(tx("a@b.test", "c@d.test"));
            c.quit();
            assertFalse(r.connectionLost());
            for (RecipientResult rr : r.recipients()) assertEquals(Status.SUCCESS, rr.status(), rr.toString());
            assertTrue(r.relay().startsWith("greenmail.test[127.0.0.1]:"), r.relay());
            MimeMessage[] got = gm.getReceivedMessages();
            assertEquals(2, got.length); // one copy per recipient
            String whole = GreenMailUtil.getWholeMessage(got[0]).replace("\r\n", "\n");
            assertTrue(whole.endsWith(MESSAGE + "\n") || whole.endsWith(MESSAGE), whole);
            assertTrue(whole.contains("\n.leading dot\n..two dots\n.\nlast line"), whole);
        } finally {
            gm.stop();
        }
    }

    @Test
    void oneOfTwoRecipientsRejected() throws Exception {
        try (var s = new ScriptedSmtpServer("S: 220 mx.test ESMTP", "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 SIZE 100000", "C: MAIL FROM:<s@a.test> SIZE=" + (MESSAGE.length() + 7), "S: 250 2.1.0 ok",
                "C: RCPT TO:<a@b.test>", "S: 250 2.1.5 ok", "C: RCPT TO:<x@b.test>", "S: 550 5.1.1 no such user",
                "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 queued as X", "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test", "x@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
            assertEquals("queued as X", r.recipients().get(0).text());
            assertResult(r.recipients().get(1), Status.PERMANENT, 550, "5.1.1");
            assertEquals(List.of(WIRE_BODY), s.data());
        }
    }

    @Test
    void pipelinedTemporaryRcptFailure() throws Exception {
        // RFC 2920 3.1: MAIL, RCPT and DATA in one group; DATA refused when no recipient was taken
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 PIPELINING", "C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>",
                "S: 450 4.2.1 try later", "C: DATA", "S: 554 5.5.1 no valid recipients", "C: RSET", "S: 250 ok",
                "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertFalse(r.connectionLost());
            assertResult(r.recipients().get(0), Status.TEMPORARY, 450, "4.2.1");
        }
    }

    @Test
    void tooManyRecipientsGoInASecondTransaction() throws Exception {
        // RFC 5321 4.5.3.1.10: 452 for recipients beyond the server's limit; send them again
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250 mx.test",
                "C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok",
                "C: RCPT TO:<c@b.test>", "S: 452 4.5.3 too many recipients", "C: DATA", "S: 354 go", "C: <data>",
                "S: 250 2.0.0 ok 1", "C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<c@b.test>", "S: 250 ok",
                "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 ok 2", "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test", "c@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertEquals("ok 1", r.recipients().get(0).text());
            assertEquals("ok 2", r.recipients().get(1).text());
            assertEquals(2, s.data().size());
        }
    }

    @Test
    void ehloRefusedFallsBackToHelo() throws Exception {
        // RFC 5321 3.2
        try (var s = new ScriptedSmtpServer("S: 220 old.test", "C: EHLO client.test", "S: 502 5.5.1 what",
                "C: HELO client.test", "S: 250 old.test", "C: MAIL FROM:<s@a.test>", "S: 250 ok",
                "C: RCPT TO:<a@b.test>", "S: 250 ok", "C: DATA", "S: 354 go", "C: <data>", "S: 250 fine",
                "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
        }
    }

    @Test
    void sizeLimitFailsPermanentlyWithoutSending() throws Exception {
        // RFC 1870 6
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 SIZE 10", "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.PERMANENT, 552, "5.3.4");
        }
    }

    @Test
    void eightBitWithout8bitmimeIsNotDowngraded() throws Exception {
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 PIPELINING", "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("Subject: x\n\nsch\u00f6n\n", Transaction.BodyType.EIGHT_BIT_MIME, "a@b.test"),
                    ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.PERMANENT, 554, "5.6.3");
        }
    }

    @Test
    void eightBitWith8bitmimeDeclaresBody() throws Exception {
        // RFC 6152 2
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 8BITMIME", "C: MAIL FROM:<s@a.test> BODY=8BITMIME", "S: 250 ok", "C: RCPT TO:<a@b.test>",
                "S: 250 ok", "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 ok", "C: QUIT", "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("Subject: x\n\nsch\u00f6n\n", Transaction.BodyType.EIGHT_BIT_MIME, "a@b.test"),
                    ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
            assertEquals("Subject: x\r\n\r\nsch\u00f6n\r\n", s.data().get(0));
        }
    }

    static final String[] STARTTLS_OPENING = {"S: 220 mx.test", "C: EHLO client.test", "S: 250-mx.test",
        "S: 250 STARTTLS", "C: STARTTLS", "S: 220 2.0.0 go ahead", "TLS"};

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void opportunisticTlsWithSelfSignedCertificate() throws Exception {
        // RFC 3207 4.2: EHLO again after the handshake
        try (var s = new ScriptedSmtpServer(concat(STARTTLS_OPENING, "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 8BITMIME", "C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok",
                "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 ok", "C: QUIT", "S: 221 bye"))) {
            SmtpConnection c = client.connect("localhost", s.address(), ConnectOptions.tls(TlsPolicy.MAY));
            assertTrue(c.isTls());
            assertTrue(c.capabilities().has("8BITMIME"));
            AttemptResult r = c.send(tx("a@b.test"));
            c.quit();
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
            assertEquals(List.of(WIRE_BODY), s.data());
        }
    }

    @Test
    void verifiedTlsRejectsSelfSignedCertificate() throws Exception {
        try (var s = new ScriptedSmtpServer(STARTTLS_OPENING)) {
            SessionFailure f = assertThrows(SessionFailure.class,
                    () -> client.connect("localhost", s.address(), ConnectOptions.tls(TlsPolicy.VERIFY)));
            assertEquals("4.7.0", f.status().toString());
            assertTrue(f.getMessage().contains("TLS handshake"), f.getMessage());
        }
    }

    @Test
    void requiredTlsNotOfferedIsTemporary() throws Exception {
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 PIPELINING")) {
            SessionFailure f = assertThrows(SessionFailure.class,
                    () -> client.connect("mx.test", s.address(), ConnectOptions.tls(TlsPolicy.REQUIRE)));
            assertEquals(4, f.status().statusClass());
            assertTrue(f.getMessage().contains("not offered"), f.getMessage());
        }
    }

    @Test
    void authPlain() throws Exception {
        // RFC 4954 4, RFC 4616 2
        String resp = Base64.getEncoder().encodeToString("\0user\0secret".getBytes(StandardCharsets.UTF_8));
        try (var s = new ScriptedSmtpServer("S: 220 relay.test", "C: EHLO client.test", "S: 250-relay.test",
                "S: 250 AUTH LOGIN PLAIN", "C: AUTH PLAIN " + resp, "S: 235 2.7.0 ok", "C: MAIL FROM:<s@a.test>",
                "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok", "C: DATA", "S: 354 go", "C: <data>",
                "S: 250 2.0.0 ok", "C: QUIT", "S: 221 bye")) {
            var creds = new ConnectOptions.Credentials("user", "secret");
            AttemptResult r = deliver(s, tx("a@b.test"), new ConnectOptions(TlsPolicy.MAY, null, creds, true));
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static final String[] ONE_MESSAGE = {"C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok",
        "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 ok", "C: QUIT", "S: 221 bye"};

    @Test
    void authLoginOverStartTlsWhenPlainIsNotOffered() throws Exception {
        // RFC 4954 4 with the LOGIN mechanism (draft-murchison-sasl-login): user name, then password
        try (var s = new ScriptedSmtpServer(concat(concat(STARTTLS_OPENING, "C: EHLO client.test", "S: 250-mx.test",
                "S: 250 AUTH LOGIN", "C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: " + b64("user"),
                "S: 334 UGFzc3dvcmQ6", "C: " + b64("secret"), "S: 235 2.7.0 ok"), ONE_MESSAGE))) {
            var creds = new ConnectOptions.Credentials("user", "secret");
            AttemptResult r = deliver(s, tx("a@b.test"), new ConnectOptions(TlsPolicy.REQUIRE, null, creds, false));
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
        }
    }

    @Test
    void implicitTlsGreetsInsideTlsAndSkipsStartTls() throws Exception {
        // RFC 8314 3.3: handshake first; STARTTLS in the EHLO reply must not be used inside TLS
        try (var s = new ScriptedSmtpServer(concat(new String[] {"TLS", "S: 220 relay.test", "C: EHLO client.test",
            "S: 250-relay.test", "S: 250-STARTTLS", "S: 250 AUTH PLAIN LOGIN", "C: AUTH PLAIN " + b64("\0user\0secret"),
            "S: 235 2.7.0 ok"}, ONE_MESSAGE))) {
            var creds = new ConnectOptions.Credentials("user", "secret");
            SmtpConnection c = client.connect("localhost", s.address(),
                    new ConnectOptions(TlsPolicy.REQUIRE, null, creds, false, true));
            assertTrue(c.isTls());
            AttemptResult r = c.send(tx("a@b.test"));
            c.quit();
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
            assertEquals(List.of(WIRE_BODY), s.data());
        }
    }

    @Test
    void implicitTlsWithVerifyRejectsSelfSignedCertificate() throws Exception {
        try (var s = new ScriptedSmtpServer("TLS", "S: 220 relay.test")) {
            SessionFailure f = assertThrows(SessionFailure.class, () -> client.connect("localhost", s.address(),
                    ConnectOptions.tls(TlsPolicy.VERIFY).withImplicitTls(true)));
            assertEquals("4.7.0", f.status().toString());
            assertTrue(f.getMessage().contains("TLS handshake"), f.getMessage());
        }
    }

    @Test
    void implicitTlsToAPlainServerFailsTheHost() throws Exception {
        // a plain-text server on the "465" port: the handshake cannot succeed, the greeting is never taken as one
        try (var s = new ScriptedSmtpServer("S: 220 relay.test", "C: never")) {
            SessionFailure f = assertThrows(SessionFailure.class, () -> client.connect("localhost", s.address(),
                    ConnectOptions.tls(TlsPolicy.REQUIRE).withImplicitTls(true)));
            assertEquals("4.7.0", f.status().toString());
            assertTrue(f.getMessage().contains("TLS handshake"), f.getMessage());
        }
    }

    @Test
    void refusedCredentialsFailTheHostWithoutShowingThePassword() throws Exception {
        // RFC 4954 6: 535 5.7.8; the session is unusable for this host, and the text is safe to log
        try (var s = new ScriptedSmtpServer("TLS", "S: 220 relay.test", "C: EHLO client.test", "S: 250-relay.test",
                "S: 250 AUTH PLAIN", "C: AUTH PLAIN {*}", "S: 535 5.7.8 Authentication credentials invalid")) {
            var creds = new ConnectOptions.Credentials("user", "hunter2");
            SessionFailure f = assertThrows(SessionFailure.class, () -> client.connect("localhost", s.address(),
                    new ConnectOptions(TlsPolicy.REQUIRE, null, creds, false, true)));
            assertEquals(535, f.code());
            assertFalse(f.getMessage().contains("hunter2"), f.getMessage());
            assertFalse(f.getMessage().contains(b64("\0user\0hunter2")), f.getMessage());
        }
    }

    @Test
    void noCredentialsInClearUnlessAllowed() throws Exception {
        try (var s = new ScriptedSmtpServer("S: 220 relay.test", "C: EHLO client.test", "S: 250-relay.test",
                "S: 250 AUTH PLAIN")) {
            var creds = new ConnectOptions.Credentials("user", "secret");
            SessionFailure f = assertThrows(SessionFailure.class,
                    () -> client.connect("relay.test", s.address(), new ConnectOptions(TlsPolicy.MAY, null, creds, false)));
            assertTrue(f.getMessage().contains("without TLS"), f.getMessage());
        }
    }

    @Test
    void dropDuringDataIsTemporaryForEveryone() throws Exception {
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250 mx.test",
                "C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok",
                "C: RCPT TO:<c@b.test>", "S: 550 5.1.1 no", "C: DATA", "S: 354 go", "CLOSE")) {
            AttemptResult r = deliver(s, tx("a@b.test", "c@b.test"), ConnectOptions.DEFAULT);
            assertTrue(r.connectionLost());
            assertResult(r.recipients().get(0), Status.TEMPORARY, 451, "4.4.2");
            assertResult(r.recipients().get(1), Status.PERMANENT, 550, "5.1.1"); // already final
        }
    }

    @Test
    void timeoutWaitingForFinalReplyIsTemporary() throws Exception {
        SmtpClient impatient = new SmtpClient(group, "client.test", Timeouts.all(Duration.ofMillis(500)));
        try (var s = new ScriptedSmtpServer("S: 220 mx.test", "C: EHLO client.test", "S: 250 mx.test",
                "C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok", "C: DATA", "S: 354 go",
                "C: <data>", "C: never")) {
            SmtpConnection c = impatient.connect("mx.test", s.address(), ConnectOptions.DEFAULT);
            AttemptResult r = c.send(tx("a@b.test"));
            c.quit();
            assertTrue(r.connectionLost());
            assertResult(r.recipients().get(0), Status.TEMPORARY, 451, "4.4.2");
            assertTrue(r.recipients().get(0).text().contains("timeout"), r.recipients().get(0).text());
        }
    }

    @Test
    void greetingRefusalFailsTheHost() throws Exception {
        // RFC 5321 3.1: 554 instead of 220
        try (var s = new ScriptedSmtpServer("S: 554 5.7.1 go away")) {
            SessionFailure f = assertThrows(SessionFailure.class,
                    () -> client.connect("mx.test", s.address(), ConnectOptions.DEFAULT));
            assertEquals(554, f.code());
        }
    }
}
