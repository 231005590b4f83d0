package org.mailroom.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ShutdownEvent;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.maildir.MaildirStore;

/**
 * The session in an {@code EmbeddedChannel} (an in-VM peer counts as local, so plaintext login is
 * allowed): every input is fed whole and then one octet at a time, and must give the same replies.
 */
class Pop3SessionTest {
    @TempDir
    Path tmp;

    private BlockingExecutor executor;
    private Pop3Initializer initializer;

    @BeforeEach
    void setUp() throws Exception {
        executor = new BlockingExecutor(2, 10);
        MaildirStore store = new MaildirStore(tmp.resolve("mail"), "mail.example.test");
        PropertiesAccountStore accounts = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        accounts.add("alice@example.test", "secret".toCharArray());
        ContentBuffer c = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        c.append("Subject: hi\n\n.dot\nbody\n".getBytes(StandardCharsets.US_ASCII));
        StoreDelivery d = store.newDelivery();
        d.addRecipient("alice@example.test");
        d.write(c);
        d.commit();
        initializer = new Pop3Initializer(new Pop3Settings("mail.example.test", "pop3", Duration.ofMinutes(10), true),
                store, new Authenticator(accounts, "example.test"), executor, null);
    }

    @AfterEach
    void tearDown() {
        executor.close();
    }

    private EmbeddedChannel open() {
        LineDecoder d = new LineDecoder(Pop3Initializer.MAX_LINE);
        InboundGate g = new InboundGate();
        return new EmbeddedChannel(d, g, initializer.newSession(d, g, false));
    }

    /** Feeds {@code input} whole, then byte by byte on a new connection; both transcripts must match. */
    private String runBothWays(String input, int expectedLines) {
        String whole = run(input, false, expectedLines);
        String bytewise = run(input, true, expectedLines);
        assertEquals(whole, bytewise);
        return whole;
    }

    private String run(String input, boolean bytewise, int expectedLines) {
        EmbeddedChannel ch = open();
        StringBuilder out = new StringBuilder();
        byte[] b = input.getBytes(StandardCharsets.UTF_8);
        if (bytewise) {
            for (byte x : b) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
                drain(ch, out);
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(b));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (out.toString().split("\r\n", -1).length - 1 < expectedLines && System.nanoTime() < deadline) {
            drain(ch, out);
            Thread.onSpinWait();
        }
        drain(ch, out);
        ch.finishAndReleaseAll();
        return out.toString();
    }

    private static void drain(EmbeddedChannel ch, StringBuilder out) {
        ch.runPendingTasks();
        for (ByteBuf m; (m = ch.readOutbound()) != null; ) {
            out.append(m.toString(StandardCharsets.UTF_8));
            m.release();
        }
    }

    @Test
    void authorizationCommands() {
        String out = runBothWays("CAPA\r\nSTAT\r\nFOO bar\r\nSTLS\r\nQUIT\r\n", 15);
        assertEquals("""
                +OK Mailroom POP3 ready on mail.example.test\r
                +OK Capability list follows\r
                TOP\r
                UIDL\r
                RESP-CODES\r
                AUTH-RESP-CODE\r
                PIPELINING\r
                USER\r
                SASL PLAIN\r
                IMPLEMENTATION Mailroom\r
                .\r
                -ERR Log in first\r
                -ERR Unknown command\r
                -ERR STLS not available\r
                +OK Bye\r
                """, out);
    }

    @Test
    void pipelinedLoginAndRetrieval() {
        String out = runBothWays("USER alice@example.test\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nDELE 1\r\nRSET\r\nQUIT\r\n", 12);
        assertEquals("""
                +OK Mailroom POP3 ready on mail.example.test\r
                +OK\r
                +OK Logged in.\r
                +OK 1 27\r
                +OK 27 octets\r
                Subject: hi\r
                \r
                ..dot\r
                body\r
                .\r
                +OK Message 1 deleted\r
                +OK Maildrop has 1 messages (27 octets)\r
                +OK Bye\r
                """, out);
    }

    @Test
    void authContinuationTakesTheNextLineNotACommand() {
        // "\0alice@example.test\0secret"
        String out = runBothWays("AUTH PLAIN\r\nAGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=\r\nSTAT\r\nQUIT\r\n", 5);
        assertEquals("""
                +OK Mailroom POP3 ready on mail.example.test\r
                + \r
                +OK Logged in.\r
                +OK 1 27\r
                +OK Bye\r
                """, out);
    }

    @Test
    void overlongLineIsAnErrorAndTheSessionGoesOn() {
        String out = runBothWays("X".repeat(9000) + "\r\nNOOP\r\nQUIT\r\n", 4);
        assertEquals("""
                +OK Mailroom POP3 ready on mail.example.test\r
                -ERR Line too long\r
                -ERR Log in first\r
                +OK Bye\r
                """, out);
    }

    @Test
    void idleTimeoutSaysGoodbyeAndCloses() {
        EmbeddedChannel ch = open();
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        StringBuilder out = new StringBuilder();
        drain(ch, out);
        assertEquals("+OK Mailroom POP3 ready on mail.example.test\r\n-ERR Disconnected for inactivity\r\n", out.toString());
        assertFalse(ch.isOpen());
    }

    @Test
    void shutdownInAuthorizationClosesAtOnce() {
        EmbeddedChannel ch = open();
        ch.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        StringBuilder out = new StringBuilder();
        drain(ch, out);
        assertTrue(out.toString().endsWith("-ERR [SYS/TEMP] Server shutting down\r\n"), out.toString());
        assertFalse(ch.isOpen());
    }
}
