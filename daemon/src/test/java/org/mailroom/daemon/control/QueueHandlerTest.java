package org.mailroom.daemon.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.daemon.control.ControlRequest.Command;
import org.mailroom.delivery.queue.EnqueueOptions;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.queue.QueueStore.State;
import org.mailroom.delivery.queue.QueueWriter;

/** The queue commands against a real queue directory. */
class QueueHandlerTest {
    static final SessionInfo SESSION = new SessionInfo("smtp", new java.net.InetSocketAddress("192.0.2.7", 40000),
            "client.example", "ESMTP", null, null);
    static final Instant T0 = Instant.parse("2026-11-23T19:00:00Z");

    @TempDir
    Path dir;
    QueueStore store;
    QueueWriter writer;
    Clock clock = Clock.fixed(T0.plusSeconds(300), ZoneOffset.UTC);
    AtomicInteger wakes = new AtomicInteger(), flushes = new AtomicInteger();
    QueueHandler handler;

    @BeforeEach
    void setUp() throws Exception {
        store = new QueueStore(dir.resolve("queue"));
        writer = new QueueWriter(store, "mx.example.test");
        handler = new QueueHandler(store, wakes::incrementAndGet, flushes::incrementAndGet, clock);
    }

    QueueEntry enqueue(String id, Instant arrival, String from, String... to) throws Exception {
        ContentBuffer c = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        c.append(("Subject: test " + id + "\nFrom: <" + from + ">\n\nsecret body of " + id + "\n").getBytes(UTF_8));
        return writer.enqueue(new Envelope(id, from, List.of(to), SESSION, arrival), c, EnqueueOptions.NONE);
    }

    /** As the queue manager leaves a message after a failed attempt. */
    void defer(QueueEntry e, String error) throws Exception {
        QueueEntry tried = e.withAttempts(1).withNextAttempt(T0.plusSeconds(3600))
                .withRecipient(0, e.recipients().get(0).withAttempt(T0.plusSeconds(1), error, QueueEntry.Recipient.State.DEFERRED));
        store.update(tried);
        store.move(e.id(), State.DEFERRED);
    }

    ControlResponse run(Command c, String id) {
        return handler.handle(new ControlRequest(c, id));
    }

    @Test
    void listShowsOldestFirstWithStateAgeSizeSenderAndUndeliveredRecipients() throws Exception {
        QueueEntry later = enqueue("LATER00001", T0.plusSeconds(240), "", "carol@remote.example");
        QueueEntry first = enqueue("FIRST00001", T0, "alice@example.test", "bob@remote.example", "dave@remote.example");
        defer(first, "451 4.4.1 [127.0.0.1]:2525: connection refused");
        long size = store.contentSize("FIRST00001");

        ControlResponse r = run(Command.LIST, null);
        assertTrue(r.isOk(), r.toString());
        assertEquals(List.of(
                "FIRST00001 deferred 5m " + size + " <alice@example.test>",
                "  bob@remote.example (451 4.4.1 [127.0.0.1]:2525: connection refused)",
                "  dave@remote.example",
                "LATER00001 incoming 1m " + store.contentSize(later.id()) + " <>",
                "  carol@remote.example"), r.lines());
    }

    @Test
    void listOfAnEmptyQueueIsJustOk() {
        assertEquals(ControlResponse.ok(), run(Command.LIST, null));
    }

    @Test
    void listNamesCorruptFilesAndNeverParsesThem() throws Exception {
        Files.writeString(store.root().resolve("corrupt/BROKEN0001.env"), "garbage");
        ControlResponse r = run(Command.LIST, null);
        assertEquals(1, r.lines().size(), r.toString());
        assertTrue(r.lines().get(0).matches("BROKEN0001\\.env corrupt \\d+[smhd] 7 -"), r.lines().get(0));
    }

    @Test
    void showPrintsTheRecordAndTheHeaderButNotTheBody() throws Exception {
        enqueue("SHOW000001", T0, "alice@example.test", "bob@remote.example");
        ControlResponse r = run(Command.SHOW, "SHOW000001");
        assertTrue(r.isOk(), r.toString());
        String text = String.join("\n", r.lines());
        assertTrue(r.lines().get(0).equals("state: incoming"), text);
        assertTrue(r.lines().contains("id: SHOW000001"), text);
        assertTrue(r.lines().contains("sender: alice@example.test"), text);
        assertTrue(r.lines().contains("rcpt: bob@remote.example"), text);
        assertTrue(r.lines().contains("  state: PENDING"), text);
        assertTrue(r.lines().contains("Subject: test SHOW000001"), text);
        assertTrue(text.contains("Received: from"), "the trace header the writer added: " + text);
        assertFalse(text.contains("secret body"), text);
        assertEquals("NOTHERE001: not in the queue", run(Command.SHOW, "NOTHERE001").error());
    }

    @Test
    void flushMakesDeferredDueAndWakesTheQueueManager() {
        assertTrue(run(Command.FLUSH, null).isOk());
        assertEquals(1, flushes.get());
        assertEquals(1, wakes.get());
    }

    @Test
    void deleteRemovesRecordAndContentButNotWhileBeingDelivered() throws Exception {
        QueueEntry e = enqueue("DELETE0001", T0, "a@example.test", "b@remote.example");
        defer(e, "451 try later");
        assertEquals(List.of("DELETE0001: removed"), run(Command.DELETE, "DELETE0001").lines());
        assertTrue(store.state("DELETE0001").isEmpty());
        assertFalse(Files.exists(store.root().resolve("messages/DELETE0001.msg")));
        assertEquals("DELETE0001: not in the queue", run(Command.DELETE, "DELETE0001").error());

        enqueue("ACTIVE0001", T0, "a@example.test", "b@remote.example");
        store.move("ACTIVE0001", State.ACTIVE);
        assertEquals("ACTIVE0001: being delivered right now, try again", run(Command.DELETE, "ACTIVE0001").error());
        assertEquals(State.ACTIVE, store.state("ACTIVE0001").orElseThrow());
        assertTrue(Files.exists(store.root().resolve("messages/ACTIVE0001.msg")));
    }

    @Test
    void holdAndReleaseMoveBetweenHoldAndDeferredDueNow() throws Exception {
        QueueEntry e = enqueue("HOLD000001", T0, "a@example.test", "b@remote.example");
        defer(e, "451 try later");
        assertEquals(List.of("HOLD000001: on hold"), run(Command.HOLD, "HOLD000001").lines());
        assertEquals(State.HOLD, store.state("HOLD000001").orElseThrow());
        assertEquals(List.of("HOLD000001: on hold already"), run(Command.HOLD, "HOLD000001").lines());
        assertTrue(run(Command.LIST, null).lines().get(0).startsWith("HOLD000001 hold "));

        assertEquals(List.of("HOLD000001: released"), run(Command.RELEASE, "HOLD000001").lines());
        assertEquals(State.DEFERRED, store.state("HOLD000001").orElseThrow());
        assertEquals(clock.instant(), store.load("HOLD000001").orElseThrow().nextAttempt(), "due now");
        assertEquals(1, store.load("HOLD000001").orElseThrow().attempts(), "the rest of the record is kept");
        assertEquals(1, wakes.get());
        assertEquals("HOLD000001: not on hold (deferred)", run(Command.RELEASE, "HOLD000001").error());

        enqueue("INCOMING01", T0, "a@example.test", "b@remote.example");
        assertTrue(run(Command.HOLD, "INCOMING01").isOk());
        assertEquals(State.HOLD, store.state("INCOMING01").orElseThrow());
        enqueue("ACTIVE0002", T0, "a@example.test", "b@remote.example");
        store.move("ACTIVE0002", State.ACTIVE);
        assertEquals("ACTIVE0002: being delivered right now, try again", run(Command.HOLD, "ACTIVE0002").error());
        assertEquals("NOTHERE002: not in the queue", run(Command.HOLD, "NOTHERE002").error());
        assertEquals("NOTHERE002: not in the queue", run(Command.RELEASE, "NOTHERE002").error());
    }

    @Test
    void readOnlyAnswersListAndShowOnly() throws Exception {
        enqueue("RDONLY0001", T0, "a@example.test", "b@remote.example");
        QueueHandler ro = QueueHandler.readOnly(store, clock);
        assertTrue(ro.handle(new ControlRequest(Command.LIST, null)).isOk());
        assertTrue(ro.handle(new ControlRequest(Command.SHOW, "RDONLY0001")).isOk());
        for (Command c : List.of(Command.DELETE, Command.HOLD, Command.RELEASE)) {
            assertEquals("queue " + c.word() + " needs the running daemon", ro.handle(new ControlRequest(c, "RDONLY0001")).error());
        }
        assertEquals(State.INCOMING, store.state("RDONLY0001").orElseThrow());
    }

    @Test
    void controlCharactersNeverReachTheTerminal() {
        assertEquals("a?[2Jb\tc", QueueHandler.printable("a\u001b[2Jb\tc"));
        assertEquals("0s", QueueHandler.age(T0, T0.minusSeconds(5)));
        assertEquals("2d", QueueHandler.age(T0, T0.plusSeconds(2 * 86400 + 5)));
    }
}
