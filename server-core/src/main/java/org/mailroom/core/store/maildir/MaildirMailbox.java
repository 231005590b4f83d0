package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreException;

/**
 * One session's view of a Maildir folder: a snapshot of the shared {@link FolderState} that moves
 * forward in {@link #changes()} by replaying the folder's events from this view's position.
 */
final class MaildirMailbox implements Mailbox {
    private final MaildirStore store;
    private final FolderState f;
    private final boolean readOnly;
    private List<MessageRef> snapshot;
    private long uidValidity, uidNext, highestModSeq;
    private Set<String> keywords;
    // guarded by f.lock
    private long position;
    private Runnable callback;
    /** UIDs \Recent in this view: one range [recentFrom, recentTo] per claim, usually one. */
    private final List<long[]> recent = new ArrayList<>(1);
    private boolean closed;

    /** Called with {@code f.lock} held. */
    MaildirMailbox(MaildirStore store, FolderState f, boolean readOnly) {
        this.store = store;
        this.f = f;
        this.readOnly = readOnly;
        this.snapshot = f.refs();
        this.position = f.events.join();
        takeHeader();
        claimRecent();
        f.views.add(this);
    }

    private void takeHeader() {
        uidValidity = f.uidValidity;
        uidNext = f.uidNext;
        highestModSeq = f.highestModSeq;
        if (keywords == null || keywords.size() != f.keywords.size()) keywords = Set.copyOf(f.keywords); // only grows
    }

    /** RFC 3501 2.3.2: the first read-write view to see a new message gets it as \Recent. */
    private void claimRecent() {
        if (readOnly || f.uidNext - 1 <= f.recentUpTo) return;
        recent.add(new long[] {f.recentUpTo + 1, f.uidNext - 1});
        f.recentUpTo = f.uidNext - 1;
    }

    long position() { return position; }

    Runnable callback() { return callback; }

    @Override public String account() { return f.account; }
    @Override public String name() { return f.name; }
    @Override public boolean readOnly() { return readOnly; }
    @Override public boolean gone() { return f.unloaded(); }
    @Override public long uidValidity() { return uidValidity; }
    @Override public long uidNext() { return uidNext; }
    @Override public long highestModSeq() { return highestModSeq; }
    @Override public List<MessageRef> messages() { return snapshot; }
    @Override public Set<String> keywords() { return keywords; }

    @Override
    public boolean recent(long uid) {
        for (long[] r : recent) if (uid >= r[0] && uid <= r[1]) return true;
        return false;
    }

    @Override
    public int recentCount() {
        return org.mailroom.core.store.ViewReplay.countIn(snapshot, recent);
    }

    @Override
    public void refresh() throws IOException {
        f.refresh();
    }

    @Override
    public boolean hasChanges() {
        return f.events.pending(position); // no lock: position is this view's, read on its thread
    }

    @Override
    public boolean hasPendingExpunges() {
        return f.events.expungePending(position);
    }

    @Override
    public Changes changes() {
        List<org.mailroom.core.store.FolderEvent> evs;
        long from, to;
        f.lock.lock();
        try {
            from = position;
            evs = f.events.take(position);
            position = to = f.events.end();
            takeHeader();
            claimRecent();
        } finally {
            f.lock.unlock();
        }
        org.mailroom.core.store.ViewReplay.Result r = f.events.replay(snapshot, from, to, evs, this);
        snapshot = r.snapshot();
        return r.changes();
    }

    @Override
    public void onChange(Runnable cb) {
        f.lock.lock();
        try {
            callback = cb;
        } finally {
            f.lock.unlock();
        }
    }

    @Override
    public InputStream open(long uid) throws IOException {
        return f.open(uid);
    }

    @Override
    public MessageRef measure(long uid) throws IOException {
        return f.measure(uid);
    }

    private void requireWritable() throws StoreException {
        if (readOnly) throw new StoreException(StoreException.Reason.CANNOT, "mailbox is read-only");
    }

    @Override
    public StoreResult store(Collection<Long> uids, FlagMode mode, Set<Flag> flags, Set<String> kws,
                             long unchangedSince) throws IOException {
        return store(uids, mode, flags, kws, unchangedSince, null);
    }

    @Override
    public StoreResult store(Collection<Long> uids, FlagMode mode, Set<Flag> flags, Set<String> kws,
                             long unchangedSince, java.util.function.Consumer<List<MessageRef>> progress) throws IOException {
        requireWritable();
        return f.store(uids, mode, flags, kws, unchangedSince, this, progress);
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws IOException {
        requireWritable();
        return f.expunge(uids);
    }

    @Override
    public Placed append(MessageContent content, Set<Flag> flags, Set<String> kws, Instant internalDate)
            throws IOException {
        store.checkQuota(f.account, content.size() + content.lines());
        long size = content.size(), rfc822 = size + content.lines();
        String name = MaildirName.unique(store.hostname(), size, rfc822);
        Path tmp = f.dir.resolve("tmp").resolve(name);
        store.ensureMaildir(f.dir);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             InputStream in = content.open()) {
            OutputStream out = Channels.newOutputStream(ch);
            in.transferTo(out);
            ch.force(false);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        long date = internalDate != null ? internalDate.toEpochMilli() : System.currentTimeMillis();
        if (internalDate != null) Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(internalDate));
        try {
            List<Long> uids = f.addStaged(List.of(new FolderState.Staged(name, size, rfc822, date, Flag.bits(flags), kws)));
            return new Placed(f.uidValidity, uids);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public Copied copy(Collection<Long> uids, String destination, boolean move) throws IOException {
        if (move) requireWritable();
        return store.copy(f, uids, destination, move, this);
    }

    @Override
    public byte[] cached(long uid, int slot) throws IOException {
        long at;
        f.lock.lock();
        try {
            FolderState.Msg m = f.msg(uid);
            if (m == null || m.cacheAt == null) return null;
            at = m.cacheAt[slot];
            if (at != 0) f.cache.flushFor(at);
        } finally {
            f.lock.unlock();
        }
        return at == 0 ? null : f.cache.read(at);
    }

    @Override
    public void putCached(long uid, int slot, byte[] value) throws IOException {
        if (slot < 0 || slot >= FolderCache.SLOTS) throw new IllegalArgumentException("slot " + slot);
        f.lock.lock();
        try {
            FolderState.Msg m = f.msg(uid);
            if (m == null) return;
            long at = f.cache.append(uid, slot, value);
            if (at == 0) return;
            if (m.cacheAt == null) m.cacheAt = new long[FolderCache.SLOTS];
            m.cacheAt[slot] = at;
        } finally {
            f.lock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        store.release(f, this);
    }
}
