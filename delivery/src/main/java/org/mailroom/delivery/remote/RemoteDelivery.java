package org.mailroom.delivery.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailroom.smtp.wire.EnhancedStatus;
import org.mailroom.smtp.wire.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one message to one destination: resolve, then try the hosts in order and each address
 * of a host (RFC 5321 5.1), until every recipient has a final result or a temporary one that the
 * server gave for it. Strategies, in the order applied:
 *
 * <ol>
 * <li><b>destination</b>: a domain is looked up as MX ({@link MxResolver#resolve}); {@code [host]}
 * or {@code [host]:port} (smarthost, transport entry) is looked up as A/AAAA only.
 * <li><b>host failover</b>: connect failures, greeting refusals, 421, timeouts, drops, TLS and AUTH
 * failures move on to the next address, then the next host; the recipients still open go along.
 * <li><b>per-recipient results stick</b>: a 4yz or 5yz the server gave for a recipient (RCPT, end
 * of data) ends that recipient's attempt; it is not retried on a lower-preference host now.
 * <li><b>connection cache</b>: a session that ended its transaction cleanly is kept for the
 * destination (at most {@value #CACHE_MAX_USES} transactions, idle at most 2 s) and tried first by
 * the next delivery there; a dead one is dropped and the hosts are tried as usual.
 * <li><b>all hosts failed</b>: every open recipient gets a temporary failure carrying the last
 * host's error; the queue retries later.
 * </ol>
 *
 * <p>Blocking (DNS and SMTP): run on the blocking executor.
 */
public final class RemoteDelivery {
    private static final Logger log = LoggerFactory.getLogger(RemoteDelivery.class);

    /** Idle cached connections are closed after this (Postfix smtp_connection_cache_time_limit: 2 s). */
    static final long CACHE_IDLE_NANOS = 2_000_000_000L;
    /** A cached connection carries at most this many transactions, then it is closed. */
    static final int CACHE_MAX_USES = 100;

    private final MxResolver resolver;
    private final SmtpClient client;
    private final int port;
    /** Connection cache: open sessions per destination, ready for the next MAIL (Postfix scache). */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.ConcurrentLinkedDeque<Cached>> cache =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(SmtpConnection connection, long idleSince, int uses) {}

    /** @param port the port MX hosts are reached at (25; another in tests) */
    public RemoteDelivery(MxResolver resolver, SmtpClient client, int port) {
        this.resolver = resolver;
        this.client = client;
        this.port = port;
    }

    /**
     * @param destination a domain ({@code example.org}) or {@code [host]} / {@code [host]:port}
     * @return one result per recipient, in the order of {@code tx.recipients()}
     */
    public List<RecipientResult> deliver(String destination, Transaction tx, ConnectOptions options) {
        // a session left open by an earlier delivery to the same destination saves connect,
        // greeting, EHLO and TLS; if it turns out dead, the usual path below takes over
        Cached cached = take(destination);
        if (cached != null) {
            AttemptResult r = cached.connection().send(tx);
            if (!r.connectionLost()) {
                give(destination, cached.connection(), cached.uses() + 1);
                return r.recipients();
            }
            cached.connection().close();
            boolean anyFinal = r.recipients().stream().anyMatch(RecipientResult::isFinal);
            if (anyFinal) return r.recipients(); // lost half-way: the queue retries the open ones
        }
        int p = port;
        Resolution res;
        if (destination.startsWith("[")) {
            int close = destination.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("bad destination " + destination);
            if (close + 1 < destination.length()) {
                if (destination.charAt(close + 1) != ':') throw new IllegalArgumentException("bad destination " + destination);
                p = Integer.parseInt(destination.substring(close + 2));
            }
            res = resolver.resolveHost(destination.substring(0, close + 1));
        } else {
            res = resolver.resolve(destination);
        }
        if (res instanceof Resolution.PermanentFailure f) {
            return all(tx.recipients(), 550, f.status(), f.reason(), RecipientResult.Status.PERMANENT, "none");
        }
        if (res instanceof Resolution.TemporaryFailure f) {
            return all(tx.recipients(), 451, Statuses.X_4_4_3, f.reason(), RecipientResult.Status.TEMPORARY, "none");
        }
        List<MxHost> hosts = ((Resolution.Hosts) res).hosts();
        Map<String, RecipientResult> done = new LinkedHashMap<>();
        List<Path> open = tx.recipients();
        String lastRelay = "none";
        String lastError = "no host reachable";
        hosts:
        for (MxHost host : hosts) {
            for (InetAddress a : host.addresses()) {
                Transaction now = new Transaction(tx.reversePath(), open, tx.content(), tx.bodyType(), tx.smtpUtf8());
                SmtpConnection c;
                try {
                    c = client.connect(host.name(), new InetSocketAddress(a, p), options);
                } catch (SessionFailure e) {
                    log.info("{}: {}", e.relay(), e.getMessage());
                    lastRelay = e.relay();
                    lastError = e.getMessage();
                    continue;
                }
                AttemptResult r;
                try {
                    r = c.send(now);
                } catch (RuntimeException e) {
                    c.quit();
                    throw e;
                }
                if (r.connectionLost()) c.quit();
                else give(destination, c, 1);
                List<Path> still = new ArrayList<>();
                for (int i = 0; i < open.size(); i++) {
                    RecipientResult rr = r.recipients().get(i);
                    if (r.connectionLost() && !rr.isFinal()) {
                        still.add(open.get(i));
                        lastRelay = rr.relay();
                        lastError = rr.text();
                    } else {
                        done.put(rr.address(), rr);
                    }
                }
                open = still;
                if (open.isEmpty()) break hosts;
            }
        }
        // RFC 5321 5.1: no host could be used; the message stays queued for the open recipients
        for (Path o : open) {
            done.put(o.address(), new RecipientResult(o.address(), 451, Statuses.X_4_4_1, lastError,
                    RecipientResult.Status.TEMPORARY, lastRelay));
        }
        List<RecipientResult> out = new ArrayList<>();
        for (Path o : tx.recipients()) out.add(done.get(o.address()));
        return out;
    }

    /** A usable cached session for {@code destination}, or null; stale ones are closed on the way. */
    private Cached take(String destination) {
        java.util.concurrent.ConcurrentLinkedDeque<Cached> q = cache.get(destination);
        if (q == null) return null;
        for (Cached c; (c = q.pollFirst()) != null; ) {
            if (c.connection().isUsable() && System.nanoTime() - c.idleSince() < CACHE_IDLE_NANOS) return c;
            c.connection().quit();
        }
        return null;
    }

    private void give(String destination, SmtpConnection c, int uses) {
        if (!c.isUsable() || uses >= CACHE_MAX_USES) {
            c.quit();
            return;
        }
        cache.computeIfAbsent(destination, k -> new java.util.concurrent.ConcurrentLinkedDeque<>())
                .addFirst(new Cached(c, System.nanoTime(), uses));
        closeIdle();
    }

    /** Says QUIT to sessions idle longer than the cache allows (also called by the queue's scans). */
    public void closeIdle() {
        long now = System.nanoTime();
        for (java.util.concurrent.ConcurrentLinkedDeque<Cached> q : cache.values()) {
            for (Cached c; (c = q.peekLast()) != null && now - c.idleSince() >= CACHE_IDLE_NANOS; ) {
                if (q.removeLastOccurrence(c)) c.connection().quit();
            }
        }
    }

    /** Closes every cached session (shutdown). */
    public void closeCached() {
        for (java.util.concurrent.ConcurrentLinkedDeque<Cached> q : cache.values()) {
            for (Cached c; (c = q.pollFirst()) != null; ) c.connection().quit();
        }
    }

    private static List<RecipientResult> all(List<Path> rcpts, int code, EnhancedStatus es, String text,
            RecipientResult.Status s, String relay) {
        List<RecipientResult> out = new ArrayList<>();
        for (Path p : rcpts) out.add(new RecipientResult(p.address(), code, es, text, s, relay));
        return out;
    }
}
