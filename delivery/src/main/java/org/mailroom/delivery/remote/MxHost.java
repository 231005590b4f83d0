package org.mailroom.delivery.remote;

import java.net.InetAddress;
import java.util.List;

/**
 * One host to try, with its addresses in the order to try them (IPv6 first, then IPv4).
 *
 * @param name       the host name without the trailing dot
 * @param preference the MX preference; 0 for an implicit MX or a smarthost
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {
    public MxHost {
        addresses = List.copyOf(addresses);
    }
}
