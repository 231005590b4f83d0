package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreException;

/**
 * One session's view of an mbox INBOX: a snapshot of the shared {@link MboxFolder} that moves
 * forward in {@link #changes()} by replaying the folder's events from this view's position (the
 * same contract and replay as the Maildir view).
 */
final class MboxMailbox implements Mailbox {
    private final MboxStore store;
    private final MboxFolder f;
    private final boolean readOnly;
    private List<MessageRef> snapshot;
    private long uidValidity, uidNext, highestModSeq;
    private Set<String> keywords;
    // guarded by f.lock
    private long position;
    private Runnable callback;
    private final List<long[]> recent = new ArrayList<>(1);
    private boolean closed;

    /** Called with {@code f.lock} held. */
    MboxMailbox(MboxStore store, MboxFolder f, boolean readOnly) {
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
        if (keywords == null || keywords.size() != f.keywords.size()) { // only ever grows
            Set<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            k.addAll(f.keywords);
            keywords = Collections.unmodifiableSet(k);
        }
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
    @Override public String name() { return "INBOX"; }
    @Override public boolean readOnly() { return readOnly; }
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
        requireWritable();
        return f.store(uids, mode, flags, kws, unchangedSince, this);
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
        long uid = f.append(content, Flag.bits(flags), kws, internalDate);
        return new Placed(f.uidValidity, List.of(uid));
    }

    @Override
    public Copied copy(Collection<Long> uids, String destination, boolean move) throws IOException {
        if (move) requireWritable();
        return store.copy(this, account(), uids, destination, move);
    }

    @Override
    public byte[] cached(long uid, int slot) {
        return f.cached(uid, slot);
    }

    @Override
    public void putCached(long uid, int slot, byte[] value) {
        f.putCached(uid, slot, value);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        f.lock.lock();
        try {
            f.views.remove(this);
            f.events.leave(position);
        } finally {
            f.lock.unlock();
        }
    }
}
