package org.mailroom.delivery.queue;

import java.util.List;
import java.util.Set;
import org.mailroom.delivery.queue.QueueEntry.Body;
import org.mailroom.delivery.queue.QueueEntry.Recipient.Notify;
import org.mailroom.delivery.queue.QueueEntry.Ret;

/**
 * The MAIL and RCPT parameters that travel with a message into the queue.
 *
 * @param envid      RFC 3461 4.4 ENVID in xtext form as the client gave it, or null
 * @param ret        RFC 3461 4.3 RET, or null
 * @param body       BODY= (RFC 6152, RFC 3030); null means 7BIT
 * @param smtputf8   RFC 6531 3.4 SMTPUTF8 was given
 * @param recipients per RCPT, in the envelope's order: ORCPT and NOTIFY; empty when no recipient
 *                   had any, otherwise exactly one per envelope recipient
 */
public record EnqueueOptions(String envid, Ret ret, Body body, boolean smtputf8, List<RcptOptions> recipients) {

    /** No DSN parameters, 7BIT, no SMTPUTF8. */
    public static final EnqueueOptions NONE = new EnqueueOptions(null, null, Body.SEVEN_BIT, false, List.of());

    /**
     * @param orcpt    RFC 3461 4.2 ORCPT as {@code addr-type;address}, or null
     * @param notifyOn RFC 3461 4.1 NOTIFY; empty when not given
     * @param failure  null, or why this recipient already failed when it was enqueued (an alias
     *                 target that is refused, e.g. {@code 550 5.7.1 delivery to a command is not
     *                 allowed}): it is queued FAILED so that the queue manager reports it
     */
    public record RcptOptions(String orcpt, Set<Notify> notifyOn, String failure) {
        public static final RcptOptions NONE = new RcptOptions(null, Set.of(), null);

        public RcptOptions {
            notifyOn = notifyOn == null ? Set.of() : Set.copyOf(notifyOn);
        }

        public RcptOptions(String orcpt, Set<Notify> notifyOn) {
            this(orcpt, notifyOn, null);
        }
    }

    public EnqueueOptions {
        body = body == null ? Body.SEVEN_BIT : body;
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }
}
