package org.mailroom.core.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A monotonic count (Prometheus type {@code counter}). {@link #inc} never blocks and may be called
 * from any thread. {@link #trackRecent} makes the counter also remember the last
 * {@link RecentEvents#SPAN_SECONDS} seconds, for "per minute" figures; that costs a short lock
 * per increment, so it is meant for counters of whole messages, not of octets.
 */
public final class Counter {
    private final LongAdder total = new LongAdder();
    private volatile RecentEvents recent;

    Counter() {}

    public void inc() {
        add(1);
    }

    /** @param n at least 0: a counter never goes down */
    public void add(long n) {
        if (n < 0) throw new IllegalArgumentException("a counter never decreases: " + n);
        total.add(n);
        RecentEvents r = recent;
        if (r != null) r.mark(n);
    }

    public long value() {
        return total.sum();
    }

    /**
     * From now on also count increments per second over the last few minutes. Idempotent: the
     * first call's clock is kept.
     *
     * @param millis the clock in milliseconds (tests pass their own)
     */
    public synchronized Counter trackRecent(java.util.function.LongSupplier millis) {
        if (recent == null) recent = new RecentEvents(millis);
        return this;
    }

    /** Increments in the last {@code seconds} seconds; 0 when {@link #trackRecent} was not called. */
    public long recent(int seconds) {
        RecentEvents r = recent;
        return r == null ? 0 : r.count(seconds);
    }
}
