package org.mailroom.core.metrics;

import java.util.function.LongSupplier;

/**
 * Events per second over the last {@link #SPAN_SECONDS} seconds: a ring of one-second buckets,
 * each tagged with the second it counts, so a bucket left from an earlier round is seen as empty
 * without a timer clearing it. {@code count(60)} is the events of the current second and the 59
 * before it.
 */
final class RecentEvents {
    /** The longest window asked for (5 minutes) plus the current, partial second. */
    static final int SPAN_SECONDS = 300;
    private static final int SLOTS = SPAN_SECONDS + 1;

    private final LongSupplier millis;
    private final long[] second = new long[SLOTS];
    private final long[] count = new long[SLOTS];

    RecentEvents(LongSupplier millis) {
        this.millis = millis;
        java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    synchronized void mark(long n) {
        long now = Math.floorDiv(millis.getAsLong(), 1000);
        int i = Math.floorMod(now, SLOTS);
        if (second[i] != now) {
            second[i] = now;
            count[i] = 0;
        }
        count[i] += n;
    }

    /** Events in the last {@code seconds} seconds, the current one included (1..SPAN_SECONDS). */
    synchronized long count(int seconds) {
        if (seconds < 1 || seconds > SPAN_SECONDS) throw new IllegalArgumentException("window " + seconds + "s");
        long now = Math.floorDiv(millis.getAsLong(), 1000);
        long sum = 0;
        for (int k = 0; k < seconds; k++) {
            long s = now - k;
            int i = Math.floorMod(s, SLOTS);
            if (second[i] == s) sum += count[i];
        }
        return sum;
    }
}
