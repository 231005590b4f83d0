package org.mailroom.delivery;

import org.mailroom.core.metrics.Counter;
import org.mailroom.core.metrics.Metrics;

/**
 * The one delivery metric, counted beside each {@code to=<...>, relay=..., status=...} log line
 * (one per recipient and attempt): {@code mailroom_deliveries_total{status, relay}} with
 * {@code status} sent, deferred or bounced (the log line's) and {@code relay} local (the mail
 * store, before the 250 or from the queue) or remote (an MX, smarthost or transport).
 */
public final class DeliveryMetrics {
    public static final String NAME = "mailroom_deliveries_total";
    public static final String HELP = "Delivery attempts per recipient, by status (sent, deferred, bounced) and relay (local, remote).";

    private DeliveryMetrics() {}

    /** The counter for one status and relay kind (get-or-create: the same object every time). */
    public static Counter counter(Metrics metrics, String status, boolean local) {
        return metrics.counter(NAME, HELP, "status", status, "relay", local ? "local" : "remote");
    }
}
