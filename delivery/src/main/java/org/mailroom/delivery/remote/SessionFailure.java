package org.mailroom.delivery.remote;

import org.mailroom.smtp.wire.EnhancedStatus;
import org.mailroom.smtp.wire.Reply;

/**
 * A host could not be used: connection refused or lost, a timeout, a greeting or EHLO refusal,
 * 421, TLS or AUTH failure. Always a reason to try the next host (RFC 5321 5.1), and never final
 * for a recipient on its own.
 */
public final class SessionFailure extends Exception {
    private final String relay;
    private final int code;
    private final EnhancedStatus status;

    SessionFailure(String relay, int code, EnhancedStatus status, String message) {
        super(message);
        this.relay = relay;
        this.code = code;
        this.status = status;
    }

    static SessionFailure of(String relay, String what, Reply reply) {
        return new SessionFailure(relay, reply.code(), reply.status(),
                what + ": " + String.join(" ", reply.lines()));
    }

    public String relay() { return relay; }

    /** The remote reply code, or 0 when the server said nothing. */
    public int code() { return code; }

    /** The remote enhanced status, or null. */
    public EnhancedStatus status() { return status; }
}
