package org.mailroom.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One session's view of an open folder. The store keeps one shared state per folder; each view has
 * its own snapshot ({@link #messages()}) that moves forward only in {@link #changes()}, so a session
 * decides when it may learn of expunges (IMAP forbids announcing them at some moments, RFC 9051
 * 7.5.1). Every change, this view's own included, reaches the snapshot through {@link #changes()}.
 *
 * <p>Methods that say "blocking" do disk I/O and are called on the blocking executor; the others
 * only touch memory under a short lock and may run on an event loop. One session uses a view from
 * one thread at a time; different views of one folder are used concurrently. The read side of a
 * view ({@link #open}, {@link #measure}, {@link #cached}, {@link #putCached}) may also be called
 * from several threads at once, so that one session can read many messages in parallel.
 */
public interface Mailbox extends Closeable {

    String account();

    /** The folder's name ({@code INBOX}, {@code Archive/2024}), hierarchy delimiter {@code /}. */
    String name();

    boolean readOnly();

    /** RFC 9051 2.3.1.1; changes only when the index had to be rebuilt with new UIDs. */
    long uidValidity();

    /** The UID the next new message will get (as of this view's snapshot). */
    long uidNext();

    /** RFC 7162 HIGHESTMODSEQ as of this view's snapshot. */
    long highestModSeq();

    /** The snapshot, ascending by UID; an unmodifiable list that {@link #changes()} replaces. */
    List<MessageRef> messages();

    /** Keywords defined in this folder (RFC 9051 7.3.5 FLAGS lists them). */
    Set<String> keywords();

    /** Whether the message is \Recent for this view (RFC 3501 2.3.2: only one session sees it so). */
    boolean recent(long uid);

    /**
     * How many messages of the snapshot are \Recent for this view (the {@code * n RECENT} of an
     * IMAP4rev1 update). The stores count their few ranges of UIDs by binary search; this default
     * walks the snapshot.
     */
    default int recentCount() {
        int n = 0;
        for (MessageRef r : messages()) if (recent(r.uid())) n++;
        return n;
    }

    /**
     * Blocking. Picks up what changed on disk behind the store's back (deliveries, other Maildir
     * tools) and publishes it to every view. Cheap when nothing changed (directory times).
     */
    void refresh() throws IOException;

    /** What {@link #changes()} returns: applied to the snapshot in this order. */
    record Changes(List<Long> expunged, List<MessageRef> changed, List<MessageRef> added) {
        public static final Changes NONE = new Changes(List.of(), List.of(), List.of());

        public boolean isEmpty() { return expunged.isEmpty() && changed.isEmpty() && added.isEmpty(); }
    }

    /**
     * Moves the snapshot forward to the folder's current state and says what that changed. Flag
     * changes made through this view are applied silently (the session reported them already).
     */
    Changes changes();

    /**
     * Whether the folder was deleted or renamed since this view opened it (by this or another
     * session, or on disk); the view's messages can no longer be read. Cheap and never blocks.
     */
    default boolean gone() { return false; }

    /** Whether {@link #changes()} would return something (a cheap check for IDLE; takes no lock). */
    boolean hasChanges();

    /**
     * Whether {@link #changes()} would report an expunge: IMAP may not send those during some
     * commands (RFC 9051 7.5.1), but may send the other changes.
     */
    boolean hasPendingExpunges();

    /**
     * Registers the one callback run (on whatever thread made the change, with no lock held) when
     * changes become pending for this view; {@code null} removes it. It must not block, and should
     * only hand work over (a delivery runs the callbacks of every view of the folder before it
     * returns: 1,000 idling sessions). It may run again while the changes are still unread.
     */
    void onChange(Runnable callback);

    /**
     * Blocking. The message's octets as stored (LF line ends for our deliveries; other tools' files
     * may have CRLF).
     *
     * @throws StoreException {@link StoreException.Reason#EXPUNGED} when it is gone
     */
    InputStream open(long uid) throws IOException;

    /**
     * Blocking. The message's current ref with {@code size} and {@code rfc822Size} known: files that
     * other tools wrote carry no sizes in their names, and their refs say -1 until measured once.
     *
     * @throws StoreException {@link StoreException.Reason#EXPUNGED} when it is gone
     */
    MessageRef measure(long uid) throws IOException;

    /** How flags change: RFC 9051 6.4.6 FLAGS, +FLAGS, -FLAGS. */
    enum FlagMode { REPLACE, ADD, REMOVE }

    /** The result of {@link #store}. */
    record StoreResult(List<MessageRef> updated, List<Long> failedUnchangedSince) {}

    /**
     * Blocking. Changes flags and keywords of these messages (UIDs not in the folder any more are
     * ignored). Maildir: the file is renamed with its new {@code :2,} letters; keywords and
     * mod-sequences live in the index. Each changed message gets a new mod-sequence.
     *
     * @param unchangedSince RFC 7162 3.1.3: messages whose mod-sequence is greater are not changed
     *                       and are returned in {@code failedUnchangedSince}; {@code -1} for none
     * @return the refs after the change, for every message that exists (changed or not)
     * @throws StoreException {@link StoreException.Reason#LIMIT} for too many keywords
     */
    StoreResult store(Collection<Long> uids, FlagMode mode, Set<Flag> flags, Set<String> keywords,
                      long unchangedSince) throws IOException;

    /**
     * {@link #store(Collection, FlagMode, Set, Set, long)} that hands {@code progress} the first
     * refs of {@link StoreResult#updated} in batches while it goes (on the calling thread, in
     * order; the rest only in the result), so that the caller can send them while the files of
     * the others are renamed. The default hands over none.
     */
    default StoreResult store(Collection<Long> uids, FlagMode mode, Set<Flag> flags, Set<String> keywords,
                              long unchangedSince, java.util.function.Consumer<List<MessageRef>> progress)
            throws IOException {
        return store(uids, mode, flags, keywords, unchangedSince);
    }

    /**
     * Blocking. Removes these messages durably. UIDs that are already gone are ignored.
     *
     * @return the UIDs actually removed
     */
    List<Long> expunge(Collection<Long> uids) throws IOException;

    /** Where an appended or copied message went (RFC 4315 APPENDUID / COPYUID). */
    record Placed(long uidValidity, List<Long> uids) {}

    /**
     * Blocking. Adds a message to this folder, durable when it returns.
     *
     * @param internalDate {@code null} for now
     * @throws StoreException {@link StoreException.Reason#OVER_QUOTA}
     */
    Placed append(MessageContent content, Set<Flag> flags, Set<String> keywords, Instant internalDate)
            throws IOException;

    /**
     * Blocking. Copies (or moves: copy, then expunge here) these messages into another folder of the
     * same account, keeping flags, keywords and internal dates, in UID order.
     *
     * @return the destination UIDs, in the order of the source UIDs that still existed; and those
     *         source UIDs via {@code sourceUids}
     * @throws StoreException {@link StoreException.Reason#NONEXISTENT} when the destination is missing
     */
    Copied copy(Collection<Long> uids, String destination, boolean move) throws IOException;

    record Copied(long destUidValidity, List<Long> sourceUids, List<Long> destUids) {}

    /**
     * Blocking. A cached, derived value of a message (IMAP keeps its ENVELOPE and BODYSTRUCTURE
     * here), or {@code null}. Slots are small integers chosen by the caller.
     */
    byte[] cached(long uid, int slot) throws IOException;

    /**
     * Blocking. Stores a derived value; lost values are recomputed, so this does not fsync, and a
     * store may collect values in memory and write them in batches (at the latest when the view
     * is closed).
     */
    void putCached(long uid, int slot, byte[] value) throws IOException;

    /**
     * Shortcut for POP3 and tests: {@link #refresh()} then {@link #changes()}.
     *
     * @return the new snapshot
     */
    default List<MessageRef> sync() throws IOException {
        refresh();
        changes();
        return messages();
    }

    /** Ends the view; the folder state is kept for a while for the next SELECT. */
    @Override
    void close();
}
