package org.mailroom.delivery.dsn;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What happened to one recipient: one per-recipient block of the delivery-status part (RFC 3464
 * 2.3) and one line of the human-readable part.
 *
 * @param finalRecipient the address the attempt was made for, without angle brackets (RFC 3464
 *     2.3.2); non-ASCII addresses are reported as {@code utf-8} type (RFC 6533 3)
 * @param originalRecipient the RCPT TO ORCPT value exactly as the client gave it, e.g. {@code
 *     rfc822;bob@example.net} (RFC 3461 4.2, RFC 3464 2.3.1), or null when none was given
 * @param action what the report says about this recipient (RFC 3464 2.3.3)
 * @param status the enhanced status code, e.g. {@code 5.1.1} (RFC 3464 2.3.4, RFC 3463)
 * @param remoteMta host name of the server that gave {@code diagnostic}, or null when there was
 *     none (local delivery, no connection) (RFC 3464 2.3.5)
 * @param diagnostic the remote server's SMTP reply, e.g. {@code 550 5.1.1 <bob@example.net>: user
 *     unknown}, or null; a multi-line reply may be given with line breaks, they become spaces
 *     (RFC 3464 2.3.6)
 * @param lastAttempt when delivery was last tried, or null (RFC 3464 2.3.7)
 * @param willRetryUntil for {@link Action#DELAYED} only: when the queue gives up, or null
 *     (RFC 3464 2.3.8)
 */
public record RecipientStatus(
        String finalRecipient,
        String originalRecipient,
        Action action,
        String status,
        String remoteMta,
        String diagnostic,
        Instant lastAttempt,
        Instant willRetryUntil) {

    // RFC 3463 2: class "." subject "." detail, 1-3 digits each
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    /** The action-field values of RFC 3464 2.3.3. */
    public enum Action {
        FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

        /** The value as written in the Action field. */
        String field() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RecipientStatus {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("not an enhanced status code (RFC 3463): " + status);
        }
        if (willRetryUntil != null && action != Action.DELAYED) {
            throw new IllegalArgumentException("Will-Retry-Until is for delayed recipients only (RFC 3464 2.3.8)");
        }
    }
}
