package org.mailroom.core.spi;

import org.mailroom.core.store.MessageContent;

/**
 * Where accepted mail goes (implemented by {@code delivery}). Call order for one transaction:
 * {@link #checkSender} at MAIL when the session is authenticated, {@link #checkRecipient} for each RCPT, then {@link #accept} once with the recipients it said yes
 * to. Both block (account look-ups, disk, fsync) and are called only from the blocking executor.
 */
public interface MessageSink {

    /**
     * Decides at MAIL whether an authenticated session may use {@code reversePath} ("" is the null
     * sender): 250, or 553 5.7.1 when the address is not the login's (sender binding). Called only
     * for authenticated sessions. The default allows everything.
     */
    default Outcome checkSender(SessionInfo session, String reversePath) {
        return Outcome.ok("2.1.0", "Ok");
    }

    /**
     * Decides whether {@code recipient} is accepted in this session: 250 for a local account (or a
     * remote one when relaying is allowed), 550 5.1.1 for an unknown local user, 550 5.7.1 for
     * relaying that is not allowed, 4xx when it cannot tell now.
     */
    Outcome checkRecipient(SessionInfo session, String reversePath, String recipient);

    /**
     * Takes responsibility for the message: when this returns 250 the message is durable (in the
     * recipients' mailboxes or in the queue) and the SMTP session may say so. Adds the trace header
     * fields. On any other outcome nothing was kept. The caller discards {@code content} afterwards.
     */
    Outcome accept(Envelope envelope, MessageContent content);
}
