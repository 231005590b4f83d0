package org.mailroom.delivery.route;

import java.io.IOException;

/**
 * The host's Unix accounts as recipients (issue 8, {@code local.systemUsers}): which local parts
 * of the host's own domains ({@code <hostname>}, {@code localhost}) name a person who receives
 * mail in a system mailbox. Consulted by {@link Router} after the aliases and the virtual
 * accounts, so an alias always wins (root and other system accounts reach a person only that way).
 */
public interface SystemUsers {
    /** No Unix account receives mail (the default). */
    SystemUsers NONE = local -> false;

    /**
     * Whether {@code localPart} (lower-cased, as the router keeps local parts) is an account that
     * receives mail here: it exists in the passwd database and is not a system account. Blocking.
     */
    boolean receivesMail(String localPart) throws IOException;

    /**
     * The targets of the user's {@code ~/.forward} (addresses, {@code \\user}, {@code |command},
     * {@code /file}), in order; null when there is none, or when it may not be used (not owned
     * by the user or root, or writable by others: sendmail's and Postfix's rule). Only asked for
     * users {@link #receivesMail} accepts. Blocking.
     */
    default java.util.List<String> forward(String localPart) throws IOException {
        return null;
    }

    /**
     * Whether {@code |command} and {@code /file} targets of a {@code ~/.forward} are delivered, as
     * the user ({@code local.forwardPrograms}); false: they are refused with a bounce.
     */
    default boolean forwardPrograms() {
        return false;
    }
}
