package org.mailroom.delivery.dsn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.mailroom.core.store.MessageContent;

/**
 * Everything one delivery status notification reports on: one original message and the
 * recipients it is about. The queue manager builds it from its queue record.
 *
 * @param kind which report this is; it picks the subject and the explanation. The recipients
 *     may still have different actions (RFC 3464 2: one DSN may cover several recipients), e.g. a
 *     {@link Kind#FAILURE} that also lists a recipient with NOTIFY=SUCCESS as delivered
 * @param envelopeId the ENVID the client gave on MAIL FROM, still in xtext form (RFC 3461 4.4,
 *     RFC 3464 2.2.1), or null
 * @param originalSender the reverse path the DSN is sent to, without angle brackets; never empty:
 *     no DSN is ever made for mail from the null sender (RFC 3461 6.2, RFC 5321 4.5.5)
 * @param arrival when this server accepted the message (RFC 3464 2.2.5)
 * @param recipients at least one; in the order they are reported
 * @param ret the RET parameter of MAIL FROM, or {@link Ret#HDRS} when none was given for a
 *     failure (RFC 3461 4.3 leaves the default to the MTA)
 * @param original the message as queued (LF line ends); read twice (a scan, then the copy), never
 *     held in memory by the builder except as part of its result
 * @param maxReturnedSize with {@link Ret#FULL}, an original larger than this many octets is
 *     returned as its header section only
 */
public record DsnRequest(
        Kind kind,
        String envelopeId,
        String originalSender,
        Instant arrival,
        List<RecipientStatus> recipients,
        Ret ret,
        MessageContent original,
        long maxReturnedSize) {

    /** The three reports a sender can ask for with NOTIFY (RFC 3461 4.1). */
    public enum Kind { FAILURE, DELAY, SUCCESS }

    /** How much of the original goes back (RFC 3461 4.3). */
    public enum Ret { FULL, HDRS }

    public DsnRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(originalSender, "originalSender");
        if (originalSender.isBlank()) {
            throw new IllegalArgumentException("no DSN for the null reverse path (RFC 3461 6.2)");
        }
        Objects.requireNonNull(arrival, "arrival");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("a DSN reports on at least one recipient");
        Objects.requireNonNull(ret, "ret");
        Objects.requireNonNull(original, "original");
        if (maxReturnedSize < 0) throw new IllegalArgumentException("maxReturnedSize < 0");
    }
}
