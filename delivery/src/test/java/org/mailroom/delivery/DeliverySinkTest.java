package org.mailroom.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.maildir.MaildirStore;
import org.mailroom.delivery.local.LocalDelivery;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueEntry.Recipient.Notify;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.queue.QueueWriter;
import org.mailroom.delivery.route.Router;

class DeliverySinkTest {
    @TempDir
    Path tmp;
    PropertiesAccountStore accounts;
    MaildirStore store;
    DeliverySink sink;
    final SessionInfo session = new SessionInfo("smtp", new InetSocketAddress("192.0.2.7", 40000),
            "client.example.net", "ESMTPS", "TLSv1.3 TLS_AES_128_GCM_SHA256", null);

    @BeforeEach
    void setUp() throws Exception {
        accounts = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        accounts.add("alice@example.org", "pw".toCharArray());
        accounts.add("bob@example.org", "pw".toCharArray());
        store = new MaildirStore(tmp.resolve("mail"), "mx.example.org");
        sink = new DeliverySink("mx.example.org", new Router(List.of("example.org"), accounts), store, ZoneOffset.UTC);
    }

    /** sendmail's arguments are not SMTP paths: the queue's form for ~/.forward commands must not get in. */
    @Test
    void addressesInTheQueuesFormForForwardCommandsAreRefused() {
        Outcome o = sink.checkRecipient(session, "x@y", "~carol:|/bin/sh -c id@elsewhere.example");
        assertEquals(553, o.code());
        assertEquals("5.1.3", o.enhancedStatus());
        assertEquals(553, sink.checkSender(session, "~carol:/home/carol/.bashrc").code());
        Envelope env = new Envelope("ABCDEF123456", "~carol:|id", List.of("alice@example.org"), session, java.time.Instant.now());
        assertEquals(553, sink.accept(env, null).code());
        env = new Envelope("ABCDEF123457", "x@y.example", List.of("~carol:|id@example.org"), session, java.time.Instant.now());
        assertEquals(553, sink.accept(env, null).code());
    }

    @Test
    void recipientsAreJudgedByDomainAndAccount() {
        assertEquals(250, sink.checkRecipient(session, "x@y", "alice@example.org").code());
        assertEquals(250, sink.checkRecipient(session, "x@y", "Alice@EXAMPLE.org").code());
        assertEquals(250, sink.checkRecipient(session, "x@y", "alice+lists@example.org").code(), "plus addressing");
        Outcome unknown = sink.checkRecipient(session, "x@y", "carol@example.org");
        assertEquals(550, unknown.code());
        assertEquals("5.1.1", unknown.enhancedStatus());
        Outcome relay = sink.checkRecipient(session, "x@y", "alice@elsewhere.example");
        assertEquals(550, relay.code());
        assertEquals("5.7.1", relay.enhancedStatus());
    }

    @Test
    void acceptedMessageIsInEveryInboxWithTraceFields() throws Exception {
        ContentBuffer body = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        body.append("Subject: hi\n\nhello\n".getBytes(UTF_8));
        Envelope env = new Envelope("ABCDEF123456", "sender@remote.example", List.of("alice@example.org", "bob+x@example.org"),
                session, Instant.parse("2026-11-23T19:00:00Z"));
        Outcome o = sink.accept(env, body);
        assertEquals(250, o.code(), o.toString());
        for (String acct : List.of("alice@example.org", "bob@example.org")) {
            try (Mailbox m = store.openInbox(acct); InputStream in = m.open(m.messages().get(0).uid())) {
                String s = new String(in.readAllBytes(), UTF_8);
                assertEquals("Return-Path: <sender@remote.example>\n"
                        + "Received: from client.example.net ([192.0.2.7])\n"
                        + "\tby mx.example.org (Mailroom) with ESMTPS id ABCDEF123456\n"
                        + "\t(TLSv1.3 TLS_AES_128_GCM_SHA256); Mon, 23 Nov 2026 19:00:00 +0000\n"
                        + "Subject: hi\n\nhello\n", s);
            }
        }
    }

    @Test
    void singleRecipientIsNamedInReceivedAndNullSenderIsKept() throws Exception {
        ContentBuffer body = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        body.append("\n".getBytes(UTF_8));
        Envelope env = new Envelope("ID1", "", List.of("alice@example.org"), session, Instant.parse("2026-11-23T19:00:00Z"));
        assertEquals(250, sink.accept(env, body).code());
        try (Mailbox m = store.openInbox("alice@example.org"); InputStream in = m.open(m.messages().get(0).uid())) {
            String s = new String(in.readAllBytes(), UTF_8);
            assertTrue(s.startsWith("Return-Path: <>\n"), s);
            assertTrue(s.contains("\n\tfor <alice@example.org>; Mon, 23 Nov 2026 19:00:00 +0000\n"), s);
        }
    }

    @Test
    void accountRemovedBeforeEndOfDataIsATemporaryFailureNotALoss() throws Exception {
        ContentBuffer body = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        body.append("x\n".getBytes(UTF_8));
        accounts.remove("bob@example.org");
        Envelope env = new Envelope("ID2", "s@r", List.of("alice@example.org", "bob@example.org"), session, Instant.now());
        assertEquals(451, sink.accept(env, body).code());
        try (Mailbox m = store.openInbox("alice@example.org")) {
            assertEquals(0, m.messages().size(), "nothing delivered when the reply is 451");
        }
    }

    @Test
    void dsnParametersAndSmtputf8EndUpInTheQueueRecord() throws Exception {
        // RFC 3461 4.1-4.4, RFC 6531 3.4: what the client gave on MAIL and RCPT travels into the queue
        QueueStore queueStore = new QueueStore(tmp.resolve("queue"));
        QueueWriter writer = new QueueWriter(queueStore, "mx.example.org");
        DeliverySink relaying = new DeliverySink("mx.example.org", new Router(List.of("example.org"), accounts),
                new LocalDelivery(store), writer, id -> { }, s -> true, null, ZoneOffset.UTC);
        ContentBuffer body = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        body.append("Subject: hi\n\nhello\n".getBytes(UTF_8));
        Envelope env = new Envelope("4XJ2K9ABCD", "sender@example.org", List.of("carol@remote.example", "alice@example.org"),
                session, Instant.parse("2026-11-23T19:00:00Z"),
                new Envelope.MailOptions("QQ314159+2Bx", Envelope.Ret.HDRS, Envelope.Body.EIGHT_BIT_MIME, true),
                List.of(new Envelope.RcptOptions("rfc822;carol+40old.example", Set.of(Envelope.Notify.NEVER)),
                        new Envelope.RcptOptions(null, Set.of(Envelope.Notify.SUCCESS, Envelope.Notify.FAILURE))));
        assertEquals(250, relaying.accept(env, body).code());

        QueueEntry e = queueStore.load("4XJ2K9ABCD").orElseThrow();
        assertEquals("QQ314159+2Bx", e.envid());
        assertEquals(QueueEntry.Ret.HDRS, e.ret());
        assertEquals(QueueEntry.Body.EIGHT_BIT_MIME, e.body());
        assertTrue(e.smtputf8());
        QueueEntry.Recipient carol = e.recipients().get(0);
        assertEquals("carol@remote.example", carol.address());
        assertEquals("rfc822;carol+40old.example", carol.orcpt());
        assertEquals(Set.of(Notify.NEVER), carol.notifyOn());
        QueueEntry.Recipient alice = e.recipients().get(1);
        assertEquals("alice@example.org", alice.address());
        assertEquals("rfc822;alice@example.org", alice.orcpt(), "no ORCPT given: the address before alias expansion");
        assertEquals(Set.of(Notify.SUCCESS, Notify.FAILURE), alice.notifyOn());
    }

    /** Issue "Submission" 5: an authenticated user sends only as their own addresses, in MAIL FROM and From:. */
    @Test
    void senderBindingForAuthenticatedSessions() throws Exception {
        java.nio.file.Path grants = tmp.resolve("senders");
        java.nio.file.Files.writeString(grants, "alice@example.org: info@example.net, @example.com\n");
        java.nio.file.Path aliasFile = tmp.resolve("aliases");
        java.nio.file.Files.writeString(aliasFile, "sales: alice, bob\n");
        org.mailroom.delivery.route.Aliases aliases = org.mailroom.delivery.route.Aliases.load(aliasFile);
        Router router = new Router(List.of("example.org"), accounts, () -> aliases);
        org.mailroom.delivery.route.Aliases granted = org.mailroom.delivery.route.Aliases.load(grants);
        DeliverySink bound = new DeliverySink("mx.example.org", router, new LocalDelivery(store), null, id -> { },
                s -> false, new org.mailroom.delivery.route.SenderBinding(true, router, () -> granted), ZoneOffset.UTC);
        SessionInfo alice = new SessionInfo("submission", new InetSocketAddress("192.0.2.7", 40000), "laptop",
                "ESMTPSA", "TLSv1.3", "alice@example.org");
        for (String ok : List.of("alice@example.org", "Alice+lists@example.org", "sales@example.org", "info@example.net",
                "anyone@example.com", "")) {
            assertEquals(250, bound.checkSender(alice, ok).code(), ok);
        }
        for (String no : List.of("bob@example.org", "ceo@example.net", "alice@elsewhere.example")) {
            Outcome o = bound.checkSender(alice, no);
            assertEquals(553, o.code(), no);
            assertEquals("5.7.1", o.enhancedStatus());
        }
        ContentBuffer spoof = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        spoof.append("From: \"The Boss\" <bob@example.org>\nSubject: pay this\n\nbody From: alice@example.org\n".getBytes(UTF_8));
        Envelope env = new Envelope("SPOOF1", "alice@example.org", List.of("alice@example.org"), alice, Instant.now());
        assertEquals(553, bound.accept(env, spoof).code(), "a From: that is not hers");
        ContentBuffer fine = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        fine.append("From: Alice (work) <alice@example.org>,\n sales@example.org\nSubject: ok\n\nbody\n".getBytes(UTF_8));
        Envelope env2 = new Envelope("FINE01", "alice@example.org", List.of("alice@example.org"), alice, Instant.now());
        assertEquals(250, bound.accept(env2, fine).code());
    }

    @Test
    void aRecipientOverItsQuotaGets552AndNothingIsStored() throws Exception {
        store = new MaildirStore(tmp.resolve("mail2"), "mx.example.org", a -> a.equals("alice@example.org")
                ? new org.mailroom.core.store.Quota(10, 0, 0, 0) : org.mailroom.core.store.Quota.NONE);
        sink = new DeliverySink("mx.example.org", new Router(List.of("example.org"), accounts), store, ZoneOffset.UTC);
        ContentBuffer body = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        body.append("Subject: too big for alice\n\nhello\n".getBytes(UTF_8));
        Envelope env = new Envelope("ABCDEF123457", "sender@remote.example", List.of("alice@example.org"),
                session, Instant.parse("2026-11-23T19:00:00Z"));
        Outcome o = sink.accept(env, body);
        assertEquals(552, o.code(), o.toString()); // RFC 3463 5.2.2 mailbox full
        assertEquals("5.2.2", o.enhancedStatus());
        try (Mailbox m = store.openInbox("alice@example.org")) {
            assertEquals(0, m.messages().size());
        }
        Envelope toBob = new Envelope("ABCDEF123458", "sender@remote.example", List.of("bob@example.org"),
                session, Instant.parse("2026-11-23T19:00:00Z"));
        assertEquals(250, sink.accept(toBob, body).code());
    }

    @Test
    void anOctetAbove127AnywhereMakesTheContentEightBit() {
        // RFC 6152: such content goes out as BODY=8BITMIME whatever the client declared
        for (int size : new int[] {0, 1, 7, 100, 65536, 70000}) {
            byte[] b = new byte[size];
            java.util.Arrays.fill(b, (byte) 'a');
            ContentBuffer plain = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
            plain.append(b);
            assertEquals(false, DeliverySink.eightBit(plain), "size " + size);
            for (int at : new int[] {0, size / 2, size - 1}) {
                if (size == 0) continue;
                byte[] c = b.clone();
                c[at] = (byte) 0xc3;
                ContentBuffer eight = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
                eight.append(c);
                assertTrue(DeliverySink.eightBit(eight), "size " + size + " at " + at);
            }
        }
    }
}
