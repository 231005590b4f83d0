package org.mailroom.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.net.ShutdownEvent;

/**
 * The session on an {@link EmbeddedChannel}, for the paths that never reach the blocking executor
 * (EmbeddedEventLoop is not thread-safe, so executor completions are tested over sockets in
 * {@link SmtpServerTest}). Every exchange is fed whole and then one byte at a time, and must give
 * the same replies.
 */
class SmtpSessionTest {
    @TempDir
    Path spool;
    private final BlockingExecutor executor = new BlockingExecutor(1, 10);

    @AfterEach
    void stop() {
        executor.close();
    }

    private EmbeddedChannel open(boolean startTls) throws Exception {
        SmtpInitializer init = new SmtpInitializer(TestServer.smallLimits(spool), new TestSink(), executor,
                startTls ? ch -> { throw new UnsupportedOperationException("TODO(#3) being written"); } : null);
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        init.addHandlers(ch.pipeline());
        ch.register();
        return ch;
    }

    private static String output(EmbeddedChannel ch) {
        StringBuilder b = new StringBuilder();
        ch.runPendingTasks();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            b.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return b.toString();
    }

    /** Feeds {@code input} whole and byte by byte to fresh sessions; both must answer alike. */
    private String exchange(boolean startTls, String input) throws Exception {
        EmbeddedChannel whole = open(startTls);
        whole.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.UTF_8));
        String a = output(whole);
        EmbeddedChannel bytewise = open(startTls);
        for (byte x : input.getBytes(StandardCharsets.UTF_8)) {
            if (!bytewise.isActive()) break;
            bytewise.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        String b = output(bytewise);
        assertEquals(a, b, "whole and byte-at-a-time input must give the same replies");
        whole.finishAndReleaseAll();
        bytewise.finishAndReleaseAll();
        return a;
    }

    @Test
    void greetingEhloAndSequenceErrors() throws Exception {
        String out = exchange(false, "MAIL FROM:<a@b.test>\r\nEHLO c.test\r\nMAIL FROM:<a@b.test>\r\n"
                + "MAIL FROM:<a@b.test>\r\nRSET\r\nDATA\r\nNOOP\r\nQUIT\r\nNOOP\r\n");
        assertEquals("""
                220 mx.example.test ESMTP Mailroom\r
                503 5.5.1 Error: send HELO/EHLO first\r
                250-mx.example.test\r
                250-PIPELINING\r
                250-SIZE 1000\r
                250-ENHANCEDSTATUSCODES\r
                250-8BITMIME\r
                250-DSN\r
                250-SMTPUTF8\r
                250-CHUNKING\r
                250 BINARYMIME\r
                250 2.1.0 Ok\r
                503 5.5.1 Error: nested MAIL command\r
                250 2.0.0 Ok\r
                503 5.5.1 Error: need MAIL command\r
                250 2.0.0 Ok\r
                221 2.0.0 Bye\r
                """, out);
    }

    @Test
    void secondEhloResetsTheTransaction() throws Exception {
        // RFC 5321 4.1.4
        String out = exchange(false, "EHLO a.test\r\nMAIL FROM:<a@b.test>\r\nHELO b.test\r\nMAIL FROM:<a@b.test>\r\n");
        assertTrue(out.endsWith("250 2.1.0 Ok\r\n250 mx.example.test\r\n250 2.1.0 Ok\r\n"), out);
    }

    @Test
    void framingErrors() throws Exception {
        String out = exchange(false, "NOOP\nNOOP " + "x".repeat(600) + "\r\nNOOP\r\n");
        assertEquals("220 mx.example.test ESMTP Mailroom\r\n"
                + "500 5.5.2 Error: bare <LF> received\r\n"
                + "500 5.5.6 Error: line too long\r\n"
                + "250 2.0.0 Ok\r\n", out);
    }

    @Test
    void startTlsNotOfferedIs502AndAFailingTlsFactoryIs454() throws Exception {
        assertTrue(exchange(false, "EHLO a.test\r\nSTARTTLS\r\n").endsWith("502 5.5.1 Error: command not implemented\r\n"));
        String out = exchange(true, "EHLO a.test\r\nSTARTTLS\r\nNOOP\r\n");
        assertTrue(out.contains("250-STARTTLS\r\n"), out);
        assertTrue(out.endsWith("454 4.7.0 TLS not available due to temporary reason\r\n250 2.0.0 Ok\r\n"), out);
    }

    @Test
    void nonAsciiSenderNeedsSmtputf8() throws Exception {
        // RFC 6531 3.5
        assertTrue(exchange(false, "EHLO a.test\r\nMAIL FROM:<jöran@x.test>\r\n")
                .endsWith("553 5.6.7 Error: non-ASCII address needs the SMTPUTF8 parameter on MAIL\r\n"));
    }

    @Test
    void unknownParametersAndBody() throws Exception {
        String out = exchange(false, "EHLO a.test\r\nMAIL FROM:<a@b.test> BODY=BINARY\r\n"
                + "MAIL FROM:<a@b.test> AUTH=<>\r\nMAIL FROM:<a@b.test> BODY=7bit\r\nRCPT TO:<c@d.test> FOO=1\r\n");
        assertTrue(out.endsWith("501 5.5.4 Error: unsupported BODY type\r\n"
                + "555 5.5.4 Error: unsupported parameter AUTH\r\n"
                + "250 2.1.0 Ok\r\n"
                + "555 5.5.4 Error: unsupported parameter FOO\r\n"), out);
    }

    @Test
    void idleTimeoutSays421AndCloses() throws Exception {
        EmbeddedChannel ch = open(false);
        output(ch);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertEquals("421 4.4.2 mx.example.test Error: timeout exceeded\r\n", output(ch));
        assertFalse(ch.isActive());
    }

    @Test
    void shutdownBetweenTransactionsSays421AndCloses() throws Exception {
        EmbeddedChannel ch = open(false);
        ch.writeInbound(Unpooled.copiedBuffer("EHLO a.test\r\n", StandardCharsets.US_ASCII));
        output(ch);
        ch.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        assertEquals("421 4.3.2 mx.example.test Service shutting down\r\n", output(ch));
        assertFalse(ch.isActive());
    }

    @Test
    void tooManyErrorsCloses() throws Exception {
        String out = exchange(false, "A\r\nB\r\nC\r\nD\r\nE\r\nNOOP\r\n");
        assertTrue(out.endsWith("500 5.5.1 Error: command not recognized\r\n"
                + "421 4.7.0 mx.example.test Error: too many errors\r\n"), out);
    }

    @Test
    void settingsFromConfigDefaults() throws Exception {
        SmtpSettings s = SmtpSettings.from(org.mailroom.config.Config.defaults(spool), "smtp", "mx.example.test", spool);
        assertEquals(100, s.maxRecipients());
        assertEquals(java.time.Duration.ofMinutes(5), s.idleTimeout());
        assertEquals(2048, s.maxLineLength());
        assertEquals(SmtpSettings.DEFAULT_SPILL_THRESHOLD, s.spillThreshold());
    }

    @Test
    void everyVerbInTheTableIsKnownToTheParser() throws Exception {
        for (SmtpVerb v : SmtpVerb.values()) {
            String line = switch (v) {
                case EHLO, HELO -> v + " x.test";
                case MAIL -> "MAIL FROM:<>";
                case RCPT -> "RCPT TO:<a@b.test>";
                case VRFY, EXPN -> v + " x";
                case AUTH -> "AUTH PLAIN";
                case BDAT -> "BDAT 0 LAST";
                default -> v.name();
            };
            assertFalse(org.mailroom.smtp.wire.SmtpCommandParser.parse(line)
                    instanceof org.mailroom.smtp.wire.SmtpCommand.Unknown, line);
        }
    }
}
