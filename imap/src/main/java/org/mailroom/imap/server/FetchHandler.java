package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.mailroom.core.exec.Parallel;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreException;
import org.mailroom.imap.message.Envelope;
import org.mailroom.imap.message.MessageSource;
import org.mailroom.imap.message.MessageStructure;
import org.mailroom.imap.message.SectionContent;
import org.mailroom.imap.message.Sections;
import org.mailroom.imap.message.StructureFormatException;
import org.mailroom.imap.message.UnknownCteException;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.FetchItem;
import org.mailroom.imap.wire.ImapWriter;

/**
 * FETCH and UID FETCH (RFC 9051 6.4.5, 7.5.2; RFC 3516 BINARY; RFC 7162 CHANGEDSINCE, VANISHED,
 * MODSEQ). Responses are streamed in batches on the blocking executor with backpressure. ENVELOPE
 * and the MIME structure are computed once per message and kept in the folder's cache (slots
 * {@link #ENVELOPE} and {@link #STRUCTURE}), so listing a large folder reads only the cache after
 * the first time, and the first time reads only the message headers for ENVELOPE; the header
 * fields SEARCH uses most are kept beside them ({@link #SEARCH_HEADER}).
 *
 * <p>Non-PEEK body sections set \Seen (RFC 9051 6.4.5) in a read-write mailbox, and that FETCH
 * response then carries the new FLAGS.
 */
final class FetchHandler implements ImapHandler<Command.Fetch> {
    static final int ENVELOPE = 0;
    static final int STRUCTURE = 1;
    /** {@link Envelope#SEARCH_FIELDS} of the header, for SEARCH (see SearchHandler). */
    static final int SEARCH_HEADER = 2;
    private static final DateTimeFormatter INTERNALDATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    /** Messages whose envelope, structure and size one parallel step prepares ahead of the writer. */
    private static final int WINDOW = 1024;
    private static final int CLAIM = 16;
    /** A message of unknown CRLF size up to this long is read into memory once for BODY[]. */
    private static final int READ_WHOLE = 1 << 20;

    private final ZoneId zone;
    private final java.util.concurrent.Executor executor;
    private final int parallelism, inFlight;

    /** {@code parallelism}: workers for cached data; {@code inFlight}: file reads at most (see {@link Parallel.Width}). */
    FetchHandler(ZoneId zone, org.mailroom.core.exec.BlockingExecutor blocking, int parallelism, int inFlight) {
        this.zone = zone;
        this.executor = r -> blocking.submit(() -> {
            r.run();
            return null;
        });
        this.parallelism = parallelism;
        this.inFlight = inFlight;
    }

    @Override
    public Completion handle(ImapContext ctx, Command.Fetch c) {
        SelectedView v = (SelectedView) ctx.selected();
        List<FetchItem> items = new ArrayList<>(c.items());
        if (c.uid() && !items.contains(FetchItem.Simple.UID)) items.add(0, FetchItem.Simple.UID); // RFC 9051 6.4.9
        if (c.changedSince() >= 0 || items.contains(FetchItem.Simple.MODSEQ)) ctx.enable(Extension.CONDSTORE);
        if (c.changedSince() >= 0 && !items.contains(FetchItem.Simple.MODSEQ)) items.add(FetchItem.Simple.MODSEQ); // RFC 7162 3.1.4.1
        boolean condstore = ctx.enabled(Extension.CONDSTORE);
        if (condstore && items.contains(FetchItem.Simple.FLAGS) && !items.contains(FetchItem.Simple.MODSEQ)) {
            items.add(FetchItem.Simple.MODSEQ); // RFC 7162 3.2.4 (and what Dovecot does): flags go with their mod-sequence
        }
        List<MessageRef> refs = v.resolve(c.set(), c.uid());
        if (c.changedSince() >= 0) {
            List<MessageRef> changed = new ArrayList<>();
            for (MessageRef r : refs) if (r.modSeq() > c.changedSince()) changed.add(r);
            refs = changed;
        }
        boolean setsSeen = !v.readOnly() && items.stream().anyMatch(FetchHandler::setsSeen);
        if (c.vanished()) writeVanished(ctx, v, c);
        Job job = new Job(ctx, v, items, refs, setsSeen);
        return Completion.later(ctx.stream(job::next, true).thenApply(x -> {
            if (job.expunged) throw new ImapNo("EXPUNGEISSUED", "Some messages were expunged meanwhile");
            return Completion.ok();
        }));
    }

    /**
     * Whether an item needs the MIME structure. The message's own sections (BODY[], HEADER, TEXT,
     * HEADER.FIELDS, RFC822*) do not: they are cut from the file by its sizes and header alone, so
     * a client that downloads messages or lists headers never makes the whole message be parsed.
     * A partial of them does (its seek marks), as do parts and BODY/BODYSTRUCTURE.
     */
    private static boolean needsStructure(FetchItem i) {
        if (i == FetchItem.Simple.BODY || i == FetchItem.Simple.BODYSTRUCTURE) return true;
        if (i instanceof FetchItem.Body b) return b.partial() || b.section().part().length > 0
                || b.section().kind() == org.mailroom.imap.wire.Section.Kind.MIME;
        if (i instanceof FetchItem.Binary b) return b.partial() || b.part().length > 0;
        if (i instanceof FetchItem.BinarySize b) return b.part().length > 0;
        return false;
    }

    private static boolean setsSeen(FetchItem i) {
        return i == FetchItem.Simple.RFC822 || i == FetchItem.Simple.RFC822_TEXT
                || i instanceof FetchItem.Body b && !b.peek() || i instanceof FetchItem.Binary b && !b.peek();
    }

    /** RFC 7162 3.2.6: the UIDs of the set that are gone (those we cannot tell apart from never used). */
    private static void writeVanished(ImapContext ctx, SelectedView v, Command.Fetch c) {
        List<MessageRef> l = v.messages();
        long top = v.box().uidNext() - 1;
        java.util.Set<Long> present = new java.util.HashSet<>();
        for (MessageRef r : l) present.add(r.uid());
        List<Long> gone = new ArrayList<>();
        for (long[] r : c.set().ranges(top)) {
            for (long u = r[0]; u <= Math.min(r[1], top) && gone.size() < 100_000; u++) if (!present.contains(u)) gone.add(u);
        }
        if (!gone.isEmpty()) ctx.untagged("VANISHED (EARLIER) " + SelectedView.compact(gone));
    }

    /** One FETCH in progress: the next batch starts at {@link #pos}. Used by one thread at a time. */
    private final class Job {
        final ImapContext ctx;
        final SelectedView v;
        final List<FetchItem> items;
        final List<MessageRef> refs;
        final boolean setsSeen;
        final boolean needsStructure;
        final boolean needsEnvelope;
        final boolean needsSize;
        int pos;
        boolean expunged;
        /** What {@link #prepare} made for {@code refs[windowStart, windowEnd)}, by offset in the window. */
        int windowStart, windowEnd;
        /** Length of a window (the arrays). */
        final int window;
        final MessageStructure[] structures;
        final byte[][] envelopes;
        final MessageRef[] measured;
        /** Workers for the windows: widened while the files come from the disk, not the page cache. */
        final Parallel.Width width = new Parallel.Width(parallelism, inFlight);

        Job(ImapContext ctx, SelectedView v, List<FetchItem> items, List<MessageRef> refs, boolean setsSeen) {
            this.ctx = ctx;
            this.v = v;
            this.items = items;
            this.refs = refs;
            this.setsSeen = setsSeen;
            boolean s = false, e = false;
            for (FetchItem i : items) {
                if (i == FetchItem.Simple.ENVELOPE) e = true;
                else if (needsStructure(i)) s = true;
            }
            this.needsStructure = s;
            this.needsEnvelope = e;
            this.needsSize = items.contains(FetchItem.Simple.RFC822_SIZE);
            this.window = Math.min(WINDOW, refs.size());
            int w = window;
            this.structures = s ? new MessageStructure[w] : null;
            this.envelopes = e ? new byte[w][] : null;
            this.measured = needsSize ? new MessageRef[w] : null;
        }

        /**
         * Reads or computes the structures, envelopes and sizes of the next window of messages on
         * all cores: listing a folder whose cache is cold (a first ENVELOPE FETCH, a Maildir other
         * programs filled) is bound by reading the files, and each message is independent.
         */
        private void prepare(Mailbox box) throws IOException {
            windowStart = pos;
            windowEnd = Math.min(refs.size(), pos + window);
            if (!needsStructure && !needsEnvelope && !needsSize) return;
            if (structures != null) java.util.Arrays.fill(structures, null);
            if (envelopes != null) java.util.Arrays.fill(envelopes, null);
            if (measured != null) java.util.Arrays.fill(measured, null);
            int base = windowStart;
            Parallel.forRange(windowEnd - windowStart, CLAIM, executor, width, () -> (from, to) -> {
                for (int k = from; k < to; k++) {
                    MessageRef r = refs.get(base + k);
                    long uid = r.uid();
                    boolean unsized = needsSize && r.rfc822Size() < 0;
                    try {
                        MessageStructure st = needsStructure ? structure(box, uid) : null;
                        if (needsStructure) structures[k] = st;
                        // one read of the file for both: the store measures a message read to its end
                        if (needsEnvelope) envelopes[k] = envelope(box, uid, st, unsized);
                        if (unsized) measured[k] = box.measure(uid);
                    } catch (StoreException x) {
                        // expunged meanwhile, or refused: write() meets it again and reports it
                    }
                }
            });
        }


        boolean next(ByteBuf out) throws IOException {
            Mailbox box = v.box();
            int end = pos;
            // \Seen for this batch first, in one store call
            Map<Long, MessageRef> seen = Map.of();
            if (setsSeen) {
                List<Long> unseen = new ArrayList<>();
                for (int i = pos; i < refs.size() && i < pos + 256; i++) if (!refs.get(i).has(Flag.SEEN)) unseen.add(refs.get(i).uid());
                if (!unseen.isEmpty()) {
                    seen = new HashMap<>();
                    for (MessageRef r : box.store(unseen, Mailbox.FlagMode.ADD, Set.of(Flag.SEEN), Set.of(), -1).updated()) {
                        if (r.has(Flag.SEEN)) seen.put(r.uid(), r);
                    }
                }
            }
            int limit = setsSeen ? Math.min(refs.size(), pos + 256) : refs.size();
            while (end < limit && out.writerIndex() < ResponseBatches.BATCH_OCTETS) {
                if (end >= windowEnd) {
                    pos = end;
                    prepare(box);
                }
                MessageRef r = refs.get(end++);
                MessageRef now = seen.get(r.uid());
                boolean changed = now != null && now.modSeq() != r.modSeq();
                try {
                    write(out, now != null ? now : r, changed, end - 1 - windowStart);
                } catch (StoreException e) {
                    if (e.reason() != StoreException.Reason.EXPUNGED) throw StoreCalls.refusal(e);
                    expunged = true;
                }
            }
            pos = end;
            return pos < refs.size();
        }

        private void write(ByteBuf out, MessageRef r, boolean flagsChanged, int k) throws IOException {
            Mailbox box = v.box();
            int seq = v.seqOf(r.uid());
            if (seq == 0) return;
            MessageStructure structure = !needsStructure ? null
                    : structures[k] != null ? structures[k] : structure(box, r.uid());
            byte[] envelope = !needsEnvelope ? null : envelopes[k] != null ? envelopes[k] : envelope(box, r.uid(), structure, false);
            long rfc822Size = r.rfc822Size() >= 0 ? r.rfc822Size() : needsSize && measured[k] != null ? measured[k].rfc822Size() : -1;
            int mark = out.writerIndex();
            ImapWriter w = new ImapWriter(out);
            w.untagged().number(seq).atom("FETCH").open();
            boolean flagsWritten = false;
            for (FetchItem i : items) {
                if (i instanceof FetchItem.Simple s) {
                    switch (s) {
                        case UID -> w.atom("UID").number(r.uid());
                        case FLAGS -> {
                            w.atom("FLAGS");
                            v.flags(w, r);
                            flagsWritten = true;
                        }
                        case INTERNALDATE -> w.atom("INTERNALDATE").string(INTERNALDATE.format(r.internalDate().atZone(zone)));
                        case RFC822_SIZE -> w.atom("RFC822.SIZE").number(rfc822Size >= 0 ? rfc822Size : box.measure(r.uid()).rfc822Size());
                        case ENVELOPE -> w.atom("ENVELOPE").raw(' ').raw(envelope);
                        case BODY -> w.atom("BODY").raw(' ').raw(structure.body());
                        case BODYSTRUCTURE -> w.atom("BODYSTRUCTURE").raw(' ').raw(structure.bodyStructure());
                        case MODSEQ -> w.atom("MODSEQ").raw(" (").rawNumber(r.modSeq()).raw(')');
                        case RFC822 -> literal(w, out, "RFC822", body(box, r, structure, org.mailroom.imap.wire.Section.WHOLE), false);
                        case RFC822_HEADER -> literal(w, out, "RFC822.HEADER", body(box, r, structure,
                                new org.mailroom.imap.wire.Section(new int[0], org.mailroom.imap.wire.Section.Kind.HEADER, List.of())), false);
                        case RFC822_TEXT -> literal(w, out, "RFC822.TEXT", body(box, r, structure,
                                new org.mailroom.imap.wire.Section(new int[0], org.mailroom.imap.wire.Section.Kind.TEXT, List.of())), false);
                    }
                } else if (i instanceof FetchItem.Body b) {
                    SectionContent sc = body(box, r, structure, b.section());
                    String name = "BODY[" + b.section().wire() + "]";
                    if (b.partial()) {
                        sc = sc.partial(b.partialStart(), b.partialCount());
                        name += "<" + b.partialStart() + ">";
                    }
                    literal(w, out, name, sc, false);
                } else if (i instanceof FetchItem.Binary b) {
                    SectionContent sc = binary(box, r, structure, b.part());
                    String name = "BINARY[" + partName(b.part()) + "]";
                    if (b.partial()) {
                        sc = sc.partial(b.partialStart(), b.partialCount());
                        name += "<" + b.partialStart() + ">";
                    }
                    literal(w, out, name, sc, true);
                } else if (i instanceof FetchItem.BinarySize b) {
                    w.atom("BINARY.SIZE[" + partName(b.part()) + "]").number(binary(box, r, structure, b.part()).size());
                }
            }
            if (flagsChanged && !flagsWritten) {
                w.atom("FLAGS");
                v.flags(w, r);
            }
            w.close().crlf();
            if (out.writerIndex() < mark) throw new IllegalStateException();
        }

        private void literal(ImapWriter w, ByteBuf out, String name, SectionContent sc, boolean binary) throws IOException {
            w.atom(name);
            boolean eight = binary && hasNul(sc);
            w.literalPrefix(sc.size(), eight);
            try (ByteBufOutputStream o = new ByteBufOutputStream(out)) {
                sc.writeTo(o);
            }
        }

        private SectionContent body(Mailbox box, MessageRef r, MessageStructure s, org.mailroom.imap.wire.Section section)
                throws IOException {
            long uid = r.uid();
            if (s == null) {
                MessageSource src = source(box, uid);
                if ((r.rfc822Size() < 0 || r.size() < 0) && r.size() >= 0 && r.size() <= READ_WHOLE) {
                    // sizes unknown (another program's file) and small: one read, which the store
                    // measures on the way, instead of a measuring read and then the sending read
                    byte[] whole;
                    try (InputStream in = box.open(uid)) {
                        whole = in.readAllBytes();
                    }
                    src = MessageSource.of(whole);
                }
                MessageRef m = r.rfc822Size() >= 0 && r.size() >= 0 ? r : box.measure(uid);
                SectionContent sc = Sections.topLevel(src, section, m.size(), m.rfc822Size());
                if (sc != null) return sc;
                s = structure(box, uid);
            }
            return Sections.body(s, source(box, uid), section);
        }

        private SectionContent binary(Mailbox box, MessageRef r, MessageStructure s, int[] part) throws IOException {
            long uid = r.uid();
            if (part.length == 0) return body(box, r, s, org.mailroom.imap.wire.Section.WHOLE);
            try {
                return Sections.binary(s, source(box, uid), part);
            } catch (UnknownCteException e) {
                throw new ImapNo("UNKNOWN-CTE", "unknown Content-Transfer-Encoding in part " + partName(part)); // RFC 3516 4.3
            }
        }
    }

    private static boolean hasNul(SectionContent sc) throws IOException {
        try (InputStream in = sc.open()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) for (int i = 0; i < n; i++) if (buf[i] == 0) return true;
        }
        return false;
    }

    private static String partName(int[] part) {
        StringBuilder sb = new StringBuilder();
        for (int p : part) {
            if (sb.length() > 0) sb.append('.');
            sb.append(p);
        }
        return sb.toString();
    }

    static MessageSource source(Mailbox box, long uid) {
        return () -> box.open(uid);
    }

    /** The MIME structure, from the cache or parsed (and then cached, with the envelope). */
    static MessageStructure structure(Mailbox box, long uid) throws IOException {
        byte[] cached = box.cached(uid, STRUCTURE);
        if (cached != null) {
            try {
                return MessageStructure.fromBytes(cached);
            } catch (StructureFormatException e) {
                // stale or damaged: parse again
            }
        }
        MessageStructure s;
        try (InputStream in = box.open(uid)) {
            s = MessageStructure.parse(in);
        }
        box.putCached(uid, STRUCTURE, s.toBytes());
        if (box.cached(uid, ENVELOPE) == null) box.putCached(uid, ENVELOPE, s.envelopeImap());
        return s;
    }

    /**
     * ENVELOPE octets: cached, from a structure at hand, or from the header alone; {@code readAll}:
     * read past the header to the end (the store then measures the message).
     */
    private static byte[] envelope(Mailbox box, long uid, MessageStructure s, boolean readAll) throws IOException {
        byte[] cached = box.cached(uid, ENVELOPE);
        if (cached != null) return cached;
        byte[] env;
        if (s != null) {
            env = s.envelopeImap();
        } else {
            try (InputStream in = box.open(uid)) {
                Envelope.WithFields ef = Envelope.parseKeeping(in);
                env = ef.envelope().toImap();
                if (ef.searchFields() != null && box.cached(uid, SEARCH_HEADER) == null) {
                    box.putCached(uid, SEARCH_HEADER, ef.searchFields());
                }
                if (readAll) in.skip(Long.MAX_VALUE);
            }
        }
        box.putCached(uid, ENVELOPE, env);
        return env;
    }
}
