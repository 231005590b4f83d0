package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MailboxStatus;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.Quota;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.StoreException;
import org.mailroom.core.store.maildir.MaildirStore;

/**
 * The store that routes per account: accounts for which {@code usesMbox} holds have their INBOX in
 * an mbox file ({@code inboxPath}); all their other folders, and every other account, are the
 * {@link MaildirStore}'s (Dovecot's mixed {@code mbox:~/mail:INBOX=/var/mail/%u} layout, which is
 * what Thunderbird users of a spool mailbox need for Sent and Drafts). Thread-safe.
 */
public final class MboxStore implements MailStore {
    /** How long a writer waits for the dotlock and the fcntl lock before giving up (temporary failure). */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(20);

    private final MaildirStore maildir;
    private final Predicate<String> usesMbox;
    private final Function<String, Path> inboxPath;
    private final Function<String, Path> stateDir;
    private final Quota.Policy quotas;
    private final Duration lockTimeout;
    private final Consumer<String> crashPoint;
    private final NewInbox newInbox;
    private final ConcurrentHashMap<Path, MboxFolder> folders = new ConcurrentHashMap<>();
    private final AtomicLong lastUidValidity = new AtomicLong();

    /**
     * @param usesMbox  whether an account's INBOX is an mbox (its address as given, any case)
     * @param inboxPath the mbox of an account, e.g. {@link #defaultInbox} or {@code /var/mail/<user>}
     *                  (issue 8)
     */
    public MboxStore(MaildirStore maildir, Predicate<String> usesMbox, Function<String, Path> inboxPath) {
        this(maildir, usesMbox, inboxPath, Quota.Policy.NONE);
    }

    /** @param quotas each account's limits (the Maildir store's), asked at every delivery, APPEND and COPY into an mbox */
    public MboxStore(MaildirStore maildir, Predicate<String> usesMbox, Function<String, Path> inboxPath,
                     Quota.Policy quotas) {
        this(maildir, usesMbox, inboxPath, quotas, LOCK_TIMEOUT, point -> { });
    }

    /**
     * What to do with an INBOX file this store has just created (mode 0600, owned by the daemon),
     * before anything is written to it: a system spool mailbox is given to its user (issue 8).
     */
    public interface NewInbox {
        NewInbox NONE = (account, file) -> { };

        /**
         * Called on the creating thread right after the file was made, before it is locked and
         * written. A failure removes the new file and fails the operation that wanted it (a
         * delivery then fails temporarily).
         */
        void created(String account, Path file) throws IOException;
    }

    /** @param newInbox called for each INBOX file the store creates */
    public MboxStore(MaildirStore maildir, Predicate<String> usesMbox, Function<String, Path> inboxPath,
                     Quota.Policy quotas, NewInbox newInbox) {
        this(maildir, usesMbox, inboxPath, quotas, LOCK_TIMEOUT, point -> { }, newInbox);
    }

    MboxStore(MaildirStore maildir, Predicate<String> usesMbox, Function<String, Path> inboxPath,
              Duration lockTimeout, Consumer<String> crashPoint) {
        this(maildir, usesMbox, inboxPath, Quota.Policy.NONE, lockTimeout, crashPoint);
    }

    MboxStore(MaildirStore maildir, Predicate<String> usesMbox, Function<String, Path> inboxPath,
              Quota.Policy quotas, Duration lockTimeout, Consumer<String> crashPoint) {
        this(maildir, usesMbox, inboxPath, quotas, lockTimeout, crashPoint, NewInbox.NONE);
    }

    MboxStore(MaildirStore maildir, Predicate<String> usesMbox, Function<String, Path> inboxPath,
              Quota.Policy quotas, Duration lockTimeout, Consumer<String> crashPoint, NewInbox newInbox) {
        this.newInbox = newInbox;
        this.maildir = maildir;
        this.quotas = quotas;
        this.usesMbox = usesMbox;
        this.inboxPath = inboxPath;
        this.stateDir = maildir::accountDir;
        this.lockTimeout = lockTimeout;
        this.crashPoint = crashPoint;
    }

    /** {@code <mail>/<domain>/<local-part>/inbox.mbox}: inside the account's directory, beside its folders. */
    public static Function<String, Path> defaultInbox(MaildirStore maildir) {
        return account -> maildir.accountDir(account).resolve("inbox.mbox");
    }

    /**
     * Blocking; called once at start. Finishes every rewrite a crash interrupted (finding the
     * journals in the accounts' directories) before other programs can touch those mboxes: the
     * dead daemon's dotlock is removed at once because its process is gone, while mutt and
     * liblockfile wait up to 5 minutes before they take it for stale.
     *
     * @return the accounts whose mbox was repaired
     */
    public List<String> recoverInterrupted() throws IOException {
        List<String> done = new ArrayList<>();
        Path root = maildir.root();
        if (!java.nio.file.Files.isDirectory(root)) return done;
        try (java.util.stream.Stream<Path> domains = java.nio.file.Files.list(root)) {
            for (Path d : domains.toList()) {
                if (!java.nio.file.Files.isDirectory(d)) continue;
                try (java.util.stream.Stream<Path> users = java.nio.file.Files.list(d)) {
                    for (Path u : users.toList()) {
                        if (!java.nio.file.Files.exists(u.resolve("mailroom-mbox.journal"))) continue;
                        String account = u.getFileName() + "@" + d.getFileName();
                        if (!usesMbox(account)) continue;
                        folder(account).refresh(); // loading finishes the rewrite
                        done.add(account);
                    }
                }
            }
        }
        return done;
    }

    /** Whether this account's INBOX is an mbox. */
    public boolean usesMbox(String account) {
        return usesMbox.test(account);
    }

    @Override
    public StoreDelivery newDelivery() {
        return new MboxDelivery(this, maildir.newDelivery());
    }

    @Override
    public Mailboxes mailboxes(String account) {
        return usesMbox(account) ? new MboxMailboxes(this, maildir.mailboxes(account), account) : maildir.mailboxes(account);
    }

    /** The shared state of an account's mbox INBOX (not loaded until a view or a status asks). */
    MboxFolder folder(String account) {
        Path file = inboxPath.apply(account.toLowerCase(Locale.ROOT)).toAbsolutePath().normalize();
        return folders.computeIfAbsent(file, p -> new MboxFolder(this, account, p, stateDir.apply(account)));
    }

    Mailbox openInbox(String account, boolean readOnly) throws IOException {
        MboxFolder f = folder(account);
        MboxMailbox view;
        f.lock.lock();
        try {
            f.refreshLocked();
            view = new MboxMailbox(this, f, readOnly);
        } finally {
            f.lock.unlock();
        }
        f.notifyViews();
        return view;
    }

    MailboxStatus inboxStatus(String account) throws IOException {
        return folder(account).status();
    }

    /**
     * Copies (or moves) between the mbox INBOX and any folder of the account, in either direction,
     * by reading each message and appending it: mbox messages cannot be hard-linked.
     */
    Mailbox.Copied copy(Mailbox from, String account, Collection<Long> uids, String destination, boolean move)
            throws IOException {
        List<Long> sources = new ArrayList<>(), dests = new ArrayList<>();
        try (Mailbox to = mailboxes(account).open(destination, false)) {
            for (long uid : new TreeSet<>(uids)) {
                MessageRef ref;
                byte[] octets;
                try {
                    ref = from.measure(uid);
                    try (InputStream in = from.open(uid)) {
                        octets = in.readAllBytes();
                    }
                } catch (StoreException e) {
                    if (e.reason() == StoreException.Reason.EXPUNGED) continue;
                    throw e;
                }
                Mailbox.Placed p = to.append(new BytesContent(octets), ref.flags(), ref.keywords(), ref.internalDate());
                sources.add(uid);
                dests.addAll(p.uids());
            }
            if (move && !sources.isEmpty()) from.expunge(sources);
            return new Mailbox.Copied(to.uidValidity(), sources, dests);
        }
    }

    /**
     * An mbox account's limits and usage: the mbox INBOX and the Maildir folders beside it.
     * Only summed when a limit is set.
     */
    Quota quota(String account) throws IOException {
        Quota limits = quotas.of(account);
        if (!limits.limited()) return limits;
        long[] used = mailboxes(account).usage();
        return new Quota(limits.storageLimit(), limits.messageLimit(), used[0], used[1]);
    }

    /** Refuses a delivery, APPEND or COPY into an mbox INBOX that would go over the quota (RFC 9208 OVERQUOTA). */
    void checkQuota(String account, long octets) throws IOException {
        if (quota(account).exceededBy(octets, 1)) {
            throw new StoreException(StoreException.Reason.OVER_QUOTA, "mailbox is full (quota exceeded)");
        }
    }

    /** As the Maildir store: the time in seconds, but always above any this process handed out. */
    long newUidValidity() {
        long now = java.time.Instant.now().getEpochSecond();
        return lastUidValidity.updateAndGet(last -> Math.max(now, last + 1));
    }

    Duration lockTimeout() { return lockTimeout; }

    /**
     * XXX separator lines carry UTC, where mutt and mailx write local time: asctime has no zone, and
     * local time would be ambiguous in the hour a DST change repeats, while the separator date is
     * the message's IMAP internal date. Readers show the Date header, not this line.
     */
    ZoneId zone() { return java.time.ZoneOffset.UTC; }

    Consumer<String> crashPoint() { return crashPoint; }

    NewInbox newInbox() { return newInbox; }

    /** A message held in memory (a copy between formats). */
    record BytesContent(byte[] octets) implements org.mailroom.core.store.MessageContent {
        @Override public long size() { return octets.length; }

        @Override public long lines() {
            long n = 0;
            for (byte b : octets) if (b == '\n') n++;
            return n;
        }

        @Override public InputStream open() { return new java.io.ByteArrayInputStream(octets); }
    }
}
