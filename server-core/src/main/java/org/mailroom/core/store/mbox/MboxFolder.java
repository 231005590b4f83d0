package org.mailroom.core.store.mbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.FolderEvent;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one in-memory state of an mbox INBOX, shared by every view and by deliveries into it (the
 * mbox counterpart of the Maildir {@code FolderState}).
 *
 * <p>Invariants: every field is guarded by {@link #lock}, which is also the in-process lock of the
 * file (one JVM may hold one fcntl lock per file). Every write to the file holds the dotlock and the
 * fcntl lock ({@link MboxLock}) and first finishes an interrupted rewrite ({@link MboxJournal}).
 * Changes go to the mbox first, then to the side index ({@link MboxIndex}, forced), then to memory,
 * then out as events; view callbacks run without the lock.
 *
 * <p>UIDs: a message is known by a key, a hash of its separator line and its header without the
 * flag headers, so that other tools changing Status/X-Status, moving bytes (a rewrite by mutt) or
 * removing messages keep the UIDs of the rest. Matching is in file order, so identical copies keep
 * theirs too. A message whose header another tool edited gets a new UID (IMAP sees an expunge and a
 * new message, as it must: a message's octets never change).
 */
final class MboxFolder {
    private static final Logger log = LoggerFactory.getLogger(MboxFolder.class);

    static final class Msg {
        final long uid;
        final long key;
        long offset;
        long end;
        long size;
        long lines;
        long internalDate;
        int flags;
        Set<String> keywords;
        long modSeq;
        MessageRef ref;

        Msg(long uid, long key, long internalDate) {
            this.uid = uid;
            this.key = key;
            this.internalDate = internalDate;
        }
    }


    final ReentrantLock lock = new ReentrantLock();
    final MboxStore store;
    final String account;
    final MboxFile file;
    private final Path indexFile;
    volatile boolean loaded;

    long uidValidity;
    long uidNext = 1;
    long highestModSeq;
    /** Ascending by UID. */
    final List<Msg> msgs = new ArrayList<>();
    /** Every keyword seen in this INBOX since it was loaded (RFC 9051 7.3.5 FLAGS lists them). */
    final Set<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Ascending by offset. */
    private List<Msg> fileOrder = new ArrayList<>();
    /** What the file looked like after our last look or write; null: not there. */
    private List<Object> known;
    private final Map<Long, byte[][]> cache = new HashMap<>();
    private static final long FULL_READ_NANOS = 60_000_000_000L;
    private long lastFullRead;

    /** Changes the views have not all read, and where each view stands. */
    final org.mailroom.core.store.FolderEvents events = new org.mailroom.core.store.FolderEvents();
    final List<MboxMailbox> views = new ArrayList<>();
    long recentUpTo;

    MboxFolder(MboxStore store, String account, Path file, Path stateDir) {
        this.store = store;
        this.account = account;
        this.file = new MboxFile(file, new MboxJournal(stateDir.resolve("mailroom-mbox.journal"), store.crashPoint()),
                store.lockTimeout(), store.zone(), created -> store.newInbox().created(account, created));
        this.indexFile = stateDir.resolve("mailroom-mbox.index");
    }

    // ---- loading and synchronisation ------------------------------------------------------------

    /** Reads the index and the mbox; under the lock, once. */
    void loadLocked() throws IOException {
        if (loaded) return;
        fileOrder.clear(); // a failed earlier attempt may have left some
        msgs.clear();
        if (file.journalPending()) withFileLocked(false, ch -> null); // finishes the interrupted rewrite
        MboxIndex.State s;
        long minValidity = 0;
        try {
            s = MboxIndex.load(indexFile);
        } catch (MboxIndex.Corrupt e) {
            minValidity = Files.getLastModifiedTime(indexFile).toMillis() / 1000 + 1;
            Path aside = indexFile.resolveSibling(indexFile.getFileName() + ".corrupt");
            Files.move(indexFile, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            log.warn("{}: {} unreadable ({}); rebuilt with a new UIDVALIDITY", account, indexFile, e.getMessage());
            s = null;
        }
        if (s == null) {
            s = new MboxIndex.State();
            s.uidValidity = Math.max(store.newUidValidity(), minValidity);
            dirty = true; // the UIDVALIDITY is kept even while the mbox is empty
        }
        uidValidity = s.uidValidity;
        uidNext = s.uidNext;
        highestModSeq = s.highestModSeq;
        for (MboxIndex.Entry e : s.entries) {
            Msg m = new Msg(e.uid(), e.key(), 0);
            m.offset = -1;
            m.flags = e.flags();
            m.keywords = e.keywords();
            m.modSeq = e.modSeq();
            fileOrder.add(m);
        }
        msgs.addAll(fileOrder);
        msgs.sort((a, b) -> Long.compare(a.uid, b.uid));
        recentUpTo = uidNext - 1;
        known = List.of("never read");
        List<FolderEvent> out = new ArrayList<>();
        syncLocked(null, out, true);
        loaded = true;
        events.clear();
    }

    /** Picks up what changed in the file (deliveries, other tools) and tells the views. */
    void refresh() throws IOException {
        lock.lock();
        try {
            refreshLocked();
        } finally {
            lock.unlock();
        }
        notifyViews();
    }

    /** {@link #refresh()} with the lock held; the caller then calls {@link #notifyViews()}. */
    void refreshLocked() throws IOException {
        loadLocked();
        List<FolderEvent> out = new ArrayList<>();
        syncLocked(null, out, false);
        publish(out);
    }

    /** RFC 9051 6.3.11 STATUS of this INBOX. */
    org.mailroom.core.store.MailboxStatus status() throws IOException {
        lock.lock();
        try {
            refreshLocked();
            long unseen = 0, deleted = 0, size = 0, recent = 0;
            for (Msg m : msgs) {
                if ((m.flags & MboxFormat.bit(Flag.SEEN)) == 0) unseen++;
                if ((m.flags & MboxFormat.bit(Flag.DELETED)) != 0) deleted++;
                size += m.size + m.lines;
                if (m.uid > recentUpTo) recent++;
            }
            return new org.mailroom.core.store.MailboxStatus(msgs.size(), unseen, deleted, size, uidNext, uidValidity,
                    highestModSeq, recent);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reconciles memory with the file. {@code ch}: a channel the caller has locked, or null to open
     * one under a shared lock. Under the lock; does not publish.
     */
    private void syncLocked(FileChannel ch, List<FolderEvent> out, boolean force) throws IOException {
        List<Object> st = file.stat();
        if (!force && Objects.equals(st, known)) return;
        if (st == null) { // no mbox (yet, or removed by someone): an empty INBOX
            reconcile(List.of(), out);
            known = null;
            saveIfNeeded(out);
            return;
        }
        if (ch != null) {
            syncLocked(ch, out);
            return;
        }
        boolean read = file.shared(c -> {
            if (c != null) syncLocked(c, out);
            return c != null;
        });
        if (!read) { // removed meanwhile
            reconcile(List.of(), out);
            known = null;
            saveIfNeeded(out);
        }
    }

    private void syncLocked(FileChannel ch, List<FolderEvent> out) throws IOException {
        List<Object> st = file.stat(); // under the file lock now
        long size = ch.size();
        if (appendedOnly(ch, st, size)) {
            long from = MboxFile.sizeOf(known);
            for (MboxFile.Parsed p : file.parse(ch, from)) addNew(p, out);
        } else {
            reconcile(file.parse(ch, 0), out);
            lastFullRead = System.nanoTime();
        }
        known = st;
        saveIfNeeded(out);
    }

    /**
     * True when the file only grew since we last read it: our messages are where they were. A file
     * that changed without growing was rewritten (perhaps flags, at the same length), and at least
     * once a minute the whole file is read anyway, for an append and a same-length rewrite between
     * two looks.
     */
    private boolean appendedOnly(FileChannel ch, List<Object> st, long size) throws IOException {
        if (known == null) return fileOrder.isEmpty();
        if (!MboxFile.sameFile(known, st)) return false;
        if (System.nanoTime() - lastFullRead > FULL_READ_NANOS) return false;
        long was = MboxFile.sizeOf(known);
        if (size <= was) return false;
        if (fileOrder.isEmpty()) return was == 0;
        Msg last = fileOrder.get(fileOrder.size() - 1);
        if (last.offset < 0 || last.end != was) return false;
        // what follows must be a message (a writer may have added a blank line first)
        if (size > was && !MboxFile.messageAt(ch, was)) return false;
        byte[] raw = MboxFile.read(ch, last.offset, last.end);
        return MboxFormat.isFromLine(raw, false) && MboxFormat.describe(raw).key() == last.key;
    }

    /** Matches parsed messages to known ones by key, in file order. */
    private void reconcile(List<MboxFile.Parsed> parsed, List<FolderEvent> out) {
        Map<Long, ArrayDeque<Integer>> byKey = new HashMap<>();
        for (int i = 0; i < fileOrder.size(); i++) byKey.computeIfAbsent(fileOrder.get(i).key, k -> new ArrayDeque<>()).add(i);
        boolean[] matched = new boolean[fileOrder.size()];
        List<Msg> order = new ArrayList<>(parsed.size());
        List<MboxFile.Parsed> fresh = new ArrayList<>();
        int next = 0;
        for (MboxFile.Parsed p : parsed) {
            ArrayDeque<Integer> q = byKey.get(p.d().key());
            while (q != null && !q.isEmpty() && q.peekFirst() < next) q.pollFirst();
            if (q == null || q.isEmpty()) {
                fresh.add(p);
                order.add(null);
                continue;
            }
            int i = q.pollFirst();
            matched[i] = true;
            next = i + 1;
            Msg m = fileOrder.get(i);
            m.offset = p.offset();
            m.end = p.end();
            m.size = p.d().size();
            m.lines = p.d().lines();
            if (p.d().date() != null) m.internalDate = p.d().date().toEpochMilli();
            if (m.flags != p.d().flags() || !m.keywords.equals(p.d().keywords())) { // another tool
                m.flags = p.d().flags();
                m.keywords = p.d().keywords();
                m.modSeq = ++highestModSeq;
                out.add(new FolderEvent.Changed(refreshRef(m), null));
            } else if (m.ref == null || m.ref.size() != m.size || m.ref.internalDate().toEpochMilli() != m.internalDate) {
                refreshRef(m);
            }
            order.add(m);
        }
        for (int i = 0; i < fileOrder.size(); i++) {
            if (matched[i]) continue;
            Msg m = fileOrder.get(i);
            msgs.remove(m);
            cache.remove(m.uid);
            out.add(new FolderEvent.Expunged(m.uid));
            highestModSeq++;
        }
        fileOrder = new ArrayList<>();
        int f = 0;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i) != null) fileOrder.add(order.get(i));
            else addNew(fresh.get(f++), out);
        }
    }

    private void addNew(MboxFile.Parsed p, List<FolderEvent> out) {
        Instant d = p.d().date();
        Msg m = new Msg(uidNext++, p.d().key(), d != null ? d.toEpochMilli() : System.currentTimeMillis());
        m.offset = p.offset();
        m.end = p.end();
        m.size = p.d().size();
        m.lines = p.d().lines();
        m.flags = p.d().flags();
        m.keywords = p.d().keywords();
        m.modSeq = ++highestModSeq;
        fileOrder.add(m);
        msgs.add(m); // UIDs only grow: stays sorted
        out.add(new FolderEvent.Added(refreshRef(m)));
    }

    private boolean dirty;

    /** UIDs, expunges and flag changes are forced into the index before anyone learns of them. */
    private void saveIfNeeded(List<FolderEvent> out) throws IOException {
        if (out.isEmpty() && !dirty) return;
        MboxIndex.State s = new MboxIndex.State();
        s.uidValidity = uidValidity;
        s.uidNext = uidNext;
        s.highestModSeq = highestModSeq;
        for (Msg m : fileOrder) s.entries.add(new MboxIndex.Entry(m.uid, m.key, m.modSeq, m.flags, m.keywords));
        MboxIndex.save(indexFile, s);
        dirty = false;
    }

    private MessageRef refreshRef(Msg m) {
        keywords.addAll(m.keywords);
        m.ref = new MessageRef(m.uid, m.size, m.size + m.lines, Instant.ofEpochMilli(m.internalDate),
                Flag.set(m.flags), m.keywords, m.modSeq);
        return m.ref;
    }

    // ---- writing ----------------------------------------------------------------------------------

    /** Runs {@code op} under both file locks; the caller holds {@link #lock}. */
    private <T> T withFileLocked(boolean create, MboxFile.Op<T> op) throws IOException {
        return file.exclusive(create, () -> known = List.of("rewritten"), op);
    }

    /** A delivery (the MDA): appends, then tells loaded views. */
    void deliver(MessageContent content, String sender) throws IOException {
        lock.lock();
        try {
            withFileLocked(true, ch -> {
                file.append(ch, content, sender, 0, Set.of(), Instant.now());
                return null;
            });
        } finally {
            lock.unlock();
        }
        if (loaded) refresh();
    }

    /** IMAP APPEND and COPY into this INBOX: appends and returns the new message's UID. */
    long append(MessageContent content, int flags, Set<String> kws, Instant date) throws IOException {
        long uid;
        List<FolderEvent> out = new ArrayList<>();
        lock.lock();
        try {
            loadLocked();
            uid = withFileLocked(true, ch -> {
                syncLocked(ch, out, false);
                file.append(ch, content, "MAILER-DAEMON", flags, kws, date != null ? date : Instant.now());
                syncLocked(ch, out, false);
                return fileOrder.get(fileOrder.size() - 1).uid;
            });
            publish(out);
        } finally {
            lock.unlock();
        }
        notifyViews();
        return uid;
    }

    /** See {@link Mailbox#store}. */
    Mailbox.StoreResult store(Collection<Long> uids, Mailbox.FlagMode mode, Set<Flag> flags, Set<String> kws,
                              long unchangedSince, Object origin) throws IOException {
        List<MessageRef> updated = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        List<FolderEvent> out = new ArrayList<>();
        lock.lock();
        try {
            loadLocked();
            withFileLocked(false, ch -> {
                if (ch == null) return null;
                syncLocked(ch, out, false);
                int fbits = Flag.bits(flags);
                Map<Msg, Object[]> changes = new HashMap<>();
                for (long uid : new TreeSet<>(uids)) {
                    Msg m = msg(uid);
                    if (m == null) continue;
                    if (unchangedSince >= 0 && m.modSeq > unchangedSince) {
                        failed.add(uid);
                        continue;
                    }
                    int nf;
                    Set<String> nk = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    switch (mode) {
                        case REPLACE -> { nf = fbits; nk.addAll(kws); }
                        case ADD -> { nf = m.flags | fbits; nk.addAll(m.keywords); nk.addAll(kws); }
                        default -> { nf = m.flags & ~fbits; nk.addAll(m.keywords); nk.removeAll(kws); }
                    }
                    if (nf != m.flags || !nk.equals(m.keywords)) {
                        changes.put(m, new Object[] {nf, java.util.Collections.unmodifiableSet(nk)});
                    }
                }
                if (!changes.isEmpty()) {
                    rewrite(ch, changes, Set.of());
                    for (Map.Entry<Msg, Object[]> c : changes.entrySet()) {
                        Msg m = c.getKey();
                        m.flags = (Integer) c.getValue()[0];
                        @SuppressWarnings("unchecked") Set<String> k = (Set<String>) c.getValue()[1];
                        m.keywords = k;
                        m.modSeq = ++highestModSeq;
                        out.add(new FolderEvent.Changed(refreshRef(m), origin));
                    }
                    known = file.stat();
                    saveIfNeeded(out);
                }
                for (long uid : new TreeSet<>(uids)) {
                    Msg m = msg(uid);
                    if (m != null && !failed.contains(uid)) updated.add(m.ref);
                }
                return null;
            });
            publish(out);
        } finally {
            lock.unlock();
        }
        notifyViews();
        return new Mailbox.StoreResult(updated, failed);
    }

    /** See {@link Mailbox#expunge}. */
    List<Long> expunge(Collection<Long> uids) throws IOException {
        List<Long> removed = new ArrayList<>();
        List<FolderEvent> out = new ArrayList<>();
        lock.lock();
        try {
            loadLocked();
            withFileLocked(false, ch -> {
                if (ch == null) return null;
                syncLocked(ch, out, false);
                Set<Msg> gone = new java.util.HashSet<>();
                for (long uid : new TreeSet<>(uids)) {
                    Msg m = msg(uid);
                    if (m != null && gone.add(m)) removed.add(uid);
                }
                if (gone.isEmpty()) return null;
                rewrite(ch, Map.of(), gone);
                fileOrder.removeAll(gone);
                for (Msg m : gone) {
                    msgs.remove(m);
                    cache.remove(m.uid);
                    highestModSeq++;
                    out.add(new FolderEvent.Expunged(m.uid));
                }
                known = file.stat();
                saveIfNeeded(out);
                return null;
            });
            publish(out);
        } finally {
            lock.unlock();
        }
        notifyViews();
        return removed;
    }

    /**
     * Rewrites the file from the first message touched on, through the journal: messages in
     * {@code gone} are left out, those in {@code flags} get new flag headers. Updates offsets.
     */
    private void rewrite(FileChannel ch, Map<Msg, Object[]> flags, Set<Msg> gone) throws IOException {
        int first = fileOrder.size();
        for (int i = 0; i < fileOrder.size(); i++) {
            Msg m = fileOrder.get(i);
            if (flags.containsKey(m) || gone.contains(m)) { first = i; break; }
        }
        if (first == fileOrder.size()) return;
        long offset = fileOrder.get(first).offset;
        List<long[]> newPos = new ArrayList<>();
        final int from = first;
        long end = file.rewrite(ch, offset, out -> {
            long at = offset;
            for (int i = from; i < fileOrder.size(); i++) {
                Msg m = fileOrder.get(i);
                if (gone.contains(m)) continue;
                byte[] raw = MboxFile.read(ch, m.offset, m.end);
                Object[] f = flags.get(m);
                if (f != null) {
                    @SuppressWarnings("unchecked") Set<String> k = (Set<String>) f[1];
                    raw = MboxFormat.withFlags(raw, (Integer) f[0], k);
                }
                out.write(raw);
                newPos.add(new long[] {m.uid, at, at + raw.length});
                at += raw.length;
            }
        });
        int j = 0;
        for (int i = from; i < fileOrder.size(); i++) {
            Msg m = fileOrder.get(i);
            if (gone.contains(m)) continue;
            long[] p = newPos.get(j++);
            m.offset = p[1];
            m.end = p[2];
        }
        if (end != ch.size()) throw new IOException("rewrite of " + file.path + " ended at " + ch.size() + ", not " + end);
    }

    // ---- reading ------------------------------------------------------------------------------------

    /** The message as clients see it. XXX read into memory whole: bounded by the message size limit. */
    InputStream open(long uid) throws IOException {
        List<FolderEvent> out = new ArrayList<>();
        byte[] rendered;
        lock.lock();
        try {
            loadLocked();
            syncLocked(null, out, false); // offsets are valid only for the file as we last saw it
            publish(out);
            Msg m = msg(uid);
            if (m == null) throw new StoreException(StoreException.Reason.EXPUNGED, "message was expunged");
            byte[] raw = file.shared(ch -> {
                if (ch == null) throw new StoreException(StoreException.Reason.EXPUNGED, "mbox was removed");
                return MboxFile.read(ch, m.offset, m.end);
            });
            ByteArrayOutputStream bo = new ByteArrayOutputStream((int) m.size);
            MboxFormat.render(raw, bo);
            rendered = bo.toByteArray();
        } finally {
            lock.unlock();
        }
        notifyViews();
        return new java.io.ByteArrayInputStream(rendered);
    }

    MessageRef measure(long uid) throws StoreException {
        lock.lock();
        try {
            Msg m = msg(uid);
            if (m == null) throw new StoreException(StoreException.Reason.EXPUNGED, "message was expunged");
            return m.ref;
        } finally {
            lock.unlock();
        }
    }

    /** XXX derived values are kept in memory only: lost on restart and recomputed. */
    byte[] cached(long uid, int slot) {
        lock.lock();
        try {
            byte[][] c = cache.get(uid);
            return c == null || slot < 0 || slot >= c.length ? null : c[slot];
        } finally {
            lock.unlock();
        }
    }

    void putCached(long uid, int slot, byte[] value) {
        if (slot < 0 || slot >= 16) throw new IllegalArgumentException("slot " + slot);
        lock.lock();
        try {
            if (msg(uid) == null) return;
            cache.computeIfAbsent(uid, u -> new byte[16][])[slot] = value;
        } finally {
            lock.unlock();
        }
    }

    Msg msg(long uid) {
        int lo = 0, hi = msgs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = msgs.get(mid).uid;
            if (u < uid) lo = mid + 1;
            else if (u > uid) hi = mid - 1;
            else return msgs.get(mid);
        }
        return null;
    }

    // ---- events (as in the Maildir FolderState) --------------------------------------------------------

    private void publish(List<FolderEvent> out) {
        events.publish(out);
    }

    void notifyViews() {
        List<Runnable> wake = new ArrayList<>();
        lock.lock();
        try {
            for (MboxMailbox v : views) {
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
                log.warn("{}: INBOX change callback failed", account, e);
            }
        }
    }

    /**
     * Current refs, ascending, unmodifiable; under the lock. Views that open while nothing changed
     * share one list (as in the Maildir store), so that {@link org.mailroom.core.store.FolderEvents#replay}
     * replays a change once for all of them. Compared ref by ref rather than invalidated at each
     * change: a walk is what building the list costs anyway.
     */
    List<MessageRef> refs() {
        List<MessageRef> l = refs;
        if (l != null && l.size() == msgs.size()) {
            int i = 0;
            while (i < msgs.size() && msgs.get(i).ref == l.get(i)) i++;
            if (i == msgs.size()) return l;
        }
        MessageRef[] a = new MessageRef[msgs.size()];
        for (int i = 0; i < a.length; i++) a[i] = msgs.get(i).ref;
        refs = java.util.Collections.unmodifiableList(java.util.Arrays.asList(a));
        return refs;
    }

    /** {@link #refs()} as last built. */
    private List<MessageRef> refs;
}
