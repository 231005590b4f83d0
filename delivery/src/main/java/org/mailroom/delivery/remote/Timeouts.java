package org.mailroom.delivery.remote;

import java.time.Duration;

/**
 * How long the client waits for each reply (RFC 5321 4.5.3.2). EHLO, STARTTLS, AUTH and QUIT use
 * {@code mail}; writing one block of the message may take up to {@code dataBlock}.
 */
public record Timeouts(Duration connect, Duration greeting, Duration mail, Duration rcpt, Duration dataInit,
        Duration dataBlock, Duration dataTermination) {

    /** The RFC 5321 4.5.3.2 minimums: 5, 5, 5, 2, 3 and 10 minutes; 30 s to connect. */
    public static final Timeouts RFC5321 = new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3),
            Duration.ofMinutes(10));

    /** Every timeout the same (tests). */
    public static Timeouts all(Duration d) {
        return new Timeouts(d, d, d, d, d, d, d);
    }
}
