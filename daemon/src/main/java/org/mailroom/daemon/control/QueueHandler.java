package org.mailroom.daemon.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueEntryFormat;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.queue.QueueStore.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code queue} commands (Postfix {@code postqueue -p/-f} and {@code postsuper -d/-h/-H}), one
 * method each, against the queue directories. Rules:
 * <ul>
 * <li>A message in {@code active/} is being delivered: it is never deleted or held
 *     ({@code ERR ... try again}); the state check and the change are one locked store operation
 *     ({@link QueueStore#moveIf}, {@link QueueStore#deleteIf}).
 * <li>{@code hold/} is never delivered; {@code release} moves it to {@code deferred/}, due now.
 * <li>Every change is logged with the queue id first, as the queue manager logs:
 *     {@code <id>: removed by the administrator}.
 * <li>{@code corrupt/} is listed but never changed (Mailroom never deletes there).
 * </ul>
 * Blocking (disk): call it from the control server's threads or the CLI, never an event loop.
 */
public final class QueueHandler {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.queue");
    /** Header section octets that {@code show} prints at most. */
    static final int MAX_HEADER = 64 << 10;
    private static final Set<State> DELETABLE = EnumSet.of(State.INCOMING, State.DEFERRED, State.HOLD);
    private static final Set<State> HOLDABLE = EnumSet.of(State.INCOMING, State.DEFERRED);

    private final QueueStore store;
    private final Runnable wake;
    private final java.util.function.Consumer<String> take;
    private final Runnable flush;
    private final Clock clock;
    private final boolean readOnly;

    /**
     * @param wake  the queue manager's {@code wake()}: look at the queue now
     * @param flush the queue manager's {@code flush()}: every deferred message due now
     */
    public QueueHandler(QueueStore store, Runnable wake, Runnable flush, Clock clock) {
        this(store, wake, id -> wake.run(), flush, clock, false);
    }

    /** @param take the queue manager's {@code wake(id)}: deliver this message now (after {@code release}) */
    public QueueHandler(QueueStore store, Runnable wake, java.util.function.Consumer<String> take, Runnable flush,
                        Clock clock) {
        this(store, wake, take, flush, clock, false);
    }

    private QueueHandler(QueueStore store, Runnable wake, java.util.function.Consumer<String> take, Runnable flush,
                         Clock clock, boolean readOnly) {
        this.store = store;
        this.wake = wake;
        this.take = take;
        this.flush = flush;
        this.clock = clock;
        this.readOnly = readOnly;
    }

    /** For the CLI when the daemon is not running: {@code list} and {@code show} only. */
    public static QueueHandler readOnly(QueueStore store, Clock clock) {
        return new QueueHandler(store, () -> {}, id -> {}, () -> {}, clock, true);
    }

    public ControlResponse handle(ControlRequest r) {
        try {
            if (readOnly && r.command() != ControlRequest.Command.LIST && r.command() != ControlRequest.Command.SHOW) {
                return ControlResponse.err("queue " + r.command().word() + " needs the running daemon");
            }
            return switch (r.command()) {
                case LIST -> list();
                case SHOW -> show(r.id());
                case FLUSH -> flush();
                case DELETE -> delete(r.id());
                case HOLD -> hold(r.id());
                case RELEASE -> release(r.id());
                case RELOAD -> ControlResponse.err("reload is not a queue command");
                case STATUS -> ControlResponse.err("status is not a queue command");
            };
        } catch (IOException | RuntimeException e) {
            log.warn("control: {}: {}", r.line(), e.toString());
            return ControlResponse.err(printable(String.valueOf(e.getMessage())));
        }
    }

    /**
     * One line per message, oldest first: {@code ID STATE AGE SIZE <sender>}, then one indented
     * line per undelivered recipient with its last error; then the files in {@code corrupt/}.
     */
    ControlResponse list() throws IOException {
        Map<String, QueueStore.Stored> byId = new LinkedHashMap<>();
        // a message changing state while we list can be seen twice: keep the first sighting
        for (QueueStore.Stored s : store.listAll()) byId.putIfAbsent(s.entry().id(), s);
        List<QueueStore.Stored> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing((QueueStore.Stored s) -> s.entry().arrival()).thenComparing(s -> s.entry().id()));
        Instant now = clock.instant();
        List<String> out = new ArrayList<>();
        for (QueueStore.Stored s : all) {
            QueueEntry e = s.entry();
            String size;
            try {
                size = Long.toString(store.contentSize(e.id()));
            } catch (NoSuchFileException gone) {
                continue; // delivered or deleted while we listed
            }
            out.add(e.id() + " " + s.state().dirName() + " " + age(e.arrival(), now) + " " + size
                    + " <" + printable(e.reversePath()) + ">");
            for (QueueEntry.Recipient r : e.undelivered()) {
                out.add("  " + printable(r.address()) + (r.lastResult() == null ? "" : " (" + printable(r.lastResult()) + ")"));
            }
        }
        Path corrupt = store.root().resolve(State.CORRUPT.dirName());
        for (String name : store.ids(State.CORRUPT)) {
            Path p = corrupt.resolve(name);
            try {
                out.add(printable(name) + " corrupt " + age(Files.getLastModifiedTime(p).toInstant(), now) + " "
                        + Files.size(p) + " -");
            } catch (NoSuchFileException gone) {
                // removed by hand meanwhile
            }
        }
        return ControlResponse.ok(out);
    }

    /** The record as stored (with its state) and the header section of the message, not the body. */
    ControlResponse show(String id) throws IOException {
        Optional<QueueStore.Stored> s = store.loadStored(id);
        if (s.isEmpty()) return notQueued(id);
        List<String> out = new ArrayList<>();
        out.add("state: " + s.get().state().dirName());
        // the record format percent-encodes control characters: safe to print as it is
        for (String l : QueueEntryFormat.write(s.get().entry()).split("\n")) out.add(l);
        out.add("");
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(store.openContent(id), decoder))) {
            int octets = 0;
            String l;
            while ((l = r.readLine()) != null && !l.isEmpty()) { // RFC 5322 2.1: the header ends at the first empty line
                octets += l.length() + 1;
                if (octets > MAX_HEADER) {
                    out.add("(header section longer than " + MAX_HEADER + " octets, cut here)");
                    break;
                }
                out.add(printable(l));
            }
        } catch (NoSuchFileException gone) {
            return notQueued(id);
        }
        return ControlResponse.ok(out);
    }

    ControlResponse flush() {
        flush.run();
        wake.run();
        return ControlResponse.ok();
    }

    ControlResponse delete(String id) throws IOException {
        Optional<State> was = store.deleteIf(id, DELETABLE);
        if (was.isEmpty()) return notQueued(id);
        if (was.get() == State.ACTIVE) return beingDelivered(id);
        log.info("{}: removed by the administrator", id);
        return ControlResponse.ok(List.of(id + ": removed"));
    }

    ControlResponse hold(String id) throws IOException {
        Optional<State> was = store.moveIf(id, HOLDABLE, State.HOLD);
        if (was.isEmpty()) return notQueued(id);
        if (was.get() == State.ACTIVE) return beingDelivered(id);
        if (was.get() == State.HOLD) return ControlResponse.ok(List.of(id + ": on hold already"));
        log.info("{}: held by the administrator (was {})", id, was.get().dirName());
        return ControlResponse.ok(List.of(id + ": on hold"));
    }

    ControlResponse release(String id) throws IOException {
        Optional<QueueStore.Stored> s = store.loadStored(id);
        if (s.isEmpty()) return notQueued(id);
        if (s.get().state() != State.HOLD) return notHeld(id, s.get().state());
        // only the administrator changes hold/: nobody updates the record between these two steps
        store.update(s.get().entry().withNextAttempt(clock.instant()));
        Optional<State> was = store.moveIf(id, EnumSet.of(State.HOLD), State.DEFERRED);
        if (was.isEmpty()) return notQueued(id);
        if (was.get() != State.HOLD) return notHeld(id, was.get());
        log.info("{}: released by the administrator", id);
        take.accept(id); // due now: the queue manager takes it at once
        return ControlResponse.ok(List.of(id + ": released"));
    }

    private static ControlResponse notQueued(String id) {
        return ControlResponse.err(id + ": not in the queue");
    }

    private static ControlResponse beingDelivered(String id) {
        return ControlResponse.err(id + ": being delivered right now, try again");
    }

    private static ControlResponse notHeld(String id, State s) {
        return ControlResponse.err(id + ": not on hold (" + s.dirName() + ")");
    }

    /** {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d}: Postfix prints dates, but age is what one sorts out. */
    static String age(Instant since, Instant now) {
        long s = Math.max(0, Duration.between(since, now).getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h";
        return s / 86400 + "d";
    }

    /** Control characters would reach the postmaster's terminal: {@code ?} instead. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append((c < 0x20 && c != '\t') || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 ? '?' : c);
        }
        return b.toString();
    }
}
