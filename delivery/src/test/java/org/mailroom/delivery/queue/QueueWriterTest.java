package org.mailroom.delivery.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.delivery.queue.EnqueueOptions.RcptOptions;
import org.mailroom.delivery.queue.QueueEntry.Body;
import org.mailroom.delivery.queue.QueueEntry.Recipient;
import org.mailroom.delivery.queue.QueueEntry.Recipient.Notify;
import org.mailroom.delivery.queue.QueueEntry.Ret;
import org.slf4j.LoggerFactory;

class QueueWriterTest {
    static final Instant T0 = Instant.parse("2026-11-23T19:00:00Z");
    static final SessionInfo SESSION = new SessionInfo("submission", new InetSocketAddress("192.0.2.7", 40000),
            "laptop.example.org", "ESMTPSA", null, "alice@example.org");

    @TempDir
    Path tmp;
    Path root;
    QueueStore store;
    QueueWriter writer;
    ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("queue");
        store = new QueueStore(root);
        writer = new QueueWriter(store, "mx.example.org", ZoneOffset.UTC, QueueWriter.DEFAULT_MAX_RECEIVED,
                QueueStore.State.INCOMING);
        logged.start();
        ((Logger) LoggerFactory.getLogger(QueueWriter.class)).addAppender(logged);
    }

    static Envelope envelope(String id, String... rcpts) {
        return new Envelope(id, "alice@example.org", List.of(rcpts), SESSION, T0);
    }

    static String received(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("Received: from hop").append(i).append(".example\n\tby x; ").append(i).append('\n');
        return sb.toString();
    }

    int filesIn(String dir) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve(dir))) {
            return (int) s.count();
        }
    }

    @Test
    void enqueueAddsReceivedAndKeepsTheDsnParameters() throws Exception {
        EnqueueOptions opts = new EnqueueOptions("QQ314159", Ret.HDRS, Body.EIGHT_BIT_MIME, false, List.of(
                new RcptOptions("rfc822;bob@example.net", EnumSet.of(Notify.FAILURE, Notify.DELAY)), RcptOptions.NONE));
        QueueEntry e = writer.enqueue(envelope("4XJ2K9ABCD", "bob@example.net", "carol@example.com"),
                QueueStoreTest.content("Subject: hi\n\nhello\n"), opts);

        assertEquals(e, store.load("4XJ2K9ABCD").orElseThrow());
        assertEquals("QQ314159", e.envid());
        assertEquals(Ret.HDRS, e.ret());
        assertEquals(Body.EIGHT_BIT_MIME, e.body());
        assertEquals(new QueueEntry.Origin("submission", "192.0.2.7", "laptop.example.org", "ESMTPSA", "alice@example.org"),
                e.origin());
        assertEquals(List.of(new Recipient("bob@example.net", "rfc822;bob@example.net", Set.of(Notify.FAILURE, Notify.DELAY),
                        Recipient.State.PENDING, null, null, false), Recipient.of("carol@example.com")), e.recipients());
        assertEquals(T0, e.nextAttempt(), "due at once");
        String stored = Files.readString(root.resolve("messages/4XJ2K9ABCD.msg"));
        String expected = "Received: from laptop.example.org ([192.0.2.7])\n"
                + "\tby mx.example.org (Mailroom) with ESMTPSA id 4XJ2K9ABCD\n"
                + "\t(authenticated as alice@example.org); Mon, 23 Nov 2026 19:00:00 +0000\n"
                + "Subject: hi\n\nhello\n";
        assertEquals(expected, stored);
        assertEquals(List.of("4XJ2K9ABCD: from=<alice@example.org>, size=" + expected.getBytes(UTF_8).length
                + ", nrcpt=2 (queue incoming)"), logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void intoActiveWhenTheQueueManagerTakesItInMemory() throws Exception {
        QueueWriter w = new QueueWriter(store, "mx.example.org", ZoneOffset.UTC, 50, QueueStore.State.ACTIVE);
        w.enqueue(envelope("ACTIVE0001", "bob@example.net"), QueueStoreTest.content("\n"), EnqueueOptions.NONE);
        assertEquals(QueueStore.State.ACTIVE, store.state("ACTIVE0001").orElseThrow());
        assertTrue(logged.list.get(0).getFormattedMessage().endsWith("nrcpt=1 (queue active)"));
    }

    @Test
    void handoffGetsTheDurableMessageWithItsContentInMemory() throws Exception {
        List<QueueEntry> taken = new java.util.ArrayList<>();
        List<byte[]> contents = new java.util.ArrayList<>();
        QueueWriter w = new QueueWriter(store, "mx.example.org", ZoneOffset.UTC, 50, (e, c) -> {
            // durable before the handoff: record in active/, content in messages/
            assertEquals(QueueStore.State.ACTIVE, store.state(e.id()).orElseThrow());
            try (var in = c.open(); var file = store.openContent(e.id())) {
                contents.add(in.readAllBytes());
                assertEquals(new String(contents.get(0), UTF_8), new String(file.readAllBytes(), UTF_8));
            } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
            taken.add(e);
            return true;
        });
        assertTrue(w.handsOff());
        QueueEntry e = w.enqueue(envelope("HANDOFF001", "bob@example.net"), QueueStoreTest.content("Subject: s\n\nx\n"),
                EnqueueOptions.NONE);
        assertEquals(List.of(e), taken);
        String held = new String(contents.get(0), UTF_8);
        assertTrue(held.startsWith("Received: from laptop.example.org") && held.endsWith("\nSubject: s\n\nx\n"), held);
        assertEquals(QueueStore.State.ACTIVE, store.state("HANDOFF001").orElseThrow());
    }

    @Test
    void refusedHandoffLeavesTheMessageInIncomingForTheScan() throws Exception {
        QueueWriter w = new QueueWriter(store, "mx.example.org", ZoneOffset.UTC, 50, (e, c) -> false);
        w.enqueue(envelope("REFUSED001", "bob@example.net"), QueueStoreTest.content("x\n"), EnqueueOptions.NONE);
        assertEquals(QueueStore.State.INCOMING, store.state("REFUSED001").orElseThrow());
    }

    @Test
    void largeMessagesAreHandedOverWithoutContentAndReadFromTheStore() throws Exception {
        List<Boolean> inMemory = new java.util.ArrayList<>();
        QueueWriter w = new QueueWriter(store, "mx.example.org", ZoneOffset.UTC, 50, (e, c) -> inMemory.add(c != null));
        w.enqueue(envelope("LARGE00001", "bob@example.net"),
                QueueStoreTest.content("\n" + "x".repeat(QueueWriter.HOLD_MAX) + "\n"), EnqueueOptions.NONE);
        w.enqueue(envelope("SMALL00001", "bob@example.net"), QueueStoreTest.content("\nx\n"), EnqueueOptions.NONE);
        assertEquals(List.of(false, true), inMemory);
        assertTrue(store.contentSize("LARGE00001") > QueueWriter.HOLD_MAX);
    }

    @Test
    void rfc5321Section63TooManyReceivedIsALoopAndNothingIsQueued() throws Exception {
        MailLoopException loop = assertThrows(MailLoopException.class, () -> writer.enqueue(
                envelope("LOOPING001", "bob@example.net"), QueueStoreTest.content(received(51) + "Subject: loop\n\nx\n"),
                EnqueueOptions.NONE));
        assertEquals(51, loop.hops());
        assertEquals(new Outcome(554, "5.4.6", "Too many hops (mail loop?)"), loop.outcome());
        for (String d : List.of("messages", "incoming", "tmp")) assertEquals(0, filesIn(d), d);
    }

    @Test
    void theLimitItselfIsAccepted() throws Exception {
        writer.enqueue(envelope("FIFTYHOPS1", "bob@example.net"), QueueStoreTest.content(received(50) + "\nx\n"),
                EnqueueOptions.NONE);
        assertEquals(QueueStore.State.INCOMING, store.state("FIFTYHOPS1").orElseThrow());
    }

    @Test
    void receivedInTheBodyOrFoldedIsNotAHop() throws Exception {
        String forwarded = "Received: from one\nX-Note: received: not a field name\n Received: folded, not a field\n"
                + "\n" + received(200);
        assertEquals(1, QueueWriter.countReceived(QueueStoreTest.content(forwarded)));
        writer.enqueue(envelope("FORWARDED1", "bob@example.net"), QueueStoreTest.content(forwarded), EnqueueOptions.NONE);
        assertTrue(store.state("FORWARDED1").isPresent());
    }

    @Test
    void fieldNamesCompareWithoutCaseAndTheObsoleteSpaceBeforeTheColon() throws Exception {
        assertEquals(3, QueueWriter.countReceived(QueueStoreTest.content(
                "RECEIVED: a\nreceived : b\nReceived\t: c\nReceivedX: no\nReceive: no\n\nReceived: body\n")));
        assertEquals(2, QueueWriter.countReceived(QueueStoreTest.content("Received: a\nReceived: b")), "no body at all");
    }

    @Test
    void recipientOptionsMustMatchTheEnvelope() {
        EnqueueOptions one = new EnqueueOptions(null, null, null, false, List.of(RcptOptions.NONE));
        assertThrows(IllegalArgumentException.class, () -> writer.enqueue(
                envelope("MISMATCH01", "a@example.net", "b@example.net"), QueueStoreTest.content("\n"), one));
    }
}
