package org.mailroom.delivery.remote;

import java.util.List;
import org.mailroom.core.store.MessageContent;
import org.mailroom.smtp.wire.Path;

/**
 * One message for one host: MAIL FROM, the RCPT TOs, the content (LF line ends; the client sends
 * CRLF and dot-stuffs, RFC 5321 4.5.2).
 *
 * @param bodyType the body as declared on receipt (RFC 6152); 8-bit content needs 8BITMIME
 * @param smtpUtf8 the envelope or header needs SMTPUTF8 (RFC 6531)
 */
public record Transaction(Path reversePath, List<Path> recipients, MessageContent content, BodyType bodyType,
        boolean smtpUtf8) {

    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME }

    public Transaction {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("no recipients");
    }

    /** Octets on the wire before dot-stuffing: LF becomes CRLF (RFC 1870 SIZE estimate). */
    public long wireSize() {
        return content.size() + content.lines();
    }
}
