package org.mailroom.imap.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts logged-in IMAP connections per account, over every IMAP listener of the daemon (pass one
 * instance to both), for {@code imap.maxConnectionsPerUser}: a client that opens connection after
 * connection (or a leaked IDLE per folder) cannot take all of the server's. Thread-safe; memory is
 * one entry per account that is logged in right now.
 */
public final class UserConnections {
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /** Counts one more connection of {@code account} unless it already has {@code max}. */
    public boolean tryAcquire(String account, int max) {
        boolean[] ok = {false};
        open.compute(account, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) return n;
            ok[0] = true;
            return now + 1;
        });
        return ok[0];
    }

    /** One connection of {@code account} ended. */
    public void release(String account) {
        open.computeIfPresent(account, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections of {@code account} now. */
    public int count(String account) {
        return open.getOrDefault(account, 0);
    }
}
