package org.mailroom.core.store;

import java.io.IOException;

/**
 * A refusal by the store that a protocol reports to its client (RFC 5530 response codes in IMAP),
 * as opposed to an I/O failure. The message is safe to show to the user.
 */
public final class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The mailbox does not exist. */
        NONEXISTENT,
        /** CREATE or RENAME onto a name that exists. */
        ALREADY_EXISTS,
        /** The operation can never succeed (e.g. deleting INBOX, a name the store cannot hold). */
        CANNOT,
        /** A store limit was reached (folders per account, keywords per folder, name length). */
        LIMIT,
        /** The account's quota would be exceeded (RFC 9208 OVERQUOTA). */
        OVER_QUOTA,
        /** The message was expunged meanwhile. */
        EXPUNGED
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
