package org.mailroom.core.store.maildir;

import org.mailroom.core.io.DirectorySync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.Quota;
import org.mailroom.core.store.StoreException;
import org.mailroom.core.store.StoreDelivery;

/**
 * Mail of every account under one directory: {@code <root>/<domain>/<local-part>/} is the Maildir of
 * {@code local-part@domain}. Thread-safe.
 */
public final class MaildirStore implements MailStore {
    private final Path root;
    private final String hostname;
    private final Quota.Policy quotas;
    private final ConcurrentHashMap<Path, DirectorySync> dirSyncs = new ConcurrentHashMap<>();
    /** Maildirs known to have tmp/ new/ cur/: saves three stats per delivery on the hot path. */
    private final java.util.Set<Path> complete = ConcurrentHashMap.newKeySet();
    /** Folder states in memory, by directory. XXX never evicted yet: bounded by the folders users open. */
    private final java.util.HashMap<Path, FolderState> folders = new java.util.HashMap<>();
    /** Made with the first loaded folder; null when the platform offers no watch service. */
    private FolderWatcher watcher;
    private boolean watcherTried;
    private final java.util.concurrent.atomic.AtomicLong lastUidValidity = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param root     the {@code mail/} directory; created when missing
     * @param hostname goes into new file names, as the Maildir spec asks
     */
    public MaildirStore(Path root, String hostname) {
        this(root, hostname, Quota.Policy.NONE);
    }

    /** @param quotas each account's limits, asked at every APPEND, COPY and delivery */
    public MaildirStore(Path root, String hostname, Quota.Policy quotas) {
        this(root, hostname, quotas, java.time.Duration.ofMinutes(10));
    }

    /**
     * @param unloadAfter a folder state no view has used for this long is dropped from memory (at
     *                    the next load of any folder); at least one second
     */
    public MaildirStore(Path root, String hostname, Quota.Policy quotas, java.time.Duration unloadAfter) {
        this.root = root.toAbsolutePath().normalize();
        this.hostname = hostname;
        this.quotas = quotas;
        this.unloadAfterNanos = Math.max(1_000_000_000L, unloadAfter.toNanos());
    }

    private final long unloadAfterNanos;

    public Path root() { return root; }

    @Override
    public StoreDelivery newDelivery() {
        return new MaildirDelivery(this);
    }

    @Override
    public Mailboxes mailboxes(String account) {
        return new MaildirMailboxes(this, account, maildir(account));
    }

    // ---- shared folder states -------------------------------------------------------------------

    /**
     * Opens a view of the folder in {@code dir}, loading its state on first use. The caller has
     * checked that the folder exists (or it is INBOX, created here).
     */
    Mailbox openView(String account, String name, Path dir, boolean readOnly) throws IOException {
        ensureMaildir(dir);
        FolderState f = state(account, name, dir);
        f.lock.lock();
        try {
            f.refreshLocked();
            return new MaildirMailbox(this, f, readOnly);
        } finally {
            f.lock.unlock();
        }
    }

    /** The loaded state of a folder, loading it when needed. */
    FolderState state(String account, String name, Path dir) throws IOException {
        synchronized (folders) {
            unloadIdle();
            FolderState f = folders.get(dir);
            if (f != null && f.name.equals(name)) {
                f.lastUse = System.nanoTime();
                return f;
            }
            if (f != null) { // renamed on disk since: forget the old name's state
                drop(dir);
            }
        }
        FolderState fresh = new FolderState(this, account, name, dir);
        fresh.lock.lock();
        try {
            synchronized (folders) {
                FolderState f = folders.get(dir);
                if (f != null) return f;
                folders.put(dir, fresh);
            }
            try {
                fresh.load();
            } catch (IOException | RuntimeException e) {
                synchronized (folders) { folders.remove(dir); }
                throw e;
            }
            FolderWatcher w = watcher();
            if (w != null) w.watch(fresh);
            return fresh;
        } finally {
            fresh.lock.unlock();
        }
    }

    /**
     * Drops the states that no view has used for {@link #unloadAfterNanos}; with the folders lock
     * held. A state in use elsewhere (its lock held, a copy filling it) stays for the next round.
     */
    private void unloadIdle() {
        long now = System.nanoTime();
        for (java.util.Iterator<FolderState> it = folders.values().iterator(); it.hasNext(); ) {
            FolderState f = it.next();
            if (now - f.lastUse < unloadAfterNanos || f.pins > 0 || !f.lock.tryLock()) continue;
            try {
                if (!f.views.isEmpty()) continue;
                it.remove();
                if (watcher != null) watcher.unwatch(f);
                f.close();
            } finally {
                f.lock.unlock();
            }
        }
    }

    /** Stops watching the folder for a bulk change of ours; false when nothing watches it. */
    boolean pauseWatch(FolderState f) {
        FolderWatcher w = watcher;
        if (w == null) return false;
        w.unwatch(f);
        return true;
    }

    /** Watches the folder again after {@link #pauseWatch}. */
    void resumeWatch(FolderState f) {
        FolderWatcher w = watcher;
        if (w != null) w.watch(f);
    }

    private FolderWatcher watcher() {
        synchronized (folders) {
            if (!watcherTried) {
                watcherTried = true;
                try {
                    watcher = new FolderWatcher();
                } catch (IOException | UnsupportedOperationException e) {
                    org.slf4j.LoggerFactory.getLogger(MaildirStore.class)
                            .warn("no watch service ({}): outside changes are seen at the next command", e.toString());
                }
            }
            return watcher;
        }
    }

    /** The state if it is in memory, else null (deliveries only notify loaded folders). */
    FolderState loaded(Path dir) {
        synchronized (folders) {
            return folders.get(dir);
        }
    }

    /** Forgets a folder's state (deleted or renamed folder); views still open keep working on the old one. */
    void drop(Path dir) {
        FolderState f;
        synchronized (folders) {
            f = folders.remove(dir);
        }
        if (f != null) {
            FolderWatcher w = watcher;
            if (w != null) w.unwatch(f);
            f.lock.lock();
            try {
                f.close();
            } finally {
                f.lock.unlock();
            }
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Object> accountLocks = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Serializes, within this process, changes to one account's folders and their small files
     * (subscriptions, special-use): two sessions logging in at once both create the default folders.
     */
    Object accountLock(String account) {
        return accountLocks.computeIfAbsent(account, a -> new Object());
    }

    /** A view closed; the state stays in memory for the next SELECT until it is unloaded as idle. */
    void release(FolderState f, MaildirMailbox view) {
        f.lock.lock();
        try {
            if (f.views.remove(view)) f.events.leave(view.position());
            f.lastUse = System.nanoTime();
            f.cache.flush(); // the cache values this view computed, written in batches
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(MaildirStore.class).debug("{}: {} writing cache: {}", f.account, f.name, e.toString());
        } finally {
            f.lock.unlock();
        }
    }

    /** Copies or moves messages between two folders of one account, never holding both locks. */
    Mailbox.Copied copy(FolderState from, java.util.Collection<Long> uids, String destination, boolean move,
                        MaildirMailbox origin) throws IOException {
        MaildirMailboxes boxes = new MaildirMailboxes(this, from.account, maildir(from.account));
        Path destDir = boxes.existingDir(destination);
        FolderState to = state(from.account, boxes.canonical(destination), destDir); // just used: not idle
        synchronized (folders) {
            to.pins++; // not unloaded while the copies are made
        }
        try {
            return copyInto(from, to, destDir, uids, move, origin);
        } finally {
            synchronized (folders) {
                to.pins--;
            }
        }
    }

    private Mailbox.Copied copyInto(FolderState from, FolderState to, Path destDir, java.util.Collection<Long> uids,
                                    boolean move, MaildirMailbox origin) throws IOException {
        java.util.List<FolderState.Msg> msgs = from.snapshotOf(uids);
        java.util.List<FolderState.Staged> staged = new java.util.ArrayList<>();
        java.util.List<Long> sources = new java.util.ArrayList<>();
        long total = 0;
        for (FolderState.Msg m : msgs) total += Math.max(0, m.rfc822Size);
        checkQuota(from.account, move ? 0 : total);
        try {
            for (FolderState.Msg m : msgs) {
                String name = MaildirName.unique(hostname, m.size, m.rfc822Size);
                Path target = destDir.resolve("tmp").resolve(name);
                try {
                    // Maildir: a hard link shares the octets (Dovecot's maildir_copy_with_hardlinks)
                    Files.createLink(target, from.file(m));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // expunged meanwhile
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
                    Files.copy(from.file(m), target);
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(target,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        ch.force(false);
                    }
                }
                staged.add(new FolderState.Staged(name, m.size, m.rfc822Size, m.internalDate, m.flags,
                        from.keywordsOf(m)));
                sources.add(m.uid);
            }
        } catch (IOException e) {
            for (FolderState.Staged s : staged) Files.deleteIfExists(destDir.resolve("tmp").resolve(s.tmpName()));
            throw e;
        }
        java.util.List<Long> dest = staged.isEmpty() ? java.util.List.of() : to.addStaged(staged);
        if (move && !sources.isEmpty()) from.expunge(sources);
        long validity;
        to.lock.lock();
        try {
            validity = to.uidValidity;
        } finally {
            to.lock.unlock();
        }
        return new Mailbox.Copied(validity, sources, dest);
    }

    /**
     * Refuses a change that would take the account over its quota (RFC 9208 OVERQUOTA).
     *
     * @throws StoreException {@link StoreException.Reason#OVER_QUOTA}
     */
    void checkQuota(String account, long octets) throws IOException {
        Quota q = quota(account);
        if (q.exceededBy(octets, octets > 0 ? 1 : 0)) {
            throw new StoreException(StoreException.Reason.OVER_QUOTA, "mailbox is full (quota exceeded)");
        }
    }

    /**
     * The account's limits and usage. Usage is summed over the folders' states in memory (loaded
     * when needed, new deliveries picked up first); a message whose CRLF size is not known yet
     * counts with its stored size, so no message file is read. Only computed when a limit is set.
     */
    Quota quota(String account) throws IOException {
        Quota limits = quotas.of(account);
        if (!limits.limited()) return limits;
        long octets = 0, count = 0;
        MaildirMailboxes boxes = new MaildirMailboxes(this, account, maildir(account));
        for (org.mailroom.core.store.MailboxInfo i : boxes.list()) {
            if (!i.exists()) continue;
            Path dir = boxes.dirOf(i.name());
            ensureMaildir(dir);
            FolderState f = state(account, i.name(), dir);
            f.refresh();
            f.lock.lock();
            try {
                for (FolderState.Msg m : f.msgs) octets += m.rfc822Size >= 0 ? m.rfc822Size : Math.max(0, m.size);
                count += f.msgs.size();
            } finally {
                f.lock.unlock();
            }
        }
        return new Quota(limits.storageLimit(), limits.messageLimit(), octets, count);
    }

    /** The MDA renamed files into {@code new/} of these Maildirs: loaded folders pick them up now (IDLE). */
    void delivered(java.util.Collection<Path> maildirs) {
        for (Path dir : maildirs) {
            FolderState f = loaded(dir);
            if (f == null) continue;
            try {
                f.refresh();
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(MaildirStore.class)
                        .warn("{}: refresh after delivery failed: {}", f.account, e.toString());
            }
        }
    }

    String hostname() { return hostname; }

    /**
     * A UIDVALIDITY for a new or rebuilt index: the current time in seconds (Dovecot's choice), but
     * always larger than any this process handed out, so a rebuild within the same second still
     * tells clients that their cached UIDs are void (RFC 9051 2.3.1.1).
     */
    long newUidValidity() {
        long now = java.time.Instant.now().getEpochSecond();
        return lastUidValidity.updateAndGet(last -> Math.max(now, last + 1));
    }

    DirectorySync dirSync(Path dir) {
        return dirSyncs.computeIfAbsent(dir, DirectorySync::new);
    }

    /**
     * The directory of an account ({@code <root>/<domain>/<local-part>}, its Maildir INBOX); the mbox
     * store keeps an mbox account's index and journal there.
     *
     * @throws IllegalArgumentException for an address that could leave the mail root
     */
    public Path accountDir(String account) {
        return maildir(account);
    }

    /**
     * The Maildir of an account. The address has been validated by the account store; this checks
     * again that neither part can leave the mail root.
     */
    Path maildir(String account) {
        String a = account.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) throw new IllegalArgumentException("not an address: " + account);
        String local = a.substring(0, at), domain = a.substring(at + 1);
        for (String part : new String[] {local, domain}) {
            if (part.startsWith(".") || part.contains("/") || part.contains("\0") || part.equals("..")) {
                throw new IllegalArgumentException("unsafe address for a mailbox path: " + account);
            }
        }
        Path p = root.resolve(domain).resolve(local).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("unsafe address for a mailbox path: " + account);
        return p;
    }

    /** Creates {@code tmp/ new/ cur/} when missing; new directory entries are synced. */
    void ensureMaildir(Path dir) throws IOException {
        if (complete.contains(dir)) return;
        if (Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"))
                && Files.isDirectory(dir.resolve("tmp"))) {
            complete.add(dir);
            return;
        }
        Path p = dir;
        Path firstMissing = null;
        while (p != null && !Files.exists(p)) {
            firstMissing = p;
            p = p.getParent();
        }
        for (String sub : new String[] {"tmp", "new", "cur"}) Files.createDirectories(dir.resolve(sub));
        DirectorySync.force(dir);
        if (firstMissing != null) {
            for (Path q = dir; q != null && !q.equals(firstMissing.getParent()); q = q.getParent()) {
                if (q.getParent() != null) DirectorySync.force(q.getParent());
            }
        }
        complete.add(dir);
    }

    /**
     * Forgets that {@code dir} was complete, after a write into it failed because a directory
     * vanished (an administrator removed the Maildir): the next delivery re-creates it.
     */
    void forget(Path dir) {
        complete.remove(dir);
    }
}
