package org.mailroom.delivery.schedule;

import java.time.Duration;
import java.util.Map;

/**
 * How the queue manager works, from the {@code queue.*}, {@code relay.*} and {@code transport.*}
 * keys.
 *
 * @param concurrency     deliveries in progress at once, all destinations together
 * @param perDestination  deliveries in progress at once to one destination (domain or relay host)
 * @param retryInitial    first retry delay; doubled after each attempt ...
 * @param retryMax        ... up to this
 * @param maxLifetime     a message still undelivered after this is bounced (RFC 5321 4.5.4.1: 4-5 days)
 * @param delayWarning    a delay DSN is sent once when a message is this old (zero: never)
 * @param smarthost       {@code [host]:port} that every remote recipient goes through, or null for MX delivery
 * @param transports      per-domain override: {@code local} or {@code [host]:port}
 * @param scanInterval    how often the queue directories are re-read for work another process left
 */
public record QueueSettings(int concurrency, int perDestination, Duration retryInitial, Duration retryMax,
                            Duration maxLifetime, Duration delayWarning, String smarthost,
                            Map<String, String> transports, Duration scanInterval) {

    public QueueSettings {
        transports = Map.copyOf(transports);
        if (concurrency < 1 || perDestination < 1) throw new IllegalArgumentException("concurrency must be positive");
    }

    /** The delay before retry number {@code attempts + 1}: initial, doubling, capped. */
    public Duration backoff(int attempts) {
        Duration d = retryInitial;
        for (int i = 1; i < attempts && d.compareTo(retryMax) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }
}
