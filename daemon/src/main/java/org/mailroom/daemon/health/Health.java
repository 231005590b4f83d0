package org.mailroom.daemon.health;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.mailroom.core.metrics.Counter;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.core.net.Listener;
import org.mailroom.core.net.NetServer;
import org.mailroom.delivery.DeliveryMetrics;
import org.mailroom.delivery.queue.QueueStore;

/**
 * The daemon's state for {@code mailroom status} and the daemon-wide metrics:
 * <pre>
 * mailroom_build_info{version}              1
 * mailroom_uptime_seconds                   seconds since start
 * mailroom_connections_open{listener}       connections open now
 * mailroom_connections_total{listener}      connections accepted since start
 * mailroom_connections_refused_total{listener}  refused by net.maxConnections*
 * mailroom_queue_messages{state}            messages per queue directory (incoming, active, deferred, hold, corrupt)
 * mailroom_jvm_heap_bytes{area}             used, committed, max
 * </pre>
 * The modules add theirs: {@code mailroom_smtp_transactions_total}, {@code mailroom_deliveries_total},
 * {@code mailroom_logins_total}.
 */
public final class Health {
    private static final String[] STATUSES = {"sent", "deferred", "bounced"};

    private final Metrics metrics;
    private final Supplier<List<Listener>> listeners;
    private final QueueStore queue;
    private final String version;
    private final Instant started;
    private final LongSupplier millis;
    /** By status, then local and remote: tracked for the per-minute figures. */
    private final Map<String, Counter[]> deliveries = new java.util.LinkedHashMap<>();

    /**
     * @param listeners the listeners bound now ({@link NetServer#listeners})
     * @param millis    the wall clock in milliseconds (tests pass their own)
     */
    public Health(Metrics metrics, Supplier<List<Listener>> listeners, QueueStore queue, String version,
                  LongSupplier millis) {
        this.metrics = metrics;
        this.listeners = listeners;
        this.queue = queue;
        this.version = version;
        this.millis = millis;
        this.started = Instant.ofEpochMilli(millis.getAsLong());
        for (String s : STATUSES) {
            deliveries.put(s, new Counter[] {
                DeliveryMetrics.counter(metrics, s, true).trackRecent(millis),
                DeliveryMetrics.counter(metrics, s, false).trackRecent(millis)});
        }
        metrics.gauge("mailroom_build_info", "Always 1; the version is the label.", () -> 1, "version", version);
        metrics.gauge("mailroom_uptime_seconds", "Seconds since the daemon started.", () -> uptime().toSeconds());
        for (QueueStore.State s : QueueStore.State.values()) {
            metrics.gauge("mailroom_queue_messages", "Messages in the queue, by state directory.", () -> count(s),
                    "state", s.dirName());
        }
        var mem = ManagementFactory.getMemoryMXBean();
        String heap = "JVM heap in bytes: used, committed, max (-1: no limit).";
        metrics.gauge("mailroom_jvm_heap_bytes", heap, () -> mem.getHeapMemoryUsage().getUsed(), "area", "used");
        metrics.gauge("mailroom_jvm_heap_bytes", heap, () -> mem.getHeapMemoryUsage().getCommitted(), "area", "committed");
        metrics.gauge("mailroom_jvm_heap_bytes", heap, () -> mem.getHeapMemoryUsage().getMax(), "area", "max");
    }

    /**
     * Registers the connection metrics of every listener bound now; call once the listeners are
     * bound (and again after listeners change: same names replace the old suppliers).
     */
    public void registerListeners() {
        for (Listener l : listeners.get()) {
            metrics.gauge("mailroom_connections_open", "Connections open now, by listener.", l::openConnections,
                    "listener", l.name());
            metrics.counterOf("mailroom_connections_total", "Connections accepted, by listener.", l::acceptedConnections,
                    "listener", l.name());
            metrics.counterOf("mailroom_connections_refused_total",
                    "Connections refused by net.maxConnections or net.maxConnectionsPerClient, by listener.",
                    l::refusedConnections, "listener", l.name());
        }
    }

    public Duration uptime() {
        return Duration.ofMillis(Math.max(0, millis.getAsLong() - started.toEpochMilli()));
    }

    /** Messages in one queue directory; lists it (blocking). -1 when it cannot be read. */
    private long count(QueueStore.State s) {
        try {
            return queue.ids(s).size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Deliveries with {@code status} in the last {@code seconds}, local and remote together. */
    long recent(String status, int seconds) {
        Counter[] c = deliveries.get(status);
        return c[0].recent(seconds) + c[1].recent(seconds);
    }

    /**
     * The lines of {@code mailroom status}. Blocking: lists the queue directories.
     * <pre>
     * version     0.1.0
     * uptime      2h 13m (since 2026-11-23T22:10:00Z)
     * listener    smtp         127.0.0.1:10025          3 open       120 total
     * queue       incoming 0, active 1, deferred 4, hold 0, corrupt 0
     * deliveries  last minute: 12 sent, 0 deferred, 1 bounced
     * deliveries  last 5 minutes: 40 sent, 2 deferred, 1 bounced
     * </pre>
     */
    public List<String> status() {
        List<String> out = new ArrayList<>();
        out.add("version     " + version);
        out.add("uptime      " + human(uptime()) + " (since " + started.truncatedTo(ChronoUnit.SECONDS) + ")");
        for (Listener l : listeners.get()) {
            List<String> addrs = new ArrayList<>();
            for (InetSocketAddress a : l.boundAddresses()) addrs.add(NetServer.format(a));
            out.add(String.format(java.util.Locale.ROOT, "listener    %-12s %-24s %5d open %8d total",
                    l.name(), String.join(",", addrs), l.openConnections(), l.acceptedConnections()));
        }
        StringBuilder q = new StringBuilder("queue       ");
        for (QueueStore.State s : QueueStore.State.values()) {
            if (s.ordinal() > 0) q.append(", ");
            long n = count(s);
            q.append(s.dirName()).append(' ').append(n < 0 ? "?" : Long.toString(n));
        }
        out.add(q.toString());
        out.add("deliveries  last minute: " + rates(60));
        out.add("deliveries  last 5 minutes: " + rates(300));
        return out;
    }

    private String rates(int seconds) {
        List<String> parts = new ArrayList<>();
        for (String s : STATUSES) parts.add(recent(s, seconds) + " " + s);
        return String.join(", ", parts);
    }

    /** {@code 42s}, {@code 5m 3s}, {@code 2h 13m}, {@code 3d 4h}. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m " + s % 60 + "s";
        if (s < 86400) return s / 3600 + "h " + s % 3600 / 60 + "m";
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }

    /** The daemon's version from its jar's manifest; {@code dev} when run from classes. */
    public static String version() {
        String v = Health.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
