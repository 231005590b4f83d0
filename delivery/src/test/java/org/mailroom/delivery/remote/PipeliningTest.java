package org.mailroom.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mailroom.delivery.remote.SmtpClientTest.assertResult;
import static org.mailroom.delivery.remote.SmtpClientTest.tx;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailroom.delivery.remote.RecipientResult.Status;

/**
 * RFC 2920 command pipelining in the client, against scripted servers that read a whole command
 * group before they answer anything: a client that waited for a reply inside the group would
 * never get one (the script would time out), so these transcripts show that MAIL, every RCPT and
 * DATA go out together, and that the replies are matched to the commands in order.
 */
class PipeliningTest {
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

    static AttemptResult deliver(ScriptedSmtpServer s, Transaction t, ConnectOptions o) throws Exception {
        SmtpConnection c = client.connect("mx.test", s.address(), o);
        try {
            return c.send(t);
        } finally {
            c.quit();
        }
    }

    @Test
    void rfc2920FirstExampleOneGroupForMailRcptAndData() throws Exception {
        // RFC 2920 3.2 (the example with PIPELINING): 9 turnarounds become 4; ours are 5, as the
        // client waits for the reply to "." before QUIT to keep the session for the next message
        try (var s = new ScriptedSmtpServer(
                "S: 220 innosoft.com SMTP service ready",
                "C: EHLO client.test",
                "S: 250-innosoft.com",
                "S: 250 PIPELINING",
                "C: MAIL FROM:<s@a.test>",
                "C: RCPT TO:<ned@innosoft.com>",
                "C: RCPT TO:<dan@innosoft.com>",
                "C: RCPT TO:<kvc@innosoft.com>",
                "C: DATA",
                "S: 250 sender <s@a.test> OK",
                "S: 250 recipient <ned@innosoft.com> OK",
                "S: 250 recipient <dan@innosoft.com> OK",
                "S: 250 recipient <kvc@innosoft.com> OK",
                "S: 354 enter mail, end with line containing only \".\"",
                "C: <data>",
                "S: 250 message sent",
                "C: QUIT",
                "S: 221 goodbye")) {
            AttemptResult r = deliver(s, tx("ned@innosoft.com", "dan@innosoft.com", "kvc@innosoft.com"),
                    ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertFalse(r.connectionLost());
            for (RecipientResult rr : r.recipients()) {
                assertResult(rr, Status.SUCCESS, 250, "2.0.0");
                assertEquals("message sent", rr.text());
            }
            assertEquals(List.of(SmtpClientTest.WIRE_BODY), s.data());
        }
    }

    @Test
    void rfc2920SecondExampleAllRecipientsRejected() throws Exception {
        // RFC 2920 3.2: every RCPT refused, DATA answered 554; each recipient keeps its own reply.
        // The client then says RSET (RFC 5321 4.1.1.5), not QUIT at once, so the session can be reused
        try (var s = new ScriptedSmtpServer(
                "S: 220 innosoft.com SMTP service ready",
                "C: EHLO client.test",
                "S: 250-innosoft.com",
                "S: 250 PIPELINING",
                "C: MAIL FROM:<s@a.test>",
                "C: RCPT TO:<nsb@thumper.bellcore.com>",
                "C: RCPT TO:<galvin@tis.com>",
                "C: DATA",
                "S: 250 sender <s@a.test> OK",
                "S: 550 remote mail to <nsb@thumper.bellore.com> not allowed",
                "S: 550 remote mail to <galvin@tis.com> not allowed",
                "S: 554 no valid recipients given",
                "C: RSET",
                "S: 250 ok",
                "C: QUIT",
                "S: 221 goodbye")) {
            AttemptResult r = deliver(s, tx("nsb@thumper.bellcore.com", "galvin@tis.com"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertFalse(r.connectionLost());
            assertResult(r.recipients().get(0), Status.PERMANENT, 550, "5.0.0");
            assertEquals("remote mail to <nsb@thumper.bellore.com> not allowed", r.recipients().get(0).text());
            assertResult(r.recipients().get(1), Status.PERMANENT, 550, "5.0.0");
            assertEquals("remote mail to <galvin@tis.com> not allowed", r.recipients().get(1).text());
            assertEquals(List.of(), s.data());
        }
    }

    @Test
    void eachRecipientGetsItsOwnReplyFromAPipelinedGroup() throws Exception {
        try (var s = new ScriptedSmtpServer(
                "S: 220 mx.test ESMTP",
                "C: EHLO client.test",
                "S: 250-mx.test",
                "S: 250-ENHANCEDSTATUSCODES",
                "S: 250 PIPELINING",
                "C: MAIL FROM:<s@a.test>",
                "C: RCPT TO:<a@b.test>",
                "C: RCPT TO:<x@b.test>",
                "C: RCPT TO:<t@b.test>",
                "C: RCPT TO:<d@b.test>",
                "C: DATA",
                "S: 250 2.1.0 ok",
                "S: 250 2.1.5 ok",
                "S: 550 5.1.1 no such user",
                "S: 450 4.2.1 mailbox busy",
                "S: 250 2.1.5 ok",
                "S: 354 go ahead",
                "C: <data>",
                "S: 250 2.0.0 queued as P1",
                "C: QUIT",
                "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test", "x@b.test", "t@b.test", "d@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
            assertEquals("queued as P1", r.recipients().get(0).text());
            assertResult(r.recipients().get(1), Status.PERMANENT, 550, "5.1.1");
            assertEquals("no such user", r.recipients().get(1).text());
            assertResult(r.recipients().get(2), Status.TEMPORARY, 450, "4.2.1");
            assertEquals("mailbox busy", r.recipients().get(2).text());
            assertResult(r.recipients().get(3), Status.SUCCESS, 250, "2.0.0");
            assertEquals(List.of(SmtpClientTest.WIRE_BODY), s.data());
        }
    }

    @Test
    void dataAcceptedWithoutRecipientsSendsAnEmptyMessageEnd() throws Exception {
        // RFC 2920 3.1: the client must check the reply to DATA and cannot assume a refusal; a 354
        // with no recipient taken is answered with "." alone, so no content reaches anybody
        try (var s = new ScriptedSmtpServer(
                "S: 220 mx.test ESMTP",
                "C: EHLO client.test",
                "S: 250-mx.test",
                "S: 250 PIPELINING",
                "C: MAIL FROM:<s@a.test>",
                "C: RCPT TO:<x@b.test>",
                "C: DATA",
                "S: 250 ok",
                "S: 550 5.1.1 no such user",
                "S: 354 go ahead",
                "C: <data>",
                "S: 554 5.5.1 no valid recipients",
                "C: RSET",
                "S: 250 ok",
                "C: QUIT",
                "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("x@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertFalse(r.connectionLost());
            assertResult(r.recipients().get(0), Status.PERMANENT, 550, "5.1.1");
            assertEquals(List.of(""), s.data());
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        // RFC 5321 4.1.1.2/4.1.1.3 lock-step: MAIL refused, so no RCPT may follow (a pipelining
        // client would already have sent its RCPTs and DATA, and the script would see "RCPT")
        try (var s = new ScriptedSmtpServer(
                "S: 220 mx.test ESMTP",
                "C: EHLO client.test",
                "S: 250-mx.test",
                "S: 250 8BITMIME",
                "C: MAIL FROM:<s@a.test>",
                "S: 550 5.7.1 sender refused",
                "C: RSET",
                "S: 250 ok",
                "C: QUIT",
                "S: 221 bye")) {
            AttemptResult r = deliver(s, tx("a@b.test", "c@b.test"), ConnectOptions.DEFAULT);
            assertEquals(List.of(), s.errors());
            assertResult(r.recipients().get(0), Status.PERMANENT, 550, "5.7.1");
            assertResult(r.recipients().get(1), Status.PERMANENT, 550, "5.7.1");
            assertEquals("sender refused", r.recipients().get(1).text());
        }
    }

    @Test
    void aCachedSessionCarriesTheNextPipelinedTransaction() throws Exception {
        try (var s = new ScriptedSmtpServer(
                "S: 220 mx.test ESMTP",
                "C: EHLO client.test",
                "S: 250-mx.test",
                "S: 250 PIPELINING",
                "C: MAIL FROM:<s@a.test>", "C: RCPT TO:<a@b.test>", "C: DATA",
                "S: 250 ok", "S: 250 ok", "S: 354 go", "C: <data>", "S: 250 2.0.0 first",
                "C: MAIL FROM:<s@a.test>", "C: RCPT TO:<c@b.test>", "C: DATA",
                "S: 250 ok", "S: 451 4.3.0 later", "S: 554 no valid recipients", "C: RSET", "S: 250 ok",
                "C: QUIT", "S: 221 bye")) {
            SmtpConnection c = client.connect("mx.test", s.address(), ConnectOptions.DEFAULT);
            AttemptResult first = c.send(tx("a@b.test"));
            AttemptResult second = c.send(tx("c@b.test"));
            c.quit();
            assertEquals(List.of(), s.errors());
            assertResult(first.recipients().get(0), Status.SUCCESS, 250, "2.0.0");
            assertResult(second.recipients().get(0), Status.TEMPORARY, 451, "4.3.0");
            assertFalse(second.connectionLost());
        }
    }
}
