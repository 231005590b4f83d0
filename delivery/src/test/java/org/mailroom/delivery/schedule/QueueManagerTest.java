package org.mailroom.delivery.schedule;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.maildir.MaildirStore;
import org.mailroom.delivery.dsn.DsnBuilder;
import org.mailroom.delivery.local.LocalDelivery;
import org.mailroom.delivery.queue.EnqueueOptions;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.queue.QueueWriter;
import org.mailroom.delivery.remote.ConnectOptions;
import org.mailroom.delivery.remote.MxResolver;
import org.mailroom.delivery.remote.RemoteDelivery;
import org.mailroom.delivery.remote.SmtpClient;
import org.mailroom.delivery.remote.TestDnsServer;
import org.mailroom.delivery.remote.Timeouts;
import org.mailroom.delivery.route.Router;

/**
 * The queue manager with real parts: queue and Maildir on disk, a DNS server on loopback, GreenMail
 * as the remote MTA. Each test calls {@link QueueManager#process} directly for one attempt, with a
 * clock the test moves, so that backoff and expiry are shown without waiting.
 */
class QueueManagerTest {
    @TempDir
    Path tmp;
    GreenMail remoteMta;
    TestDnsServer dns;
    NioEventLoopGroup group;
    MaildirStore mail;
    QueueStore queue;
    QueueWriter writer;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T19:00:00Z"));
    int deadPort;

    static final class MutableClock extends Clock {
        Instant now;
        MutableClock(Instant now) { this.now = now; }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return now; }
    }

    @BeforeEach
    void setUp() throws Exception {
        remoteMta = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        remoteMta.start();
        dns = TestDnsServer.start()
                .mx("remote.example", 10, "mx.remote.example").a("mx.remote.example", "127.0.0.1")
                .nullMx("nomail.example");
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        group = new NioEventLoopGroup(1);
        PropertiesAccountStore accounts = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        accounts.add("alice@example.org", "pw".toCharArray());
        mail = new MaildirStore(tmp.resolve("mail"), "mx.example.org");
        queue = new QueueStore(tmp.resolve("queue"));
        writer = new QueueWriter(queue, "mx.example.org");
    }

    @AfterEach
    void tearDown() {
        remoteMta.stop();
        dns.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** What the managers made by {@link #manager} count. */
    final org.mailroom.core.metrics.Metrics metrics = new org.mailroom.core.metrics.Metrics();

    private long delivered(String status, boolean local) {
        return org.mailroom.delivery.DeliveryMetrics.counter(metrics, status, local).value();
    }

    private QueueManager manager(Map<String, String> transports) {
        Router router = new Router(List.of("example.org"), new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher()));
        RemoteDelivery remote = new RemoteDelivery(new MxResolver(List.of(dns.address()), Duration.ofSeconds(2)),
                new SmtpClient(group, "mx.example.org", Timeouts.all(Duration.ofSeconds(5))), remoteMta.getSmtp().getPort());
        QueueSettings settings = new QueueSettings(2, 2, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5),
                Duration.ofHours(4), null, transports, Duration.ofSeconds(1));
        DsnBouncer[] bouncer = new DsnBouncer[1];
        QueueManager qm = new QueueManager(queue, settings, router, new LocalDelivery(mail), remote,
                ConnectOptions.DEFAULT, ConnectOptions.DEFAULT, (e, k, r) -> bouncer[0].report(e, k, r), clock, metrics);
        bouncer[0] = new DsnBouncer(new DsnBuilder("mx.example.org", ZoneOffset.UTC), writer, queue, id -> { },
                1 << 20, settings.maxLifetime(), clock);
        return qm;
    }

    private String enqueue(String from, String... to) throws Exception {
        ContentBuffer c = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        c.append("Subject: queued\nMessage-ID: <q1@example.org>\n\nhello\n".getBytes(UTF_8));
        String id = "Q" + Long.toString(System.nanoTime(), 36).toUpperCase();
        Envelope env = new Envelope(id, from, List.of(to), new SessionInfo("submission", new InetSocketAddress("127.0.0.1", 5),
                "client.example", "ESMTPSA", null, from), clock.instant());
        writer.enqueue(env, c, EnqueueOptions.NONE);
        return id;
    }

    private List<String> inbox(String account) throws Exception {
        try (Mailbox m = mail.openInbox(account)) {
            List<String> out = new java.util.ArrayList<>();
            for (var r : m.messages()) {
                try (InputStream in = m.open(r.uid())) {
                    out.add(new String(in.readAllBytes(), UTF_8));
                }
            }
            return out;
        }
    }

    private List<String> pending() throws Exception {
        return queue.listAll().stream().map(s -> s.state() + " " + s.entry().id()).toList();
    }

    @Test
    void remoteAndLocalRecipientsAreDeliveredAndTheMessageLeavesTheQueue() throws Exception {
        String id = enqueue("alice@example.org", "bob@remote.example", "alice@example.org");
        manager(Map.of()).process(id);
        assertEquals(List.of(), pending());
        assertEquals(1, remoteMta.getReceivedMessages().length);
        assertEquals("queued", remoteMta.getReceivedMessages()[0].getSubject());
        List<String> local = inbox("alice@example.org");
        assertEquals(1, local.size());
        assertTrue(local.get(0).startsWith("Return-Path: <alice@example.org>\nReceived: from client.example"), local.get(0));
        // one per log line: status=sent, relay=local and relay=mx...
        assertEquals(1, delivered("sent", true));
        assertEquals(1, delivered("sent", false));
    }

    @Test
    void aHandedOverMessageIsDeliveredFromMemoryAndLeavesTheQueue() throws Exception {
        QueueManager qm = manager(Map.of());
        // the content file is removed before the handoff: delivery can only have used the copy in memory
        QueueWriter w = new QueueWriter(queue, "mx.example.org", ZoneOffset.UTC, 50, (e, c) -> {
            try {
                java.nio.file.Files.delete(queue.root().resolve("messages").resolve(e.id() + ".msg"));
            } catch (java.io.IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
            return qm.take(e, c);
        });
        ContentBuffer c = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        c.append("Subject: from memory\n\nhello\n".getBytes(UTF_8));
        Envelope env = new Envelope("HELD000001", "alice@example.org", List.of("bob@remote.example"),
                new SessionInfo("smtp", new InetSocketAddress("127.0.0.1", 5), "client.example", "ESMTP", null, null),
                clock.instant());
        w.enqueue(env, c, EnqueueOptions.NONE);
        c.discard(); // the SMTP session lets go of its buffer once the 250 is sent
        until(() -> qm.active() == 0 && pending().isEmpty(), "the handed-over message is delivered");
        assertEquals(List.of(), pending());
        assertEquals(1, remoteMta.getReceivedMessages().length);
        assertEquals("from memory", remoteMta.getReceivedMessages()[0].getSubject());
        assertEquals(1, delivered("sent", false));
        qm.close();
    }

    @Test
    void aHandedOverMessageThatIsDeferredGoesToDeferred() throws Exception {
        QueueManager qm = manager(Map.of("down.example", "[127.0.0.1]:" + deadPort));
        QueueWriter w = new QueueWriter(queue, "mx.example.org", ZoneOffset.UTC, 50, qm::take);
        ContentBuffer c = new ContentBuffer(tmp.resolve("spool"), 1 << 20);
        c.append("Subject: later\n\nhello\n".getBytes(UTF_8));
        Envelope env = new Envelope("HELD000002", "alice@example.org", List.of("carol@down.example"),
                new SessionInfo("smtp", new InetSocketAddress("127.0.0.1", 5), "client.example", "ESMTP", null, null),
                clock.instant());
        w.enqueue(env, c, EnqueueOptions.NONE);
        until(() -> qm.active() == 0, "the attempt is over");
        assertEquals(List.of("DEFERRED HELD000002"), pending());
        QueueEntry e = queue.load("HELD000002").orElseThrow();
        assertEquals(1, e.attempts());
        assertEquals(QueueEntry.Recipient.State.DEFERRED, e.recipients().get(0).state());
        qm.close();
    }

    @Test
    void temporaryFailuresBackOffAndExpireIntoABounce() throws Exception {
        QueueManager qm = manager(Map.of("down.example", "[127.0.0.1]:" + deadPort));
        String id = enqueue("alice@example.org", "carol@down.example");
        qm.process(id);
        QueueEntry e = queue.load(id).orElseThrow();
        assertEquals(QueueStore.State.DEFERRED, queue.state(id).orElseThrow());
        assertEquals(1, e.attempts());
        assertEquals(clock.now.plus(Duration.ofMinutes(5)), e.nextAttempt());
        assertEquals(QueueEntry.Recipient.State.DEFERRED, e.recipients().get(0).state());

        clock.now = clock.now.plus(Duration.ofMinutes(6));
        qm.process(id);
        assertEquals(clock.now.plus(Duration.ofMinutes(10)), queue.load(id).orElseThrow().nextAttempt(), "doubled");

        clock.now = Instant.parse("2026-11-23T19:00:00Z").plus(Duration.ofHours(5));
        qm.process(id);
        assertTrue(queue.load(id).orElseThrow().recipients().get(0).delayWarned(), "delay warning after 4h");
        List<String> reports = queue.ids(QueueStore.State.INCOMING);
        assertEquals(1, reports.size(), "the delay DSN is queued");
        qm.process(reports.get(0));
        assertTrue(inbox("alice@example.org").get(0).contains("Action: delayed"));

        clock.now = Instant.parse("2026-11-28T19:00:01Z");
        qm.process(id);
        assertEquals(QueueStore.State.INCOMING, queue.state(queue.ids(QueueStore.State.INCOMING).get(0)).orElseThrow());
        assertTrue(queue.state(id).isEmpty(), "expired message removed after its bounce was queued");
        qm.process(queue.ids(QueueStore.State.INCOMING).get(0));
        String bounce = inbox("alice@example.org").get(1);
        assertTrue(bounce.startsWith("Return-Path: <>\n"), bounce);
        assertTrue(bounce.contains("Action: failed"), bounce);
        assertTrue(bounce.contains("Status: 4.4.7"), bounce);
    }

    @Test
    void nullMxBouncesAtOnceAndNothingIsSentToTheNullSender() throws Exception {
        QueueManager qm = manager(Map.of());
        String id = enqueue("alice@example.org", "dave@nomail.example");
        qm.process(id);
        assertTrue(queue.state(id).isEmpty());
        String dsnId = queue.ids(QueueStore.State.INCOMING).get(0);
        qm.process(dsnId);
        String bounce = inbox("alice@example.org").get(0);
        assertTrue(bounce.contains("Status: 5.1.10"), bounce);
        assertTrue(bounce.contains("Final-Recipient: rfc822; dave@nomail.example"), bounce);

        String fromNull = enqueue("", "erin@nomail.example");
        qm.process(fromNull);
        assertEquals(List.of(), pending(), "a failed bounce is dropped, never reported");
    }

    private static final String[] GREETING = {"S: 220 mx.test ESMTP", "C: EHLO mx.example.org", "S: 250 mx.test"};

    private static String[] script(String[]... parts) {
        List<String> all = new java.util.ArrayList<>();
        for (String[] p : parts) all.addAll(List.of(p));
        return all.toArray(String[]::new);
    }

    /** Issue "Outbound": one of two recipients refused with 5xx: one delivered, one bounced with a correct DSN. */
    @Test
    void permanentRefusalOfOneRecipientBouncesOnlyThatOne() throws Exception {
        try (var mx = new org.mailroom.delivery.remote.ScriptedSmtpServer(script(GREETING, new String[] {
                "C: MAIL FROM:<alice@example.org>", "S: 250 ok", "C: RCPT TO:<bob@remote.example>", "S: 250 ok",
                "C: RCPT TO:<carol@remote.example>", "S: 550 5.1.1 <carol@remote.example>: no such user",
                "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 queued as R1", "C: QUIT", "S: 221 bye"}))) {
            QueueManager qm = manager(Map.of("remote.example", "[127.0.0.1]:" + mx.address().getPort()));
            String id = enqueue("alice@example.org", "bob@remote.example", "carol@remote.example");
            qm.process(id);
            qm.close(); // says QUIT to the cached connection
            assertEquals(List.of(), mx.errors());
            assertEquals(1, mx.data().size());
            assertTrue(queue.state(id).isEmpty(), "both recipients final: the message left the queue");
            assertEquals(1, delivered("sent", false));
            assertEquals(1, delivered("bounced", false));
            qm = manager(Map.of());
            qm.process(queue.ids(QueueStore.State.INCOMING).get(0));
            String dsn = inbox("alice@example.org").get(0);
            assertTrue(dsn.contains("Final-Recipient: rfc822; carol@remote.example"), dsn);
            assertTrue(dsn.contains("Action: failed"), dsn);
            assertTrue(dsn.contains("Status: 5.1.1"), dsn);
            assertTrue(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 <carol@remote.example>: no such user"), dsn);
            assertTrue(!dsn.contains("Final-Recipient: rfc822; bob@remote.example"), "the delivered one is not reported");
        }
    }

    /** Issue "Outbound": a 4xx, then success on the retry. */
    @Test
    void temporaryRefusalThenSuccessOnRetry() throws Exception {
        int port;
        String id;
        try (var first = new org.mailroom.delivery.remote.ScriptedSmtpServer(script(GREETING, new String[] {
                "C: MAIL FROM:<alice@example.org>", "S: 250 ok", "C: RCPT TO:<bob@remote.example>",
                "S: 451 4.3.0 greylisted, try later", "C: {*}", "S: 250 ok", "CLOSE"}))) {
            port = first.address().getPort();
            QueueManager qm = manager(Map.of("remote.example", "[127.0.0.1]:" + port));
            id = enqueue("alice@example.org", "bob@remote.example");
            qm.process(id);
            qm.close();
            assertEquals(QueueStore.State.DEFERRED, queue.state(id).orElseThrow());
            assertTrue(queue.load(id).orElseThrow().recipients().get(0).lastResult().contains("451 4.3.0 greylisted"));
        }
        try (var second = new org.mailroom.delivery.remote.ScriptedSmtpServer(
                new InetSocketAddress("127.0.0.1", port), script(GREETING, new String[] {
                "C: MAIL FROM:<alice@example.org>", "S: 250 ok", "C: RCPT TO:<bob@remote.example>", "S: 250 ok",
                "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 queued", "C: QUIT", "S: 221 bye"}))) {
            clock.now = clock.now.plus(Duration.ofMinutes(6));
            QueueManager qm = manager(Map.of("remote.example", "[127.0.0.1]:" + port));
            qm.process(id);
            qm.close();
            assertEquals(List.of(), second.errors());
            assertEquals(1, second.data().size());
            assertTrue(queue.state(id).isEmpty());
        }
    }

    /** Issue "Outbound": the connection drops in the middle of DATA; retried, delivered once. */
    @Test
    void connectionDropDuringDataIsRetriedAndDeliveredOnce() throws Exception {
        int port;
        String id;
        try (var first = new org.mailroom.delivery.remote.ScriptedSmtpServer(script(GREETING, new String[] {
                "C: MAIL FROM:<alice@example.org>", "S: 250 ok", "C: RCPT TO:<bob@remote.example>", "S: 250 ok",
                "C: DATA", "S: 354 go", "CLOSE"}))) {
            port = first.address().getPort();
            QueueManager qm = manager(Map.of("remote.example", "[127.0.0.1]:" + port));
            id = enqueue("alice@example.org", "bob@remote.example");
            qm.process(id);
            qm.close();
            assertEquals(List.of(), first.data(), "nothing was completed on the first connection");
            assertEquals(QueueStore.State.DEFERRED, queue.state(id).orElseThrow());
        }
        try (var second = new org.mailroom.delivery.remote.ScriptedSmtpServer(new InetSocketAddress("127.0.0.1", port),
                script(GREETING, new String[] {"C: MAIL FROM:<alice@example.org>", "S: 250 ok",
                        "C: RCPT TO:<bob@remote.example>", "S: 250 ok", "C: DATA", "S: 354 go", "C: <data>",
                        "S: 250 2.0.0 queued", "C: QUIT", "S: 221 bye"}))) {
            clock.now = clock.now.plus(Duration.ofMinutes(6));
            QueueManager qm = manager(Map.of("remote.example", "[127.0.0.1]:" + port));
            qm.process(id);
            qm.close();
            assertEquals(List.of(), second.errors());
            assertEquals(1, second.data().size(), "delivered exactly once");
            assertTrue(queue.state(id).isEmpty());
        }
    }

    @Test
    void localUnknownRecipientBounces() throws Exception {
        QueueManager qm = manager(Map.of());
        String id = enqueue("alice@example.org", "ghost@example.org");
        qm.process(id);
        qm.process(queue.ids(QueueStore.State.INCOMING).get(0));
        String bounce = inbox("alice@example.org").get(0);
        assertTrue(bounce.contains("Status: 5.1.1"), bounce);
    }

    /** Waits (at most 10 s) until the queue manager's worker threads have made {@code done} true. */
    private static void until(Check done, String what) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!done.ok()) {
            if (System.nanoTime() > end) fail("timed out waiting: " + what);
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }
}
