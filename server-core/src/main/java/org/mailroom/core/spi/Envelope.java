package org.mailroom.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The SMTP envelope of one message.
 *
 * @param id          the queue id that every log line about this message carries
 * @param reversePath MAIL FROM address without angle brackets; empty for the null sender {@code <>}
 * @param recipients  RCPT TO addresses in the order accepted, each accepted by the sink
 * @param session     who handed the message over
 * @param received    when the end of data was received
 * @param mail        the MAIL parameters that travel with the message (RFC 3461, RFC 6152, RFC 3030, RFC 6531)
 * @param rcptOptions per recipient, in the order of {@code recipients}: ORCPT and NOTIFY (RFC 3461 4.1, 4.2);
 *                    empty when none were given, otherwise exactly one per recipient
 */
public record Envelope(String id, String reversePath, List<String> recipients, SessionInfo session, Instant received,
                       MailOptions mail, List<RcptOptions> rcptOptions) {

    /** RFC 3461 4.3 RET. */
    public enum Ret { FULL, HDRS }

    /** The BODY parameter: RFC 6152 8BITMIME, RFC 3030 BINARYMIME; absent means 7BIT. */
    public enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** RFC 3461 4.1 NOTIFY values. */
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

    /**
     * @param envid    RFC 3461 4.4 ENVID in xtext form as the client sent it (never decoded here: the
     *                 decoded value could hold CR LF), or null
     * @param ret      RFC 3461 4.3 RET, or null
     * @param body     the declared body type; BINARY_MIME only ever arrives with BDAT (RFC 3030 3)
     * @param smtputf8 RFC 6531 3.4: the client gave SMTPUTF8 on MAIL
     */
    public record MailOptions(String envid, Ret ret, Body body, boolean smtputf8) {
        public static final MailOptions NONE = new MailOptions(null, null, Body.SEVEN_BIT, false);

        public MailOptions {
            body = body == null ? Body.SEVEN_BIT : body;
        }
    }

    /**
     * @param orcpt  RFC 3461 4.2 ORCPT as {@code addr-type;xtext} exactly as given, or null
     * @param notifyOn RFC 3461 4.1 NOTIFY; empty when not given
     */
    public record RcptOptions(String orcpt, Set<Notify> notifyOn) {
        public static final RcptOptions NONE = new RcptOptions(null, Set.of());

        public RcptOptions {
            notifyOn = notifyOn == null ? Set.of() : Set.copyOf(notifyOn);
        }
    }

    public Envelope {
        mail = mail == null ? MailOptions.NONE : mail;
        rcptOptions = rcptOptions == null ? List.of() : List.copyOf(rcptOptions);
        if (!rcptOptions.isEmpty() && rcptOptions.size() != recipients.size()) {
            throw new IllegalArgumentException(rcptOptions.size() + " recipient options for "
                    + recipients.size() + " recipients");
        }
    }

    /** Without MAIL/RCPT parameters (7BIT, no DSN options): {@code sendmail}, DSNs, older callers. */
    public Envelope(String id, String reversePath, List<String> recipients, SessionInfo session, Instant received) {
        this(id, reversePath, recipients, session, received, MailOptions.NONE, List.of());
    }

    /** The options of the recipient at {@code index}; {@link RcptOptions#NONE} when none were given. */
    public RcptOptions rcptOptions(int index) {
        Objects.checkIndex(index, recipients.size());
        return rcptOptions.isEmpty() ? RcptOptions.NONE : rcptOptions.get(index);
    }
}
