package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.imap.wire.ImapWriter;
import org.mailroom.imap.wire.SequenceSet;

/**
 * The selected mailbox of one session over a store {@link Mailbox} view. Sequence numbers are the
 * positions in the view's snapshot ({@code seq n} is {@code messages().get(n - 1)}), so they change
 * only when {@link #flushUpdates} applies the store's changes and tells the client (RFC 9051 7.5.1:
 * EXISTS, EXPUNGE, FETCH FLAGS at the right moments). Also keeps the SEARCHRES saved result
 * (RFC 5182) and the flags this client was last told exist.
 *
 * <p>Used on the session's event loop, except the store calls its handlers make on the blocking
 * executor (the view is used from one thread at a time, as {@link Mailbox} requires).
 */
final class SelectedView implements SelectedMailbox {
    static final List<String> SYSTEM_FLAGS = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft");

    /** The order Dovecot and RFC 9051's examples list system flags in. */
    private static final Flag[] ORDER = {Flag.ANSWERED, Flag.FLAGGED, Flag.DELETED, Flag.SEEN, Flag.DRAFT};

    /**
     * The system flags of each {@link Flag#bits} value in {@link #ORDER}, then {@code \Recent} when
     * bit {@code ORDER.length} is set, space-separated: a listing of 100,000 messages writes these
     * few strings over and over.
     */
    private static final byte[][] SYSTEM_TEXT = new byte[1 << (ORDER.length + 1)][];

    static {
        for (int i = 0; i < SYSTEM_TEXT.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (Flag f : ORDER) {
                if ((i & (1 << f.ordinal())) == 0) continue;
                if (sb.length() > 0) sb.append(' ');
                sb.append(f.imapName());
            }
            if ((i & (1 << ORDER.length)) != 0) sb.append(sb.length() > 0 ? " " : "").append("\\Recent");
            SYSTEM_TEXT[i] = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private final Mailbox box;
    private final ImapContext ctx;
    private Set<String> announcedKeywords;
    /** RFC 5182 {@code $}: UIDs of the last SEARCH ... RETURN (SAVE); empty at selection. */
    private List<Long> saved = List.of();

    SelectedView(Mailbox box, ImapContext ctx) {
        this.box = box;
        this.ctx = ctx;
        this.announcedKeywords = box.keywords();
    }

    Mailbox box() { return box; }

    List<MessageRef> messages() { return box.messages(); }

    @Override
    public boolean readOnly() { return box.readOnly(); }

    @Override
    public boolean gone() { return box.gone(); }

    boolean condstore() { return ctx.enabled(Extension.CONDSTORE); }

    boolean qresync() { return ctx.enabled(Extension.QRESYNC); }

    boolean rev2() { return ctx.enabled(Extension.IMAP4REV2); }

    List<Long> saved() { return saved; }

    void save(List<Long> uids) { saved = List.copyOf(uids); }

    // ---- sequence numbers -----------------------------------------------------------------------

    /** 1-based sequence number of {@code uid}, or 0 when this client does not know it. */
    int seqOf(long uid) {
        List<MessageRef> l = box.messages();
        // responses go in ascending order: the message after the last one asked for is the usual answer
        int h = lastSeqIndex + 1;
        if (h >= 0 && h < l.size() && l.get(h).uid() == uid) {
            lastSeqIndex = h;
            return h + 1;
        }
        int lo = 0, hi = l.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = l.get(mid).uid();
            if (u < uid) lo = mid + 1;
            else if (u > uid) hi = mid - 1;
            else {
                lastSeqIndex = mid;
                return mid + 1;
            }
        }
        return 0;
    }

    /** Where {@link #seqOf} last found a message (a hint; any value is safe). */
    private int lastSeqIndex = -1;

    /**
     * The messages a sequence set names, ascending. Sequence numbers beyond the mailbox are a BAD
     * (RFC 9051 9: they must be valid); UIDs that do not exist are skipped (RFC 9051 6.4.9). {@code *}
     * is the last message (or, in an empty mailbox, nothing). {@code $} is the saved result.
     */
    List<MessageRef> resolve(SequenceSet set, boolean uid) {
        List<MessageRef> l = box.messages();
        ArrayList<MessageRef> out = new ArrayList<>();
        if (set.isSavedResult()) {
            Set<Long> s = new HashSet<>(saved);
            for (MessageRef r : l) if (s.contains(r.uid())) out.add(r);
            return out;
        }
        if (l.isEmpty()) {
            if (!uid && !set.usesStar()) throw new ImapBad("invalid sequence set: the mailbox is empty");
            return out;
        }
        // each range as an interval of positions in l; sorted and merged, they give each message once, in order
        List<int[]> spans = new ArrayList<>();
        if (uid) {
            long largest = l.get(l.size() - 1).uid();
            for (long[] r : set.ranges(largest)) spans.add(new int[] {lowerBound(l, r[0]), lowerBound(l, r[1] + 1)});
        } else {
            long n = l.size();
            for (long[] r : set.ranges(n)) {
                if (r[1] > n || r[0] < 1) throw new ImapBad("invalid sequence set: message " + r[1] + " does not exist");
                spans.add(new int[] {(int) r[0] - 1, (int) r[1]});
            }
        }
        spans.sort((a, b) -> Integer.compare(a[0], b[0]));
        int total = 0, end = 0;
        for (int[] sp : spans) {
            total += Math.max(0, sp[1] - Math.max(sp[0], end));
            end = Math.max(end, sp[1]);
        }
        out.ensureCapacity(total);
        end = 0;
        for (int[] sp : spans) {
            int from = Math.max(sp[0], end);
            if (from < sp[1]) out.addAll(l.subList(from, sp[1]));
            end = Math.max(end, sp[1]);
        }
        return out;
    }

    /** The position of the first message in {@code l} whose UID is at least {@code uid}. */
    private static int lowerBound(List<MessageRef> l, long uid) {
        int lo = 0, hi = l.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (l.get(mid).uid() < uid) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Numbers as a sequence set in short form: {@code 1:3,7} (RFC 9051 9 {@code sequence-set}). */
    static String compact(Collection<Long> numbers) {
        List<Long> l = new ArrayList<>(numbers);
        java.util.Collections.sort(l);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < l.size()) {
            long start = l.get(i), end = start;
            while (i + 1 < l.size() && l.get(i + 1) <= end + 1) end = l.get(++i);
            if (sb.length() > 0) sb.append(',');
            sb.append(start);
            if (end != start) sb.append(':').append(end);
            i++;
        }
        return sb.toString();
    }

    static List<Long> uids(Collection<MessageRef> refs) {
        List<Long> l = new ArrayList<>(refs.size());
        for (MessageRef r : refs) l.add(r.uid());
        return l;
    }

    // ---- flags ----------------------------------------------------------------------------------

    /** {@code (\Seen $Junk)}, with {@code \Recent} for IMAP4rev1 clients (RFC 3501 2.3.2). */
    void flags(ImapWriter w, MessageRef r) {
        w.open();
        boolean recent = !rev2() && box.recent(r.uid());
        byte[] system = SYSTEM_TEXT[(recent ? 1 << ORDER.length : 0) | Flag.bits(r.flags())];
        w.raw(system);
        boolean first = system.length == 0;
        for (String k : r.keywords()) {
            if (!first) w.raw(' ');
            w.raw(k);
            first = false;
        }
        w.close();
    }

    /** {@code * FLAGS} and {@code * OK [PERMANENTFLAGS]} (RFC 9051 7.3.5, 7.1). */
    void writeFlags(ImapWriter w) {
        announcedKeywords = box.keywords();
        List<String> all = new ArrayList<>(SYSTEM_FLAGS);
        all.addAll(announcedKeywords);
        w.untagged().atom("FLAGS").flags(all).crlf();
        w.untagged().atom("OK").beginCode().atom("PERMANENTFLAGS");
        if (box.readOnly()) {
            w.atom("()");
        } else {
            List<String> perm = new ArrayList<>(all);
            perm.add("\\*");
            w.flags(perm);
        }
        w.endCode().text(box.readOnly() ? "Read-only mailbox" : "Flags permitted").crlf();
    }

    /** One {@code * n FETCH (FLAGS ...)} for a flag change, with UID and MODSEQ as enabled. */
    void writeFlagFetch(ImapWriter w, int seq, MessageRef r, boolean withUid) {
        w.untagged().number(seq).atom("FETCH").open();
        if (withUid || qresync()) {
            w.raw("UID ").rawNumber(r.uid()).raw(' ');
        }
        w.raw("FLAGS");
        flags(w, r);
        if (condstore()) w.raw(" MODSEQ (").rawNumber(r.modSeq()).raw(')');
        w.close().crlf();
    }

    // ---- SelectedMailbox ------------------------------------------------------------------------

    @Override
    public void flushUpdates(ByteBuf out, boolean expungeAllowed) {
        if (!box.hasChanges()) return;
        if (!expungeAllowed && box.hasPendingExpunges()) {
            // XXX the store hands changes over as one batch; while expunges may not be sent, the
            // other changes wait with them (RFC 9051 7.5.1 allows delaying all of them)
            return;
        }
        List<MessageRef> old = box.messages();
        int oldSize = old.size();
        Mailbox.Changes c = box.changes();
        ImapWriter w = new ImapWriter(out);
        if (!c.expunged().isEmpty()) {
            if (qresync()) {
                w.untagged().atom("VANISHED").atom(compact(c.expunged())).crlf();
            } else {
                // descending: each number is still the one the client knows (RFC 9051 7.5.1)
                List<Integer> seqs = new ArrayList<>(c.expunged().size());
                Set<Long> gone = new HashSet<>(c.expunged());
                for (int i = 0; i < oldSize; i++) if (gone.contains(old.get(i).uid())) seqs.add(i + 1);
                for (int i = seqs.size() - 1; i >= 0; i--) w.untagged().number(seqs.get(i)).atom("EXPUNGE").crlf();
            }
        }
        if (!box.keywords().equals(announcedKeywords)) writeFlags(w);
        for (MessageRef r : c.changed()) {
            int seq = seqOf(r.uid());
            if (seq > 0) writeFlagFetch(w, seq, r, false);
        }
        if (!c.added().isEmpty()) {
            w.untagged().number(box.messages().size()).atom("EXISTS").crlf();
            if (!rev2()) {
                w.untagged().number(box.recentCount()).atom("RECENT").crlf();
            }
        }
    }

    @Override
    public void onUpdate(Runnable wake) {
        box.onChange(wake);
    }

    @Override
    public void close() {
        box.close();
    }
}
