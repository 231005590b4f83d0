package org.mailroom.delivery.local;

import java.io.IOException;
import java.util.List;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.delivery.TraceHeaders;

/**
 * One message into the INBOX of several accounts as one store transaction: written and synced for
 * all of them, then committed for all of them, or for none. Blocking.
 */
public final class LocalDelivery {
    private final MailStore store;
    private final ForwardTargets forwardTargets;

    public LocalDelivery(MailStore store) {
        this(store, null);
    }

    /** @param forwardTargets runs ~/.forward commands and file appends as their user; null: none are */
    public LocalDelivery(MailStore store, ForwardTargets forwardTargets) {
        this.store = store;
        this.forwardTargets = forwardTargets;
    }

    /**
     * A {@code |command} or {@code /file} target of {@code account}'s {@code ~/.forward}, run as the
     * user ({@link ForwardTargets}); deferred when this daemon runs none (local.forwardPrograms
     * was switched off while the message waited in the queue is refused earlier, by the router).
     */
    public ForwardTargets.Result deliverAsUser(String account, String target, String reversePath, MessageContent content) {
        if (forwardTargets == null) {
            return new ForwardTargets.Result(ForwardTargets.Status.DEFERRED, "4.3.0", "delivery to commands and files is not set up");
        }
        return forwardTargets.deliver(account, target, reversePath, content);
    }

    /**
     * @param reversePath the envelope sender, "" for the null sender; becomes {@code Return-Path:}
     * @param content     the message as received, trace fields of the receiving hop included
     * @throws IOException when any copy could not be written; nothing was delivered then
     */
    public void deliver(List<String> accounts, String reversePath, MessageContent content) throws IOException {
        MessageContent stored = content.prepend(TraceHeaders.bytes(TraceHeaders.returnPath(reversePath)));
        StoreDelivery d = store.newDelivery();
        try {
            for (String a : accounts) d.addRecipient(a);
            d.write(stored);
            d.commit();
        } catch (IOException | RuntimeException e) {
            d.abort();
            throw e;
        }
    }

    /**
     * Whether a message of {@code octets} (CRLF size) would take the account over its quota
     * (RFC 9208). A failure to tell counts as "no": the delivery itself checks again.
     */
    public boolean overQuota(String account, long octets) {
        try {
            return store.mailboxes(account).quota().exceededBy(octets, 1);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A store refusal because the account is over its quota. */
    public static boolean overQuota(Exception e) {
        return e instanceof org.mailroom.core.store.StoreException se
                && se.reason() == org.mailroom.core.store.StoreException.Reason.OVER_QUOTA;
    }

    /** True for the failures that another attempt will not fix soon: a full disk is temporary too. */
    public static boolean diskFull(Exception e) {
        return String.valueOf(e.getMessage()).contains("No space left");
    }
}
