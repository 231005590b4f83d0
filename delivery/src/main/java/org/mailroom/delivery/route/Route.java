package org.mailroom.delivery.route;

/** The routing decision for one recipient address, after alias expansion. */
public sealed interface Route {

    /** A local account; {@code account} is its canonical address (plus tag removed). */
    record Local(String account) implements Route {}

    /** A local domain without such an account or alias (RFC 3463 5.1.1). */
    record UnknownLocal(String address) implements Route {}

    /** Any other domain: the queue delivers it. */
    record Remote(String address, String domain) implements Route {}

    /**
     * An alias target that is not delivered: a command, a file, an include, or an expansion that
     * loops or nests too deep. {@code reason} says which, for the log and the bounce.
     */
    record Refused(String target, String reason) implements Route {}
}
