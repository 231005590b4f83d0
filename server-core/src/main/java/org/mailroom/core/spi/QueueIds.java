package org.mailroom.core.spi;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the queue ids that tie together every log line about one message (Postfix's queue id):
 * 12 characters of base32hex (RFC 4648 7) over 60 bits = 32 bits of seconds since the epoch,
 * 16 bits of a counter and 12 random bits. Ids sort roughly by time; the counter keeps them unique
 * within a second, the random bits across restarts and between instances (one per listener, one
 * for reports the queue makes); thread-safe.
 */
public final class QueueIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUV".toCharArray();

    private final AtomicInteger counter = new AtomicInteger(new SecureRandom().nextInt());

    public String next() {
        long seconds = System.currentTimeMillis() / 1000;
        long v = (seconds & 0xFFFF_FFFFL) << 28
                | (long) (counter.getAndIncrement() & 0xFFFF) << 12
                | ThreadLocalRandom.current().nextInt(1 << 12);
        char[] id = new char[12];
        for (int i = 11; i >= 0; i--) {
            id[i] = ALPHABET[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(id);
    }
}
