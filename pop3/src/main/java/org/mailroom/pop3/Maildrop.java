package org.mailroom.pop3;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;

/**
 * One session's view of the INBOX (RFC 1939 5): the snapshot taken at login numbered 1..n, and the
 * deletion marks. Messages delivered later are not seen until the next session; messages removed by
 * another session (IMAP) keep their number and fail when read. Used on the event loop only; the
 * {@link Mailbox} itself is used from the blocking executor.
 */
final class Maildrop {
    private final Mailbox mailbox;
    private final long uidValidity;
    private final List<MessageRef> messages;
    private final BitSet deleted = new BitSet();

    /**
     * Reads the mailbox's UIDVALIDITY and snapshot, measuring messages whose sizes are not known yet
     * (files of other tools): call on the blocking executor.
     */
    static Maildrop of(Mailbox mailbox) throws java.io.IOException {
        List<MessageRef> refs = new ArrayList<>(mailbox.messages().size());
        for (MessageRef r : mailbox.messages()) {
            if (r.rfc822Size() < 0) {
                try {
                    r = mailbox.measure(r.uid());
                } catch (org.mailroom.core.store.StoreException e) {
                    continue; // expunged meanwhile
                }
            }
            refs.add(r);
        }
        return new Maildrop(mailbox, mailbox.uidValidity(), refs);
    }

    Maildrop(Mailbox mailbox, long uidValidity, List<MessageRef> snapshot) {
        this.mailbox = mailbox;
        this.uidValidity = uidValidity;
        this.messages = List.copyOf(snapshot);
    }

    Mailbox mailbox() { return mailbox; }

    /** The message numbered {@code msg}, unless it does not exist or is marked deleted. */
    int size() { return messages.size(); }

    MessageRef require(int msg) throws Pop3Error {
        if (msg < 1 || msg > messages.size()) throw new Pop3Error("No such message");
        // RFC 1939 5: a deleted message may not be referred to again.
        if (deleted.get(msg - 1)) throw new Pop3Error("Message " + msg + " already deleted");
        return messages.get(msg - 1);
    }

    /** Numbers of the messages not marked deleted, ascending. */
    List<Integer> live() {
        List<Integer> l = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) if (!deleted.get(i)) l.add(i + 1);
        return l;
    }

    int liveCount() { return messages.size() - deleted.cardinality(); }

    /** RFC 1939 5 STAT: the size counts only messages not marked deleted, in CRLF octets. */
    long liveSize() {
        long n = 0;
        for (int i = 0; i < messages.size(); i++) if (!deleted.get(i)) n += messages.get(i).rfc822Size();
        return n;
    }

    void delete(int msg) throws Pop3Error {
        require(msg);
        deleted.set(msg - 1);
    }

    void undeleteAll() { deleted.clear(); }

    List<Long> deletedUids() {
        List<Long> uids = new ArrayList<>(deleted.cardinality());
        for (int i = deleted.nextSetBit(0); i >= 0; i = deleted.nextSetBit(i + 1)) uids.add(messages.get(i).uid());
        return uids;
    }

    /**
     * RFC 1939 7 UIDL: 1 to 70 characters in 0x21..0x7E, the same for a message in every session.
     * UIDVALIDITY and UID together never repeat for another message (RFC 9051 2.3.1.1), so they are
     * used as they are: 16 hex digits, or more for UIDs above 32 bits.
     */
    String uniqueId(MessageRef m) {
        StringBuilder sb = new StringBuilder(16);
        hex8(sb, uidValidity);
        hex8(sb, m.uid()); // String.format was most of a 1,000-message UIDL
        return sb.toString();
    }

    /** {@code %08x}: at least eight lower-case hex digits. */
    private static void hex8(StringBuilder sb, long v) {
        String h = Long.toHexString(v);
        for (int i = h.length(); i < 8; i++) sb.append('0');
        sb.append(h);
    }
}
