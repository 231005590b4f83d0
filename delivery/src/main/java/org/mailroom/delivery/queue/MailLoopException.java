package org.mailroom.delivery.queue;

import org.mailroom.core.spi.Outcome;

/**
 * A message refused because it has passed through too many hops: RFC 5321 6.3 asks servers to
 * detect loops by counting Received: header fields, and RFC 3463 3.5 gives 5.4.6 "Routing loop
 * detected". A refusal, not an error of the server: no stack trace.
 */
public final class MailLoopException extends Exception {
    private final int hops;

    public MailLoopException(int hops, int limit) {
        super("Too many hops: " + hops + " Received: header fields, limit " + limit, null, false, false);
        this.hops = hops;
    }

    public int hops() { return hops; }

    /** What the SMTP server answers at the end of DATA. */
    public Outcome outcome() {
        return new Outcome(554, "5.4.6", "Too many hops (mail loop?)");
    }
}
