package org.mailroom.delivery.schedule;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.local.LocalDelivery;
import org.mailroom.delivery.queue.Handoff;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueEntry.Recipient;
import org.mailroom.delivery.queue.QueueEntry.Recipient.Notify;
import org.mailroom.delivery.queue.QueueEntry.Recipient.State;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.remote.ConnectOptions;
import org.mailroom.delivery.remote.RecipientResult;
import org.mailroom.delivery.remote.RemoteDelivery;
import org.mailroom.delivery.remote.Transaction;
import org.mailroom.delivery.route.Route;
import org.mailroom.delivery.route.Router;
import org.mailroom.smtp.wire.Path;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.delivery.DeliveryMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued mail on (Postfix's qmgr). Strategies, by name:
 * <ol>
 * <li><b>recovery</b>: at start, {@link QueueStore#recover()} puts {@code active/} back into
 * {@code incoming/} and quarantines what cannot be read; nothing is lost or deleted.
 * <li><b>handoff</b>: a message the daemon's {@link org.mailroom.delivery.queue.QueueWriter} made
 * durable in {@code active/} is given to {@link #take} with its content in memory and attempted at
 * once, without reading the queue back (at most {@value #HELD_MAX} octets of content are held so;
 * beyond that the content is read from the store).
 * <li><b>incoming first</b>: new mail ({@code incoming/}) is picked up as soon as {@link #wake()}
 * is called and at every scan; a message is taken to {@code active/} while it is worked on.
 * <li><b>deferred by due time</b>: {@code deferred/} is scanned every {@code scanInterval}; an
 * entry whose next attempt is due is taken again. {@link #flush()} makes every deferred entry due.
 * Entries in {@code hold/} are never taken.
 * <li><b>per-recipient state</b>: only PENDING and DEFERRED recipients are attempted; DELIVERED
 * and FAILED are final and never tried again, so a crash after a partial delivery repeats at most
 * the recipients of the one destination being delivered to.
 * <li><b>destinations</b>: recipients are grouped by destination: {@code local} (the store),
 * a {@code transport.<domain>} entry, the smarthost, or the recipient's domain (MX); one
 * transaction per destination per attempt.
 * <li><b>concurrency</b>: at most {@code concurrency} messages at once, and at most
 * {@code perDestination} transactions at once to one destination.
 * <li><b>backoff</b>: after an attempt with temporary failures the next one is due after
 * {@code retryInitial}, doubled per attempt up to {@code retryMax}.
 * <li><b>expiry</b>: recipients still undelivered after {@code maxLifetime} fail with 4.4.7.
 * <li><b>notification</b> (RFC 3461 4.1): a failure report for FAILED recipients unless their
 * NOTIFY excludes FAILURE; one delay report per recipient after {@code delayWarning} if NOTIFY is
 * absent or includes DELAY; a success report for recipients with NOTIFY=SUCCESS; never for the
 * null sender. Reports are enqueued before the message is updated or removed.
 * </ol>
 */
public final class QueueManager implements AutoCloseable, Handoff {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.queue");
    /** Content held in memory for handed-off messages waiting for a worker, all together. */
    static final long HELD_MAX = 64L << 20;

    private final QueueStore store;
    private final QueueSettings settings;
    private final Router router;
    private final LocalDelivery local;
    private final RemoteDelivery remote;
    private final ConnectOptions mxOptions;
    private final ConnectOptions relayOptions;
    private final Bouncer bouncer;
    private final Clock clock;

    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    /** The only directories a message is taken from; never {@code hold/}. */
    private static final Set<QueueStore.State> TAKEN_FROM =
            java.util.EnumSet.of(QueueStore.State.INCOMING, QueueStore.State.DEFERRED);

    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> destinations = new ConcurrentHashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
    private final Metrics metrics;

    /**
     * @param mxOptions    TLS policy for direct MX delivery
     * @param relayOptions TLS policy and credentials for the smarthost ({@code transport.*} entries use {@code mxOptions})
     */
    public QueueManager(QueueStore store, QueueSettings settings, Router router, LocalDelivery local,
                        RemoteDelivery remote, ConnectOptions mxOptions, ConnectOptions relayOptions,
                        Bouncer bouncer, Clock clock) {
        this(store, settings, router, local, remote, mxOptions, relayOptions, bouncer, clock, new Metrics());
    }

    /** As above, counting every recipient's attempt in {@code metrics} ({@link DeliveryMetrics}). */
    public QueueManager(QueueStore store, QueueSettings settings, Router router, LocalDelivery local,
                        RemoteDelivery remote, ConnectOptions mxOptions, ConnectOptions relayOptions,
                        Bouncer bouncer, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.settings = settings;
        this.router = router;
        this.local = local;
        this.remote = remote;
        this.mxOptions = mxOptions;
        this.relayOptions = relayOptions;
        this.bouncer = bouncer;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "queue-scan"));
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), r -> daemon(r, "queue-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Recovers the queue and starts the scans. Blocking (disk). */
    public QueueStore.RecoveryReport start() throws IOException {
        QueueStore.RecoveryReport r = store.recover();
        log.info("queue: recovered: {} in queue, {} put back from active, {} quarantined, {} temporary files removed",
                r.queued(), r.requeued(), r.quarantined(), r.tempFilesRemoved());
        long every = settings.scanInterval().toMillis();
        timer.scheduleWithFixedDelay(this::scan, 0, every, TimeUnit.MILLISECONDS);
        return r;
    }

    /** Message {@code id} was just enqueued: take it now, without waiting for the next scan. */
    public void wake(String id) {
        submit(id);
    }

    /** New mail was enqueued by another process: look at {@code incoming/} now rather than at the next scan. */
    public void wake() {
        try {
            timer.execute(this::scanIncoming);
        } catch (RejectedExecutionException stopped) {
            // shutting down: the next start picks it up
        }
    }

    /** Makes every deferred message due now ({@code mailroom queue flush}). */
    public void flush() {
        try {
            timer.execute(() -> scanDeferred(true));
        } catch (RejectedExecutionException stopped) {
            // shutting down
        }
    }

    /** Messages being worked on right now. */
    public int active() { return queued.get(); }

    private void scan() {
        scanIncoming();
        scanDeferred(false);
        remote.closeIdle();
    }

    private void scanIncoming() {
        try {
            for (String id : store.ids(QueueStore.State.INCOMING)) submit(id);
        } catch (IOException | RuntimeException e) {
            log.warn("queue: cannot scan incoming/: {}", e.toString());
        }
    }

    private void scanDeferred(boolean all) {
        try {
            Instant now = clock.instant();
            for (QueueEntry e : store.list(QueueStore.State.DEFERRED)) {
                if (all || e.nextAttempt() == null || !e.nextAttempt().isAfter(now)) submit(e.id());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("queue: cannot scan deferred/: {}", e.toString());
        }
    }

    private void submit(String id) {
        run(id, 0, () -> process(id));
    }

    /**
     * A message the writer has made durable in {@code active/}: attempted by the next free worker,
     * from {@code content} while the memory held for waiting messages stays under {@value #HELD_MAX}
     * octets, else from the store. Never blocks.
     */
    @Override
    public boolean take(QueueEntry entry, MessageContent content) {
        long size = content == null ? 0 : content.size();
        if (size > 0 && held.addAndGet(size) > HELD_MAX) {
            held.addAndGet(-size);
            size = 0;
            content = null;
        }
        MessageContent mem = content;
        String id = entry.id();
        // already in active/, where no scan and no postmaster command takes it from (see QueueStore)
        return run(id, size, () -> attempt(entry, mem == null ? new QueuedContent(store, id) : new QueuedContent(mem)));
    }

    private interface Work {
        void run() throws IOException;
    }

    /** Runs {@code work} on a worker unless {@code id} is in flight; false if the workers are stopped. */
    private boolean run(String id, long heldSize, Work work) {
        if (!inFlight.add(id)) {
            held.addAndGet(-heldSize);
            return true;
        }
        queued.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (Exception e) {
                    log.warn("{}: queue processing failed, will retry: {}", id, e.toString());
                    try {
                        if (store.state(id).orElse(null) == QueueStore.State.ACTIVE) store.move(id, QueueStore.State.DEFERRED);
                    } catch (IOException | RuntimeException again) {
                        log.warn("{}: cannot defer: {}", id, again.toString());
                    }
                } finally {
                    held.addAndGet(-heldSize);
                    inFlight.remove(id);
                    queued.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException stopped) {
            held.addAndGet(-heldSize);
            inFlight.remove(id);
            queued.decrementAndGet();
            return false;
        }
    }

    /** One attempt at every undelivered recipient of one message found in the queue directories. */
    void process(String id) throws IOException {
        Optional<QueueStore.Stored> stored = store.loadStored(id);
        if (stored.isEmpty()) return;
        QueueStore.State state = stored.get().state();
        if (state != QueueStore.State.INCOMING && state != QueueStore.State.DEFERRED) return; // held, or taken meanwhile
        // checked again under the store's lock: the postmaster may have held or deleted it since the load
        Optional<QueueStore.State> found = store.moveIf(id, TAKEN_FROM, QueueStore.State.ACTIVE);
        if (found.isEmpty() || !TAKEN_FROM.contains(found.get())) return;
        attempt(stored.get().entry(), new QueuedContent(store, id));
    }

    /** One attempt at every undelivered recipient of {@code e}, whose record is in {@code active/}. */
    private void attempt(QueueEntry e, QueuedContent content) throws IOException {
        String id = e.id();
        Instant now = clock.instant();

        Map<String, List<Integer>> byDestination = new LinkedHashMap<>();
        for (int i = 0; i < e.recipients().size(); i++) {
            Recipient r = e.recipients().get(i);
            if (r.state().isFinal()) continue;
            byDestination.computeIfAbsent(destination(r.address()), k -> new ArrayList<>()).add(i);
        }
        List<Recipient> before = e.recipients();
        int left = byDestination.size();
        for (Map.Entry<String, List<Integer>> d : byDestination.entrySet()) {
            e = deliver(e, d.getKey(), d.getValue(), content, now);
            // record each destination's outcome before the next, so that a crash repeats one destination at most
            if (--left > 0) store.update(e);
        }

        List<Recipient> failed = new ArrayList<>(), succeeded = new ArrayList<>();
        List<Recipient> rs0 = new ArrayList<>(e.recipients());
        for (int i = 0; i < rs0.size(); i++) {
            Recipient r = rs0.get(i);
            State was = before.get(i).state();
            // failed when it was enqueued (an alias to a command, say): reported once, on the first pass
            boolean failedAtEntry = r.state() == State.FAILED && r.lastAttempt() == null;
            if (failedAtEntry) rs0.set(i, r = r.withAttempt(now, r.lastResult(), State.FAILED));
            if (r.state() == State.FAILED && (was != State.FAILED || failedAtEntry) && wants(r, Notify.FAILURE, true)) failed.add(r);
            if (r.state() == State.DELIVERED && was != State.DELIVERED && wants(r, Notify.SUCCESS, false)) succeeded.add(r);
        }
        e = e.withRecipients(rs0);
        boolean done = e.undelivered().isEmpty();
        if (!done && Duration.between(e.arrival(), now).compareTo(settings.maxLifetime()) >= 0) {
            List<Recipient> rs = new ArrayList<>(e.recipients());
            for (int i = 0; i < rs.size(); i++) {
                Recipient r = rs.get(i);
                if (r.state().isFinal()) continue;
                String why = "4.4.7 message expired after " + settings.maxLifetime().toDays() + " days in the queue"
                        + (r.lastResult() == null ? "" : "; last error: " + r.lastResult());
                rs.set(i, r.withAttempt(now, why, State.FAILED));
                logRecipient(e, rs.get(i), "-", "4.4.7", "bounced", why);
                if (wants(r, Notify.FAILURE, true)) failed.add(rs.get(i));
            }
            e = e.withRecipients(rs);
            done = true;
        }
        if (!e.nullSender()) {
            if (!failed.isEmpty()) bouncer.report(e, Bouncer.Kind.FAILURE, failed);
            if (!succeeded.isEmpty()) bouncer.report(e, Bouncer.Kind.SUCCESS, succeeded);
        }
        if (done) {
            store.delete(id);
            log.info("{}: removed", id);
            return;
        }
        e = warnIfDelayed(e, now);
        int attempts = e.attempts() + 1;
        e = e.withAttempts(attempts).withNextAttempt(now.plus(settings.backoff(attempts)));
        store.update(e);
        store.move(id, QueueStore.State.DEFERRED);
    }

    private QueueEntry warnIfDelayed(QueueEntry e, Instant now) throws IOException {
        if (settings.delayWarning().isZero() || e.nullSender()
                || Duration.between(e.arrival(), now).compareTo(settings.delayWarning()) < 0) {
            return e;
        }
        List<Recipient> rs = new ArrayList<>(e.recipients());
        List<Recipient> warn = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            Recipient r = rs.get(i);
            if (r.state().isFinal() || r.delayWarned()) continue;
            rs.set(i, r.withDelayWarned(true));
            if (wants(r, Notify.DELAY, true)) warn.add(rs.get(i));
        }
        e = e.withRecipients(rs);
        if (!warn.isEmpty()) bouncer.report(e, Bouncer.Kind.DELAY, warn);
        return e;
    }

    /** RFC 3461 4.1: NOTIFY absent means the MTA's default (failure and delay reports, no success). */
    private static boolean wants(Recipient r, Notify what, boolean byDefault) {
        if (r.notifyOn().isEmpty()) return byDefault;
        return r.notifyOn().contains(what);
    }

    /** {@code local}, a relay {@code [host]:port}, or a domain for MX delivery. */
    String destination(String address) {
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (Route.UserTarget.parseQueueAddress(address) != null) return "local"; // a ~/.forward command or file
        String t = settings.transports().get(domain);
        if (t != null) return t;
        if (router.isLocalDomain(domain)) return "local";
        return settings.smarthost() != null ? settings.smarthost() : domain;
    }

    private QueueEntry deliver(QueueEntry e, String dest, List<Integer> indices, QueuedContent content, Instant now) {
        Semaphore permits = destinations.computeIfAbsent(dest, k -> new Semaphore(settings.perDestination()));
        permits.acquireUninterruptibly();
        try {
            return dest.equals("local") ? deliverLocal(e, indices, content, now) : deliverRemote(e, dest, indices, content, now);
        } finally {
            permits.release();
        }
    }

    private QueueEntry deliverLocal(QueueEntry e, List<Integer> indices, QueuedContent content, Instant now) {
        List<String> accounts = new ArrayList<>();
        List<Integer> deliverable = new ArrayList<>();
        List<Recipient> rs = new ArrayList<>(e.recipients());
        for (int i : indices) {
            Recipient r = rs.get(i);
            Route route;
            try {
                route = router.route(r.address());
            } catch (IOException ex) {
                rs.set(i, r.withAttempt(now, "451 4.3.0 account lookup failed: " + ex.getMessage(), State.DEFERRED));
                continue;
            }
            if (route instanceof Route.Local l) {
                accounts.add(l.account());
                deliverable.add(i);
            } else if (route instanceof Route.UserTarget u) {
                rs.set(i, asUser(e, r, u, content, now));
            } else if (route instanceof Route.Refused f) {
                String why = "550 5.7.1 " + f.target() + ": " + f.reason();
                rs.set(i, r.withAttempt(now, why, State.FAILED));
                logRecipient(e, rs.get(i), "local", "5.7.1", "bounced", f.reason());
            } else {
                String why = "550 5.1.1 <" + r.address() + ">: user unknown";
                rs.set(i, r.withAttempt(now, why, State.FAILED));
                logRecipient(e, rs.get(i), "local", "5.1.1", "bounced", why);
            }
        }
        if (!deliverable.isEmpty()) {
            try {
                local.deliver(accounts, e.reversePath(), content);
                for (int i : deliverable) {
                    rs.set(i, rs.get(i).withAttempt(now, "250 2.0.0 delivered to maildir", State.DELIVERED));
                    logRecipient(e, rs.get(i), "local", "2.0.0", "sent", "delivered to maildir");
                }
            } catch (IOException | RuntimeException ex) {
                String dsn = LocalDelivery.overQuota(ex) ? "4.2.2" : LocalDelivery.diskFull(ex) ? "4.3.1" : "4.3.0";
                for (int i : deliverable) {
                    rs.set(i, rs.get(i).withAttempt(now, (LocalDelivery.overQuota(ex) ? "452 " : "451 ") + dsn + " local delivery failed: " + ex.getMessage(), State.DEFERRED));
                    logRecipient(e, rs.get(i), "local", dsn, "deferred", ex.toString());
                }
            }
        }
        return e.withRecipients(rs);
    }

    /** One ~/.forward command or file, run as its user (issue 8); one log line. */
    private Recipient asUser(QueueEntry e, Recipient r, Route.UserTarget u, QueuedContent content, Instant now) {
        org.mailroom.delivery.local.ForwardTargets.Result res = local.deliverAsUser(u.account(), u.target(), e.reversePath(), content);
        String code = switch (res.status()) {
            case SENT -> "250";
            case DEFERRED -> "451";
            case BOUNCED -> "550";
        };
        State s = switch (res.status()) {
            case SENT -> State.DELIVERED;
            case DEFERRED -> State.DEFERRED;
            case BOUNCED -> State.FAILED;
        };
        Recipient done = r.withAttempt(now, code + " " + res.dsn() + " "
                + (s == State.DELIVERED ? "" : u.target() + " (from ~" + u.user() + "/.forward): ") + res.text(), s);
        logRecipient(e, done, "local", res.dsn(), s == State.DELIVERED ? "sent" : s == State.FAILED ? "bounced" : "deferred",
                res.text());
        return done;
    }

    private QueueEntry deliverRemote(QueueEntry e, String dest, List<Integer> indices, QueuedContent content, Instant now) {
        List<Path> rcpts = new ArrayList<>();
        for (int i : indices) rcpts.add(Path.parseForward("<" + e.recipients().get(i).address() + ">"));
        Path from = e.nullSender() ? Path.NULL : Path.parseReverse("<" + e.reversePath() + ">");
        Transaction tx = new Transaction(from, rcpts, content,
                e.body() == QueueEntry.Body.SEVEN_BIT ? Transaction.BodyType.SEVEN_BIT : Transaction.BodyType.EIGHT_BIT_MIME,
                e.smtputf8());
        // the smarthost's TLS policy and credentials are for the smarthost only; transport entries are MX-like
        boolean relay = dest.equals(settings.smarthost());
        Map<String, RecipientResult> results = new java.util.HashMap<>();
        for (RecipientResult r : remote.deliver(dest, tx, relay ? relayOptions : mxOptions)) {
            results.put(r.address().toLowerCase(Locale.ROOT), r);
        }
        List<Recipient> rs = new ArrayList<>(e.recipients());
        for (int i : indices) {
            RecipientResult res = results.get(rs.get(i).address().toLowerCase(Locale.ROOT));
            Recipient r = rs.get(i);
            if (res == null) {
                rs.set(i, r.withAttempt(now, "451 4.3.0 no result from delivery", State.DEFERRED));
                continue;
            }
            State s = switch (res.status()) {
                case SUCCESS -> State.DELIVERED;
                case PERMANENT -> State.FAILED;
                case TEMPORARY -> State.DEFERRED;
            };
            rs.set(i, r.withAttempt(now, res.summary(), s));
            String status = s == State.DELIVERED ? "sent" : s == State.FAILED ? "bounced" : "deferred";
            logRecipient(e, rs.get(i), res.relay() == null ? dest : res.relay(),
                    res.enhanced() == null ? "-" : res.enhanced().toString(), status, res.summary());
        }
        return e.withRecipients(rs);
    }

    private void logRecipient(QueueEntry e, Recipient r, String relay, String dsn, String status, String text) {
        DeliveryMetrics.counter(metrics, status, relay.equals("local")).inc();
        if (!log.isInfoEnabled()) return;
        long ms = Math.max(0, Duration.between(e.arrival(), clock.instant()).toMillis());
        long frac = ms % 1000;
        // not String.format: one line per recipient on the delivery path
        String delay = (ms / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
        log.info("{}: to=<{}>, relay={}, delay={}, dsn={}, status={} ({})", e.id(), r.address(), relay,
                delay, dsn, status, text);
    }

    /** Stops scanning; waits up to {@code grace} for attempts in progress, which then end as they are. */
    public void stop(Duration grace) {
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) workers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        remote.closeCached();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
