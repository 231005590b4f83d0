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
 * <li><b>all hosts failed</b>: every open recipient gets a temporary failure carrying the last
 * host's error; the queue retries later.
 * </ol>
 *
 * <p>Blocking (DNS and SMTP): run on the blocking executor.
 */
public final class RemoteDelivery {
    private static final Logger log = LoggerFactory.getLogger(RemoteDelivery.class);

    private final MxResolver resolver;
    private final SmtpClient client;
    private final int port;

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
                } finally {
                    c.quit();
                }
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

    private static List<RecipientResult> all(List<Path> rcpts, int code, EnhancedStatus es, String text,
            RecipientResult.Status s, String relay) {
        List<RecipientResult> out = new ArrayList<>();
        for (Path p : rcpts) out.add(new RecipientResult(p.address(), code, es, text, s, relay));
        return out;
    }
}
