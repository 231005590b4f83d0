package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.mailroom.core.io.DirectorySync;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.FolderEvent;
import org.mailroom.core.store.FolderEvents;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one in-memory state of a Maildir folder that every view of it (IMAP sessions, POP3, the MDA's
 * notifications) shares, loaded from its {@link FolderIndex} and reconciled with the directories.
 *
 * <p>Invariants: every field is guarded by {@link #lock}; changes are made on the blocking executor,
 * first on disk (file rename/unlink, index record), then in memory, then published as events in
 * order; callbacks of views run after the lock is released (STYLE.md 1.3: never hold a store lock
 * while a session writes). UIDs and expunges are forced into the index log before anyone is told.
 */
final class FolderState {
    private static final Logger log = LoggerFactory.getLogger(FolderState.class);
    /** At most this many keywords per folder (a bit each in the index). */
    static final int MAX_KEYWORDS = 64;
    /**
     * A change of at least this many messages (and of {@link #quietFor 1/32 of the folder}) is made
     * with the folder's directory watch removed: every rename or unlink of ours would raise an
     * inotify event the kernel queues and the watcher thread reads (a STORE of 1:* on 100,000
     * messages spent a tenth of its time so). Another
     * program's change made meanwhile is still seen, by the mtime of {@code cur/} at the next refresh
     * or by the full rescan.
     */
    private static final int QUIET_AT = 256;

    /**
     * Whether a change of {@code n} files is worth pausing the watch for: watching the folder again
     * costs the kernel a walk over every cached entry of the directory (inotify_add_watch,
     * fsnotify_set_children_dentry_flags: ~5 ms of system time for 100,000 files, and the STORE
     * waits for it), more than the events of a few thousand renames cost the watcher thread.
     */
    private boolean quietFor(int n) {
        return n >= Math.max(QUIET_AT, msgs.size() / 32);
    }

    /** A full rescan of {@code cur/} at least this often, for changes whose mtime we could not tell apart. */
    private static final long FULL_SCAN_NANOS = 60_000_000_000L;

    /** One message; mutable, guarded by the folder lock. */
    static final class Msg {
        final long uid;
        final String base;
        /**
         * The name in cur/ when it is not the base, {@code :2,} and the letters of {@link #flags}
         * (other tools' names); null for all the others, which need no second string (a quarter of
         * what a loaded message costs).
         */
        private String oddName;
        long size;
        long rfc822Size;
        final long internalDate;
        int flags;
        long keywords;
        long modSeq;
        MessageRef ref;
        long[] cacheAt; // offsets in the cache file by slot, or null

        Msg(long uid, String base, long size, long rfc822Size, long internalDate) {
            this.uid = uid;
            this.base = base;
            this.size = size;
            this.rfc822Size = rfc822Size;
            this.internalDate = internalDate;
        }

        /** The current name in cur/. */
        String file() {
            return oddName != null ? oddName : MaildirName.withFlagBits(base, flags);
        }

        /** The file is now called {@code name} and the message has the system flags {@code bits}. */
        void name(String name, int bits) {
            flags = bits;
            oddName = MaildirName.isCanonical(name, base, bits) ? null : name;
        }

        Msg copy() {
            Msg c = new Msg(uid, base, size, rfc822Size, internalDate);
            c.oddName = oddName;
            c.flags = flags;
            c.keywords = keywords;
            c.ref = ref;
            return c;
        }
    }


    final ReentrantLock lock = new ReentrantLock();
    final MaildirStore store;
    final String account;
    final String name;
    final Path dir;

    long uidValidity;
    long uidNext;
    long highestModSeq;
    final List<String> keywords = new ArrayList<>();
    /** Ascending by UID. */
    final ArrayList<Msg> msgs = new ArrayList<>();
    private HashMap<String, Msg> byBase = new HashMap<>();
    private FolderIndex index;
    FolderCache cache;

    /** Changes the views have not all read, and where each view stands. */
    final FolderEvents events = new FolderEvents();
    final List<MaildirMailbox> views = new ArrayList<>();
    /** Messages with a UID above this have not been \Recent in any view yet. */
    long recentUpTo;
    /** When a view last opened or closed (nanoTime); guarded by the store's folders lock. */
    long lastUse = System.nanoTime();
    /** Users other than views that keep the state loaded (a copy filling it); folders lock. */
    int pins;
    /** Dropped from memory: files closed; refreshes do nothing. Set under {@link #lock}; read without it. */
    private volatile boolean unloaded;

    private long curMtime = Long.MIN_VALUE;
    private long newMtime = Long.MIN_VALUE;
    private long lastFullScan;

    FolderState(MaildirStore store, String account, String name, Path dir) {
        this.store = store;
        this.account = account;
        this.name = name;
        this.dir = dir;
    }

    // ---- loading -------------------------------------------------------------------------------

    /** Reads the index and reconciles it with the directories; called once, under the lock. */
    void load() throws IOException {
        FolderIndex.State s = new FolderIndex.State();
        long minValidity = 0;
        try {
            index = FolderIndex.load(dir, s);
        } catch (FolderIndex.Corrupt e) {
            Path aside = dir.resolve(FolderIndex.FILE + ".corrupt");
            // the old UIDVALIDITY was chosen before the file was last written: one above that time
            // is certainly different (RFC 9051 2.3.1.1), even in the same second
            minValidity = Files.getLastModifiedTime(dir.resolve(FolderIndex.FILE)).toMillis() / 1000 + 1;
            Files.move(dir.resolve(FolderIndex.FILE), aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn("{}: {} {} unreadable ({}); moved to {} and rebuilt with a new UIDVALIDITY", account, name,
                    FolderIndex.FILE, e.getMessage(), aside.getFileName());
            s = new FolderIndex.State();
            index = null;
        }
        if (index == null) {
            if (!LegacyUidList.importInto(dir, s)) {
                s.uidValidity = Math.max(store.newUidValidity(), minValidity);
            }
            index = FolderIndex.create(dir, s);
            LegacyUidList.retire(dir);
        }
        uidValidity = s.uidValidity;
        uidNext = s.uidNext;
        highestModSeq = s.highestModSeq;
        keywords.addAll(s.keywords);
        byBase = new HashMap<>(Math.max(16, s.entries.size() * 4 / 3 + 1));
        for (FolderIndex.Entry e : s.entries.values()) {
            Msg m = new Msg(e.uid(), e.base(), e.size(), e.rfc822Size(), e.internalDate());
            m.flags = e.flags(); // the name: at the full scan below
            m.keywords = e.keywords();
            m.modSeq = e.modSeq();
            msgs.add(m);
            byBase.put(e.base(), m);
        }
        recentUpTo = uidNext - 1;
        List<FolderEvent> out = new ArrayList<>();
        scan(true, out);
        cache = FolderCache.open(dir, this);
        events.clear(); // nobody watches yet; the first views take the state as it is
    }

    /** Writes a fresh snapshot when the log has grown; under the lock. */
    private void maybeCompact() throws IOException {
        if (index.wantsCompaction()) compact();
    }

    /** Writes the whole state as the index's next snapshot (durably); under the lock. */
    private void compact() throws IOException {
        FolderIndex.State s = new FolderIndex.State();
        s.uidValidity = uidValidity;
        s.uidNext = uidNext;
        s.highestModSeq = highestModSeq;
        s.keywords.addAll(keywords);
        List<FolderIndex.Entry> entries = new ArrayList<>(msgs.size());
        for (Msg m : msgs) {
            entries.add(new FolderIndex.Entry(m.uid, m.size, m.rfc822Size, m.internalDate, m.flags, m.keywords,
                    m.modSeq, m.base));
        }
        index.compact(s, entries);
    }

    // ---- synchronisation with the directories ---------------------------------------------------

    /**
     * Picks up files that appeared in {@code new/} (deliveries), and, when {@code cur/} changed
     * behind our back, renames, removals and additions made by other tools. Under the lock.
     */
    void refresh() throws IOException {
        lock.lock();
        try {
            refreshLocked();
        } finally {
            lock.unlock();
        }
        notifyViews();
    }

    /** {@link #refresh()} with the lock held by the caller, who then calls {@link #notifyViews()}. */
    void refreshLocked() throws IOException {
        if (unloaded) return; // a late watcher event or delivery: the next load scans anyway
        long nm = mtime("new"), cm = mtime("cur");
        boolean full = cm != curMtime || System.nanoTime() - lastFullScan > FULL_SCAN_NANOS;
        if (!full && nm == newMtime) return;
        List<FolderEvent> out = new ArrayList<>();
        scan(full, out);
        publish(out);
    }

    private long mtime(String sub) throws IOException {
        try {
            return Files.getLastModifiedTime(dir.resolve(sub)).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (NoSuchFileException e) {
            store.ensureMaildir(dir);
            return Long.MIN_VALUE + 1;
        }
    }

    /**
     * Reconciles memory and index with the directories. {@code full}: {@code cur/} too (else only
     * {@code new/}, whose files are moved to {@code cur/} as the Maildir spec asks of readers).
     */
    private void scan(boolean full, List<FolderEvent> out) throws IOException {
        Path cur = dir.resolve("cur");
        long newMtimeBefore = mtime("new");
        String[] curNames = null;
        if (full) {
            long cm = mtime("cur");
            curNames = list(cur);
            curMtime = cm;
            lastFullScan = System.nanoTime();
        }
        List<String> moved = new ArrayList<>(); // names now in cur/
        boolean movedToCur = false;
        for (String n : list(dir.resolve("new"))) {
            if (!MaildirName.isMessageName(n)) continue;
            String target = MaildirName.withFlagBits(n, MaildirName.flagBits(n));
            try {
                Files.move(dir.resolve("new").resolve(n), cur.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                movedToCur = true;
            } catch (NoSuchFileException e) {
                if (!Files.exists(cur.resolve(target))) continue; // gone: expunged by another tool
            }
            moved.add(target);
        }
        newMtime = newMtimeBefore;
        // names in cur/ of messages we do not know yet
        List<String> fresh = new ArrayList<>();
        boolean durable = false;
        if (full && msgs.isEmpty()) {
            // a first look (no index): everything is new, no need to match names to messages
            for (String n : curNames) if (MaildirName.isMessageName(n)) fresh.add(n);
            fresh.addAll(moved);
        } else if (full) {
            Map<String, String> found = new HashMap<>(Math.max(16, (curNames.length + moved.size()) * 4 / 3 + 1)); // base -> name
            for (String n : curNames) if (MaildirName.isMessageName(n)) found.put(MaildirName.base(n), n);
            for (String n : moved) found.put(MaildirName.base(n), n);
            // removed by other tools
            List<Msg> gone = null;
            for (Msg m : msgs) {
                String n = found.remove(m.base);
                if (n == null) {
                    if (gone == null) gone = new ArrayList<>();
                    gone.add(m);
                    continue;
                }
                int bits = MaildirName.flagBits(n);
                boolean changed = bits != m.flags;
                m.name(n, bits);
                if (changed) { // flags changed by another tool (or while we were down)
                    m.modSeq = ++highestModSeq;
                    index.flags(m.uid, m.flags, m.keywords, m.modSeq);
                    out.add(new FolderEvent.Changed(refresh(m), null));
                }
            }
            if (gone != null) {
                for (Msg m : gone) removeMsg(m, out);
                durable = true;
            }
            fresh.addAll(found.values()); // what is left is new
        } else {
            for (String n : moved) {
                Msg m = byBase.get(MaildirName.base(n));
                if (m != null) m.name(n, m.flags);
                else fresh.add(n);
            }
        }
        // Many new files at once (a first look at a Maildir other programs filled): one snapshot of
        // the index instead of a log record per message that compaction would then write again.
        boolean bulk = fresh.size() >= 1024 && fresh.size() > msgs.size() / 4;
        if (!fresh.isEmpty()) {
            if (byBase.isEmpty() && fresh.size() > 1024) byBase = new HashMap<>(fresh.size() * 4 / 3 + 1);
            MaildirName.sortByArrival(fresh);
            for (String file : fresh) {
                String base = MaildirName.base(file);
                long size = MaildirName.field(base, 'S'), w = MaildirName.field(base, 'W');
                long secs = MaildirName.epochSeconds(base);
                long date = secs > 0 ? secs * 1000 : Files.getLastModifiedTime(cur.resolve(file)).toMillis();
                Msg m = new Msg(uidNext, base, size, w, date);
                // one message in two names (a tool copied before it renamed): the first keeps it
                if (byBase.putIfAbsent(base, m) != null) continue;
                uidNext++;
                m.name(file, MaildirName.flagBits(file));
                m.modSeq = ++highestModSeq;
                if (!bulk) {
                    index.add(new FolderIndex.Entry(m.uid, m.size, m.rfc822Size, m.internalDate, m.flags, m.keywords,
                            m.modSeq, m.base));
                }
                msgs.add(m);
                out.add(new FolderEvent.Added(refresh(m)));
            }
            durable = true;
        }
        for (Msg m : msgs) if (m.ref == null) refresh(m);
        if (movedToCur) curMtime = mtime("cur"); // our own moves. XXX a rename by another tool in the same instant is seen at the next full scan
        if (bulk) {
            compact(); // forced: UIDs are durable before anyone learns of them
        } else {
            index.write(durable); // UIDs and expunges are forced before anyone learns of them
            maybeCompact();
        }
    }

    /** The names in a directory (File.list: no Path per entry, which a listing of 100,000 files feels). */
    private static String[] list(Path d) throws IOException {
        String[] names = d.toFile().list();
        if (names == null) {
            if (!Files.isDirectory(d)) throw new NoSuchFileException(d.toString());
            throw new IOException(d + ": cannot list");
        }
        return names;
    }

    private void removeMsg(Msg m, List<FolderEvent> out) {
        refs = null;
        int i = indexOf(m.uid);
        if (i >= 0) msgs.remove(i);
        byBase.remove(m.base);
        highestModSeq++;
        index.expunge(m.uid, highestModSeq);
        out.add(new FolderEvent.Expunged(m.uid));
    }

    private MessageRef refresh(Msg m) {
        refs = null;
        m.ref = new MessageRef(m.uid, m.size, m.rfc822Size, Instant.ofEpochMilli(m.internalDate), Flag.set(m.flags),
                keywordSet(m.keywords), m.modSeq);
        return m.ref;
    }

    Set<String> keywordSet(long bits) {
        if (bits == 0) return Set.of();
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
        for (int i = 0; i < keywords.size(); i++) if ((bits & (1L << i)) != 0) s.add(keywords.get(i));
        return java.util.Collections.unmodifiableSet(s);
    }

    int indexOf(long uid) {
        int lo = 0, hi = msgs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = msgs.get(mid).uid;
            if (u < uid) lo = mid + 1;
            else if (u > uid) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    Msg msg(long uid) {
        int i = indexOf(uid);
        return i < 0 ? null : msgs.get(i);
    }

    Path file(Msg m) {
        return dir.resolve("cur").resolve(m.file());
    }

    // ---- changes made through the store ---------------------------------------------------------

    /** Bits for these keywords, defining new ones; under the lock. */
    long keywordBits(Set<String> kws) throws StoreException {
        long bits = 0;
        for (String k : kws) {
            int i = -1;
            for (int j = 0; j < keywords.size(); j++) {
                if (keywords.get(j).equalsIgnoreCase(k)) { i = j; break; }
            }
            if (i < 0) {
                if (keywords.size() >= MAX_KEYWORDS) {
                    throw new StoreException(StoreException.Reason.LIMIT, "too many keywords in this mailbox");
                }
                keywords.add(k);
                index.keyword(k);
                i = keywords.size() - 1;
            }
            bits |= 1L << i;
        }
        return bits;
    }

    /** See {@link org.mailroom.core.store.Mailbox#store}. */
    org.mailroom.core.store.Mailbox.StoreResult store(Collection<Long> uids, org.mailroom.core.store.Mailbox.FlagMode mode,
                                                      Set<Flag> flags, Set<String> kws, long unchangedSince,
                                                      Object origin,
                                                      java.util.function.Consumer<List<MessageRef>> progress)
            throws IOException {
        List<MessageRef> updated = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        List<FolderEvent> out = new ArrayList<>();
        lock.lock();
        try {
            int fbits = Flag.bits(flags);
            long kbits = mode == org.mailroom.core.store.Mailbox.FlagMode.REMOVE ? 0 : keywordBits(kws);
            if (mode == org.mailroom.core.store.Mailbox.FlagMode.REMOVE) {
                for (String k : kws) {
                    for (int j = 0; j < keywords.size(); j++) if (keywords.get(j).equalsIgnoreCase(k)) kbits |= 1L << j;
                }
            }
            boolean renamed = false;
            int handed = 0; // refs of updated given to progress
            boolean quiet = quietFor(uids.size()) && store.pauseWatch(this);
            try {
                for (long uid : uids) {
                    Msg m = msg(uid);
                    if (m == null) continue;
                    if (unchangedSince >= 0 && m.modSeq > unchangedSince) {
                        failed.add(uid);
                        continue;
                    }
                    int nf;
                    long nk;
                    switch (mode) {
                        case REPLACE -> { nf = fbits; nk = kbits; }
                        case ADD -> { nf = m.flags | fbits; nk = m.keywords | kbits; }
                        default -> { nf = m.flags & ~fbits; nk = m.keywords & ~kbits; }
                    }
                    boolean flagsChange = nf != m.flags;
                    if (flagsChange) {
                        String current = m.file();
                        String target = MaildirName.withFlagBits(current, nf);
                        Path cur = dir.resolve("cur");
                        try {
                            Files.move(cur.resolve(current), cur.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                        } catch (NoSuchFileException e) {
                            continue; // removed or renamed by another tool: the next full scan tells
                        }
                        m.name(target, nf);
                        renamed = true;
                    }
                    if (flagsChange || nk != m.keywords) {
                        m.keywords = nk;
                        m.modSeq = ++highestModSeq;
                        index.flags(m.uid, nf, nk, m.modSeq);
                        out.add(new FolderEvent.Changed(refresh(m), origin));
                    }
                    updated.add(m.ref);
                    if (progress != null && updated.size() - handed >= PROGRESS_BATCH) {
                        progress.accept(List.copyOf(updated.subList(handed, updated.size())));
                        handed = updated.size();
                    }
                }
            } finally {
                if (quiet) store.resumeWatch(this);
            }
            if (renamed) curMtime = mtime("cur");
            // XXX flags are not forced: the file names carry the system flags; keywords and
            // mod-sequences written since the last force may be lost in a crash (Dovecot's
            // mail_fsync=optimized makes the same trade).
            index.write(false);
            maybeCompact();
            publish(out);
        } finally {
            lock.unlock();
        }
        notifyViews();
        return new org.mailroom.core.store.Mailbox.StoreResult(updated, failed);
    }

    /** Updated refs handed to a STORE's progress at a time (see {@link org.mailroom.core.store.Mailbox#store}). */
    static final int PROGRESS_BATCH = 4096;

    /** See {@link org.mailroom.core.store.Mailbox#expunge}. */
    List<Long> expunge(Collection<Long> uids) throws IOException {
        List<Long> removed = new ArrayList<>();
        List<FolderEvent> out = new ArrayList<>();
        lock.lock();
        try {
            boolean quiet = quietFor(uids.size()) && store.pauseWatch(this);
            try {
                for (long uid : uids) {
                    Msg m = msg(uid);
                    if (m == null) continue;
                    Files.deleteIfExists(file(m));
                    removeMsg(m, out);
                    removed.add(uid);
                }
            } finally {
                if (quiet) store.resumeWatch(this);
            }
            if (!removed.isEmpty()) {
                store.dirSync(dir.resolve("cur")).sync();
                curMtime = mtime("cur");
                index.write(true);
                maybeCompact();
            }
            publish(out);
        } finally {
            lock.unlock();
        }
        notifyViews();
        return removed;
    }

    /**
     * Adds files already written and forced in {@code tmp/} (APPEND, COPY): renames each into
     * {@code cur/} with its flags, forces the directory, gives UIDs, forces the index.
     *
     * @param staged tmp file names, in order
     */
    List<Long> addStaged(List<Staged> staged) throws IOException {
        List<Long> uids = new ArrayList<>();
        List<FolderEvent> out = new ArrayList<>();
        lock.lock();
        try {
            Path tmp = dir.resolve("tmp"), cur = dir.resolve("cur");
            List<Msg> added = new ArrayList<>();
            for (Staged s : staged) {
                String base = s.tmpName();
                String file = MaildirName.withFlagBits(base, s.flags());
                Files.move(tmp.resolve(base), cur.resolve(file), StandardCopyOption.ATOMIC_MOVE);
                Msg m = new Msg(uidNext++, base, s.size(), s.rfc822Size(), s.internalDate());
                m.name(file, s.flags());
                m.keywords = keywordBits(s.keywords());
                m.modSeq = ++highestModSeq;
                added.add(m);
            }
            store.dirSync(cur).sync();
            curMtime = mtime("cur");
            for (Msg m : added) {
                index.add(new FolderIndex.Entry(m.uid, m.size, m.rfc822Size, m.internalDate, m.flags, m.keywords,
                        m.modSeq, m.base));
                msgs.add(m);
                byBase.put(m.base, m);
                out.add(new FolderEvent.Added(refresh(m)));
                uids.add(m.uid);
            }
            index.write(true);
            maybeCompact();
            publish(out);
        } finally {
            lock.unlock();
        }
        notifyViews();
        return uids;
    }

    /** A message file waiting in {@code tmp/} to be added. */
    record Staged(String tmpName, long size, long rfc822Size, long internalDate, int flags, Set<String> keywords) {}

    /**
     * The CRLF size of a message whose file name did not say (other tools' files): a file whose
     * first line ends in CR LF is taken as CRLF throughout and sent as stored; otherwise bare LFs
     * are counted. Blocking; records the sizes in the index.
     */
    MessageRef measure(long uid) throws IOException {
        Path p;
        lock.lock();
        try {
            Msg m = msg(uid);
            if (m == null) throw new StoreException(StoreException.Reason.EXPUNGED, "message was expunged");
            if (m.rfc822Size >= 0 && m.size >= 0) return m.ref;
            p = file(m);
        } finally {
            lock.unlock();
        }
        long[] sizes = Measure.sizes(p);
        MessageRef r = measured(uid, sizes[0], sizes[1]);
        if (r == null) throw new StoreException(StoreException.Reason.EXPUNGED, "message was expunged");
        return r;
    }

    /** Records the sizes of a message; its new ref, or null when it is gone. */
    private MessageRef measured(long uid, long size, long rfc822Size) throws IOException {
        lock.lock();
        try {
            Msg m = msg(uid);
            if (m == null) return null;
            if (m.rfc822Size >= 0 && m.size >= 0) return m.ref;
            m.size = size;
            m.rfc822Size = rfc822Size;
            index.sizes(uid, m.size, m.rfc822Size);
            // written with the next change (or in batches): a size lost in a crash is measured again
            if (index.pendingOctets() >= FolderCache.PENDING_MAX) index.write(false);
            // Not an event: sizes never change, views pick the measured value up from ref on demand.
            return refresh(m);
        } finally {
            lock.unlock();
        }
    }

    /** The stream of a message; one whose sizes are unknown is measured if read to the end. */
    private InputStream stream(Path p, long uid, boolean measured) throws IOException {
        InputStream in = new java.io.FileInputStream(p.toFile());
        if (measured) return in;
        return new Measure.Counting(in, (size, rfc822) -> {
            try {
                measured(uid, size, rfc822);
            } catch (IOException e) {
                log.debug("{}: {} recording sizes of {}: {}", account, name, uid, e.toString());
            }
        });
    }

    /** The message file, found again by base name if another tool renamed it meanwhile. */
    InputStream open(long uid) throws IOException {
        Path p;
        String base;
        boolean sized;
        lock.lock();
        try {
            Msg m = msg(uid);
            if (m == null) throw new StoreException(StoreException.Reason.EXPUNGED, "message was expunged");
            p = file(m);
            base = m.base;
            sized = m.size >= 0 && m.rfc822Size >= 0;
        } finally {
            lock.unlock();
        }
        try {
            return stream(p, uid, sized);
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            refresh();
            lock.lock();
            try {
                Msg m = byBase.get(base);
                if (m == null) throw new StoreException(StoreException.Reason.EXPUNGED, "message was expunged");
                p = file(m);
            } finally {
                lock.unlock();
            }
            return Files.newInputStream(p);
        }
    }

    // ---- events ---------------------------------------------------------------------------------

    private void publish(List<FolderEvent> out) {
        events.publish(out);
    }

    /** Runs the callbacks of views that have unread events; without the lock. */
    void notifyViews() {
        List<Runnable> wake = new ArrayList<>();
        lock.lock();
        try {
            for (MaildirMailbox v : views) {
                Runnable r = v.callback();
                if (r != null && events.pending(v.position())) wake.add(r);
            }
        } finally {
            lock.unlock();
        }
        for (Runnable r : wake) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("{}: {} change callback failed", account, name, e);
            }
        }
    }

    /**
     * Current refs, ascending, unmodifiable; under the lock. One list is shared by every view that
     * opens while nothing changes (a SELECT of a large folder then copies nothing).
     */
    List<MessageRef> refs() {
        if (refs == null) {
            MessageRef[] a = new MessageRef[msgs.size()];
            for (int i = 0; i < a.length; i++) a[i] = msgs.get(i).ref;
            refs = java.util.Collections.unmodifiableList(java.util.Arrays.asList(a));
        }
        return refs;
    }

    /** {@link #refs()} as last built; null after any change. */
    private List<MessageRef> refs;

    /**
     * Whether the state was dropped (only a deleted or renamed folder drops a state that views still
     * use; an idle one has none). Never blocks.
     */
    boolean unloaded() { return unloaded; }

    /** Closes files; called when the state is dropped from memory, under the lock. */
    void close() {
        unloaded = true;
        try {
            index.close();
        } catch (IOException e) {
            log.warn("{}: {} closing index: {}", account, name, e.toString());
        }
        cache.close();
    }

    /** For {@code copy}: the current files and metadata of these UIDs, in UID order. */
    List<Msg> snapshotOf(Collection<Long> uids) {
        lock.lock();
        try {
            TreeMap<Long, Msg> sorted = new TreeMap<>();
            for (long uid : uids) {
                Msg m = msg(uid);
                if (m != null) sorted.put(uid, m);
            }
            List<Msg> out = new ArrayList<>();
            for (Msg m : sorted.values()) {
                out.add(m.copy());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Kept by the folder's keywords when copying into another folder. */
    Set<String> keywordsOf(Msg m) {
        return m.ref != null ? m.ref.keywords() : Set.of();
    }

    void forceFull() {
        curMtime = Long.MIN_VALUE;
    }

    @SuppressWarnings("unused")
    private static void forceDir(Path p) throws IOException {
        DirectorySync.force(p);
    }
}
