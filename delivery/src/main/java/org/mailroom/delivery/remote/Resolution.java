package org.mailroom.delivery.remote;

import java.util.List;
import org.mailroom.smtp.wire.EnhancedStatus;

/** What {@link MxResolver} found for a destination. */
public sealed interface Resolution {

    /** Hosts to try in this order; never empty, every host has at least one address. */
    record Hosts(List<MxHost> hosts) implements Resolution {
        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) throw new IllegalArgumentException("no hosts");
        }
    }

    /**
     * Mail for the destination can never be delivered: NXDOMAIN (5.1.2), a null MX (RFC 7505 3:
     * 5.1.10), or no host with an address (5.4.4).
     */
    record PermanentFailure(String reason, EnhancedStatus status) implements Resolution {}

    /** Try again later: SERVFAIL, timeout, network error (RFC 5321 5.1: 4.4.3). */
    record TemporaryFailure(String reason) implements Resolution {}
}
