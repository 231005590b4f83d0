package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MailboxInfo;
import org.mailroom.core.store.MailboxStatus;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.Quota;
import org.mailroom.core.store.StoreException;

/**
 * The folders of an account whose INBOX is an mbox: INBOX is the mbox, every other folder is a
 * Maildir++ folder in the account's directory, handled by the Maildir store. The Maildir's own
 * INBOX ({@code cur/ new/}) is not used and not shown.
 */
final class MboxMailboxes implements Mailboxes {
    private final MboxStore store;
    private final Mailboxes maildir;
    private final String account;

    MboxMailboxes(MboxStore store, Mailboxes maildir, String account) {
        this.store = store;
        this.maildir = maildir;
        this.account = account;
    }

    static boolean isInbox(String name) {
        return name.equalsIgnoreCase("INBOX");
    }

    @Override public String account() { return account; }

    @Override public List<MailboxInfo> list() throws IOException { return maildir.list(); }

    @Override
    public void create(String name, String specialUse) throws IOException {
        if (isInbox(name)) throw new StoreException(StoreException.Reason.ALREADY_EXISTS, "mailbox already exists");
        maildir.create(name, specialUse);
    }

    @Override public void delete(String name) throws IOException { maildir.delete(name); }

    @Override
    public void rename(String from, String to) throws IOException {
        if (!isInbox(from)) {
            maildir.rename(from, to);
            return;
        }
        // RFC 9051 6.3.6: the messages move to the new name and INBOX stays, empty
        maildir.create(to, null);
        try (Mailbox inbox = open("INBOX", false)) {
            List<Long> uids = new ArrayList<>();
            for (MessageRef r : inbox.messages()) uids.add(r.uid());
            if (!uids.isEmpty()) inbox.copy(uids, to, true);
        }
    }

    @Override public void subscribe(String name, boolean subscribed) throws IOException { maildir.subscribe(name, subscribed); }

    @Override
    public Mailbox open(String name, boolean readOnly) throws IOException {
        if (isInbox(name)) return store.openInbox(account, readOnly);
        return new MaildirFolder(maildir.open(name, readOnly));
    }

    @Override
    public MailboxStatus status(String name) throws IOException {
        return isInbox(name) ? store.inboxStatus(account) : maildir.status(name);
    }

    @Override
    public long[] usage() throws IOException {
        long octets = 0, count = 0;
        for (MailboxInfo i : list()) {
            if (!i.exists()) continue;
            MailboxStatus s = status(i.name());
            octets += s.size();
            count += s.messages();
        }
        return new long[] {octets, count};
    }

    @Override
    public Quota quota() throws IOException {
        return store.quota(account);
    }

    @Override public void ensureDefaults() throws IOException { maildir.ensureDefaults(); }

    /** A Maildir folder of an mbox account: COPY and MOVE into INBOX go to the mbox. */
    private final class MaildirFolder implements Mailbox {
        private final Mailbox d;

        MaildirFolder(Mailbox d) { this.d = d; }

        @Override public String account() { return d.account(); }
        @Override public String name() { return d.name(); }
        @Override public boolean readOnly() { return d.readOnly(); }
        @Override public boolean gone() { return d.gone(); }
        @Override public long uidValidity() { return d.uidValidity(); }
        @Override public long uidNext() { return d.uidNext(); }
        @Override public long highestModSeq() { return d.highestModSeq(); }
        @Override public List<MessageRef> messages() { return d.messages(); }
        @Override public Set<String> keywords() { return d.keywords(); }
        @Override public boolean recent(long uid) { return d.recent(uid); }
        @Override public void refresh() throws IOException { d.refresh(); }
        @Override public Changes changes() { return d.changes(); }
        @Override public boolean hasChanges() { return d.hasChanges(); }
        @Override public boolean hasPendingExpunges() { return d.hasPendingExpunges(); }
        @Override public void onChange(Runnable callback) { d.onChange(callback); }
        @Override public InputStream open(long uid) throws IOException { return d.open(uid); }
        @Override public MessageRef measure(long uid) throws IOException { return d.measure(uid); }

        @Override
        public StoreResult store(Collection<Long> uids, FlagMode mode, Set<Flag> flags, Set<String> keywords,
                                 long unchangedSince) throws IOException {
            return d.store(uids, mode, flags, keywords, unchangedSince);
        }

        @Override public List<Long> expunge(Collection<Long> uids) throws IOException { return d.expunge(uids); }

        @Override
        public Placed append(MessageContent content, Set<Flag> flags, Set<String> keywords, Instant internalDate)
                throws IOException {
            return d.append(content, flags, keywords, internalDate);
        }

        @Override
        public Copied copy(Collection<Long> uids, String destination, boolean move) throws IOException {
            if (!isInbox(destination)) return d.copy(uids, destination, move);
            if (move && d.readOnly()) throw new StoreException(StoreException.Reason.CANNOT, "mailbox is read-only");
            return store.copy(d, account, uids, "INBOX", move);
        }

        @Override public byte[] cached(long uid, int slot) throws IOException { return d.cached(uid, slot); }
        @Override public void putCached(long uid, int slot, byte[] value) throws IOException { d.putCached(uid, slot, value); }
        @Override public List<MessageRef> sync() throws IOException { return d.sync(); }
        @Override public void close() { d.close(); }
    }
}
