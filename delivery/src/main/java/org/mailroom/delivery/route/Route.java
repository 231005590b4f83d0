package org.mailroom.delivery.route;

/** The routing decision for one recipient address. */
public sealed interface Route {

    /** A local account; {@code account} is its canonical address (plus tag removed). */
    record Local(String account) implements Route {}

    /** A local domain without such an account (RFC 3463 5.1.1). */
    record UnknownLocal(String address) implements Route {}

    /** Any other domain. */
    record Remote(String address, String domain) implements Route {}
}
