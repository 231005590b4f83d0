package org.mailroom.core.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing. Shared by every listener of the daemon (SMTP submission, POP3,
 * later IMAP), so an attacker gains nothing by switching protocols. Strategies:
 *
 * <ul>
 *   <li><b>Growing delay per client address.</b> Each failed login from an address is answered
 *       only after {@link #failed} says so: nothing for the first {@link Policy#freeFailures},
 *       then {@link Policy#firstDelay}, doubling with each failure up to {@link Policy#maxDelay}
 *       (0, 0, 1, 2, 4, 8, 15, 15 ... seconds with the defaults). The protocol schedules the
 *       failure reply on the channel's event loop; no thread sleeps.</li>
 *   <li><b>Temporary lockout per address.</b> After {@link Policy#lockoutAfter} failures the
 *       address gets a temporary failure for {@link Policy#lockout} before any password is
 *       looked at ({@link #lockedOut}). IPv6 clients are counted per /64, the block one host
 *       usually has.</li>
 *   <li><b>Slow-down per account, never lockout.</b> When an account collects more than
 *       {@link Policy#accountFreeFailures} failures from anywhere, its failure replies are
 *       delayed by the same schedule counted from there. Success is never delayed and the
 *       account is never locked, so a distributed attack cannot keep the real user, whose own
 *       address has no failures, from logging in.</li>
 *   <li><b>Success forgives</b> the address's count and the account's count.</li>
 *   <li><b>Bounded memory.</b> Entries are forgotten {@link Policy#forgetAfter} after their last
 *       failure (or when their lockout ends, if later), and each table keeps at most
 *       {@link Policy#maxEntries} entries, dropping the least recently used.</li>
 * </ul>
 *
 * Thread-safe; every method is cheap and may be called on an event loop. Counts live in memory
 * only: a restart forgives everything (XXX acceptable for one host; a cluster would keep them in
 * the shared database, DESIGN.md 8).
 */
public final class AuthThrottle {

    /**
     * @param freeFailures        failures per address answered without delay
     * @param firstDelay          the delay after the first non-free failure; doubles after that
     * @param maxDelay            the longest delay
     * @param lockoutAfter        failures per address that lock the address out
     * @param lockout             how long the lockout lasts
     * @param accountFreeFailures failures per account (any address) before its failures are delayed
     * @param forgetAfter         idle time after which an entry is dropped
     * @param maxEntries          entries per table (addresses, accounts)
     */
    public record Policy(int freeFailures, Duration firstDelay, Duration maxDelay, int lockoutAfter,
                         Duration lockout, int accountFreeFailures, Duration forgetAfter, int maxEntries) {
        public Policy {
            if (freeFailures < 0 || lockoutAfter < 1 || accountFreeFailures < 0 || maxEntries < 1
                    || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0 || lockout.isNegative()
                    || forgetAfter.isNegative()) {
                throw new IllegalArgumentException("bad throttle policy");
            }
        }

        /** 0, 0, 1, 2, 4, 8, 15 s ...; lockout for 5 minutes after 10; accounts slowed after 20. */
        public static final Policy DEFAULT = new Policy(2, Duration.ofSeconds(1), Duration.ofSeconds(15), 10,
                Duration.ofMinutes(5), 20, Duration.ofMinutes(15), 100_000);
    }

    private static final class Entry {
        int failures;
        long lastFailure;
        long lockedUntil;
    }

    private final Policy policy;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> addresses;
    private final Map<String, Entry> accounts;

    public AuthThrottle() {
        this(Policy.DEFAULT, System::nanoTime);
    }

    /** @param nanoTime the clock ({@link System#nanoTime}; tests pass their own) */
    public AuthThrottle(Policy policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.addresses = lru(policy.maxEntries());
        this.accounts = lru(policy.maxEntries());
    }

    public Policy policy() { return policy; }

    /**
     * True while {@code client} is locked out: the protocol answers with a temporary failure
     * (SMTP 454 4.7.0, POP3 {@code -ERR [SYS/TEMP]}) without looking at any credentials.
     */
    public synchronized boolean lockedOut(InetAddress client) {
        Entry e = live(addresses, key(client), nanoTime.getAsLong());
        return e != null && e.lockedUntil - nanoTime.getAsLong() > 0;
    }

    /**
     * Counts a failed login.
     *
     * @param client  the peer (null: unknown, only the account counts)
     * @param account what the client tried to log in as (null when it never said)
     * @return how long to wait before sending the failure reply
     */
    public synchronized Duration failed(InetAddress client, String account) {
        long now = nanoTime.getAsLong();
        Duration delay = Duration.ZERO;
        if (client != null) {
            Entry e = count(addresses, key(client), now);
            delay = delay(e.failures - policy.freeFailures());
            if (e.failures >= policy.lockoutAfter()) e.lockedUntil = now + policy.lockout().toNanos();
        }
        if (account != null && !account.isEmpty()) {
            Entry e = count(accounts, account.toLowerCase(Locale.ROOT), now);
            Duration d = delay(e.failures - policy.accountFreeFailures());
            if (d.compareTo(delay) > 0) delay = d;
        }
        return delay;
    }

    /** A login succeeded: the address and the account start from zero again. */
    public synchronized void succeeded(InetAddress client, String account) {
        if (client != null) addresses.remove(key(client));
        if (account != null) accounts.remove(account.toLowerCase(Locale.ROOT));
    }

    /** Entries held now (tests; a metrics gauge later). */
    synchronized int size() {
        return addresses.size() + accounts.size();
    }

    /** The n-th delayed failure (1-based) waits firstDelay * 2^(n-1), at most maxDelay. */
    private Duration delay(int n) {
        if (n <= 0) return Duration.ZERO;
        long first = policy.firstDelay().toMillis();
        long ms = n > 30 ? Long.MAX_VALUE : first << (n - 1);
        if (ms < 0 || ms > policy.maxDelay().toMillis()) ms = policy.maxDelay().toMillis();
        return Duration.ofMillis(ms);
    }

    private Entry count(Map<String, Entry> table, String key, long now) {
        Entry e = live(table, key, now);
        if (e == null) {
            e = new Entry();
            table.put(key, e);
        }
        e.failures++;
        e.lastFailure = now;
        return e;
    }

    /** The entry, or null when there is none or it expired (then it is removed). */
    private Entry live(Map<String, Entry> table, String key, long now) {
        Entry e = table.get(key);
        if (e == null) return null;
        boolean idle = now - e.lastFailure - policy.forgetAfter().toNanos() > 0;
        boolean locked = e.lockedUntil != 0 && e.lockedUntil - now > 0;
        if (idle && !locked) {
            table.remove(key);
            return null;
        }
        return e;
    }

    /** IPv4 per address; IPv6 per /64 (one host or one site typically holds a whole /64). */
    static String key(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && !a.isLoopbackAddress()) {
            return "v6:" + Arrays.toString(Arrays.copyOf(b, 8));
        }
        return a.getHostAddress();
    }

    private static Map<String, Entry> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > max;
            }
        };
    }
}
