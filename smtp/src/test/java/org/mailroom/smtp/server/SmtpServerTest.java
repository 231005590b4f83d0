package org.mailroom.smtp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.test.Transcript;

/** Behaviour that needs the sink's view or timing: content bytes, the 250 after accept, shutdown. */
class SmtpServerTest {
    @TempDir
    Path spool;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(TestServer.smallLimits(spool));
        server.sink.users(Set.of("alice@example.test", "bob@example.test"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A plain client: sends bytes, reads CRLF lines. */
    private final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client() throws IOException {
            this(server.address());
        }

        Client(java.net.InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void sendBytewise(String s) throws IOException {
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
            }
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
                b.write(c);
            }
            String s = b.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        /** Reads lines until one that starts with "code " (the last line of a reply). */
        String reply(String code) throws IOException {
            for (String l; (l = line()) != null; ) {
                if (l.startsWith(code + " ")) return l;
                if (!l.startsWith(code + "-")) throw new AssertionError("expected " + code + ", got " + l);
            }
            throw new AssertionError("closed while waiting for " + code);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final String ENVELOPE = "EHLO client.test\r\nMAIL FROM:<sender@client.test>\r\n"
            + "RCPT TO:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n";

    private void startTransaction(Client c) throws IOException {
        c.reply("220");
        c.send(ENVELOPE);
        c.reply("250");
        c.reply("250");
        c.reply("250");
        c.reply("250");
        c.reply("354");
    }

    @Test
    void dotStuffingIsUndoneAndLineEndsBecomeLf() throws Exception {
        // RFC 5321 4.5.2: the client doubles a leading dot; the stored content has it once
        String wire = "Subject: dots\r\n\r\n..leading dot\r\n...two\r\n..\r\nlast\r\n";
        try (Client c = new Client()) {
            startTransaction(c);
            c.send(wire + ".\r\n");
            assertTrue(c.reply("250").startsWith("250 2.0.0 Ok: queued as "));
        }
        assertEquals(1, server.metrics.value(DataReceiver.TRANSACTIONS, "listener", "smtp", "result", "accepted"));
        assertEquals(0, server.metrics.value(DataReceiver.TRANSACTIONS, "listener", "smtp", "result", "rejected"));
        TestSink.Accepted a = server.sink.accepted.get(0);
        assertEquals("Subject: dots\n\n.leading dot\n..two\n.\nlast\n", new String(a.content(), StandardCharsets.US_ASCII));
        Envelope e = a.envelope();
        assertEquals("sender@client.test", e.reversePath());
        assertEquals(List.of("alice@example.test", "bob@example.test"), e.recipients());
        assertEquals("client.test", e.session().helo());
        assertEquals("ESMTP", e.session().protocol());
        assertEquals("smtp", e.session().listener());
        assertNull(e.session().tls());
        assertEquals(12, e.id().length());
    }

    @Test
    void wholeAndByteAtATimeGiveTheSameMessage() throws Exception {
        // above the 64-octet spill threshold of the test settings: the content goes through a spool file
        String body = "Subject: bytes\r\n\r\n" + "line\r\n".repeat(40) + ".x\r\n";
        String session = ENVELOPE.replace("DATA\r\n", "") ;
        for (boolean bytewise : new boolean[] {false, true}) {
            try (Client c = new Client()) {
                c.reply("220");
                if (bytewise) c.sendBytewise(session); else c.send(session);
                for (int i = 0; i < 4; i++) c.reply("250");
                c.send("DATA\r\n");
                c.reply("354");
                if (bytewise) c.sendBytewise(body + ".\r\nQUIT\r\n"); else c.send(body + ".\r\nQUIT\r\n");
                c.reply("250");
                c.reply("221");
            }
        }
        assertEquals(2, server.sink.accepted.size());
        byte[] expected = ("Subject: bytes\n\n" + "line\n".repeat(40) + "x\n").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, server.sink.accepted.get(0).content());
        assertArrayEquals(expected, server.sink.accepted.get(1).content());
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "spool files are removed after the transaction");
        }
    }

    @Test
    void dataIsAnsweredOnlyAfterTheSinkReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.sink.blockAcceptOn(release);
        try (Client c = new Client()) {
            startTransaction(c);
            c.send("Subject: wait\r\n\r\nbody\r\n.\r\nNOOP\r\n");
            assertTrue(server.sink.acceptEntered.await(10, TimeUnit.SECONDS));
            c.socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, c::line, "no reply (nor the NOOP's) before accept returned");
            c.socket.setSoTimeout(10_000);
            release.countDown();
            assertTrue(c.reply("250").startsWith("250 2.0.0 Ok: queued as "));
            assertEquals("250 2.0.0 Ok", c.reply("250"));
        }
        assertEquals(1, server.sink.accepted.size());
    }

    @Test
    void sessionInfoNamesTlsAfterStartTls() throws Exception {
        try (Client c = new Client()) {
            c.reply("220");
            c.send("EHLO client.test\r\nSTARTTLS\r\n");
            c.reply("250");
            c.reply("220");
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {Transcript.TRUST_ALL}, null);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(c.socket, "127.0.0.1", c.socket.getPort(), true)) {
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write(ENVELOPE.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(200); // RFC 2920 3.1: the content waits for the 354 (read below)
                out.write("Subject: tls\r\n\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = tls.getInputStream();
                StringBuilder b = new StringBuilder();
                for (int ch; !b.toString().matches("(?s).*queued as \\w+\r\n") && (ch = in.read()) >= 0; ) b.append((char) ch);
                String all = b.toString();
                assertTrue(all.contains("354 ") && all.contains("250 2.0.0 Ok: queued as "), all);
            }
        }
        Envelope e = server.sink.accepted.get(0).envelope();
        assertEquals("ESMTPS", e.session().protocol());
        assertTrue(e.session().tls().startsWith("TLSv1."), e.session().tls());
    }

    @Test
    void sinkRefusalIsPassedOn() throws Exception {
        server.sink.acceptOutcome(new Outcome(452, "4.3.1", "Insufficient system storage"));
        try (Client c = new Client()) {
            startTransaction(c);
            c.send("Subject: full\r\n\r\n.\r\n");
            assertEquals("452 4.3.1 Insufficient system storage", c.reply("452"));
            c.send("MAIL FROM:<>\r\n");
            assertEquals("250 2.1.0 Ok", c.reply("250"), "the transaction was reset");
        }
        assertEquals(1, server.metrics.value(DataReceiver.TRANSACTIONS, "listener", "smtp", "result", "rejected"));
        assertEquals(0, server.metrics.value(DataReceiver.TRANSACTIONS, "listener", "smtp", "result", "accepted"));
    }

    @Test
    void shutdownDuringDataFinishesTheTransactionFirst() throws Exception {
        try (Client c = new Client()) {
            startTransaction(c);
            c.send("Subject: late\r\n\r\nfirst part\r\n");
            Thread shutdown = new Thread(() -> server.net.shutdown(Duration.ofSeconds(10)));
            shutdown.start();
            Thread.sleep(200); // the shutdown event reaches the session while DATA is open
            c.send("second part\r\n.\r\n");
            assertTrue(c.reply("250").startsWith("250 2.0.0 Ok: queued as "));
            assertEquals("421 4.3.2 mx.example.test Service shutting down", c.line());
            assertNull(c.line());
            shutdown.join(10_000);
        }
        assertEquals("Subject: late\n\nfirst part\nsecond part\n",
                new String(server.sink.accepted.get(0).content(), StandardCharsets.US_ASCII));
    }

    @Test
    void dsnParametersSmtputf8AndExactBdatContentReachTheSink() throws Exception {
        // RFC 3461 4, RFC 6531 3.4 and 3.7.3, RFC 3030 2: a CR LF split between two chunks is one line end
        byte[] one = "Subject: grüße\r".getBytes(StandardCharsets.UTF_8);
        byte[] two = "\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        try (Client c = new Client()) {
            c.reply("220");
            c.send("EHLO client.test\r\n");
            c.reply("250");
            c.send("MAIL FROM:<bøb@client.test> SMTPUTF8 RET=HDRS ENVID=ab+2Bc BODY=8BITMIME\r\n"
                    + "RCPT TO:<alice@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice+40old.test\r\n"
                    + "RCPT TO:<bob@example.test>\r\n"
                    + "BDAT " + one.length + "\r\n");
            c.out.write(one);
            c.send("BDAT " + two.length + " LAST\r\n");
            c.out.write(two);
            c.out.flush();
            assertEquals("250 2.1.0 Ok", c.reply("250"));
            assertEquals("250 2.1.5 Ok", c.reply("250"));
            assertEquals("250 2.1.5 Ok", c.reply("250"));
            assertEquals("250 2.0.0 " + one.length + " octets received", c.reply("250"));
            assertTrue(c.reply("250").startsWith("250 2.0.0 Ok: queued as "));
        }
        TestSink.Accepted a = server.sink.accepted.get(0);
        assertArrayEquals("Subject: grüße\n\nbody\n".getBytes(StandardCharsets.UTF_8), a.content());
        Envelope e = a.envelope();
        assertEquals("bøb@client.test", e.reversePath());
        assertEquals(new Envelope.MailOptions("ab+2Bc", Envelope.Ret.HDRS, Envelope.Body.EIGHT_BIT_MIME, true), e.mail());
        assertEquals(List.of(
                new Envelope.RcptOptions("rfc822;alice+40old.test", Set.of(Envelope.Notify.SUCCESS, Envelope.Notify.FAILURE)),
                Envelope.RcptOptions.NONE), e.rcptOptions());
        assertEquals("UTF8SMTP", e.session().protocol());
    }

    @Test
    void submissionAddsMissingMessageIdAndDateButTheMtaDoesNot() throws Exception {
        // RFC 6409 8.2, 8.3: only on listeners that require AUTH, only when missing from the header
        server.account("alice@example.test", "secret");
        String auth = java.util.Base64.getEncoder().encodeToString(
                "\0alice@example.test\0secret".getBytes(StandardCharsets.UTF_8));
        try (Client c = new Client(server.address("submission-loopback"))) {
            c.reply("220");
            c.send("EHLO client.test\r\n");
            c.reply("250");
            c.send("AUTH PLAIN " + auth + "\r\n");
            c.reply("235");
            for (String msg : List.of("Subject: one\r\n\r\nMessage-ID: in the body\r\n",
                    "message-ID: <x@client.test>\r\nDATE : Mon, 23 Nov 2026 19:00:00 +0000\r\n\r\nbody\r\n")) {
                c.send("MAIL FROM:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n");
                c.reply("250");
                c.reply("250");
                c.reply("354");
                c.send(msg + ".\r\n");
                assertTrue(c.reply("250").startsWith("250 2.0.0 Ok"));
            }
            c.send("MAIL FROM:<alice@example.test> ENVID=x\r\nRCPT TO:<bob@example.test>\r\nBDAT 5 LAST\r\nhi\r\n\n");
            c.reply("250");
            c.reply("250");
            c.reply("554"); // the bare LF after the CR LF is refused, as with DATA
        }
        String first = new String(server.sink.accepted.get(0).content(), StandardCharsets.UTF_8);
        String id = server.sink.accepted.get(0).envelope().id();
        assertTrue(first.startsWith("Message-ID: <" + id + "@mx.example.test>\nDate: "), first);
        assertTrue(first.matches("(?s)Message-ID: <[^>]+>\nDate: [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} "
                + "\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\nSubject: one\n\nMessage-ID: in the body\n"), first);
        assertEquals("message-ID: <x@client.test>\nDATE : Mon, 23 Nov 2026 19:00:00 +0000\n\nbody\n",
                new String(server.sink.accepted.get(1).content(), StandardCharsets.UTF_8));
        assertEquals(2, server.sink.accepted.size());
        assertEquals("ESMTPA", server.sink.accepted.get(0).envelope().session().protocol());
    }
}
