package org.mailroom.imap.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.imap.search.Candidate;
import org.mailroom.imap.search.SavedResult;
import org.mailroom.imap.search.SearchProgram;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.SearchKey;

/**
 * SEARCH and UID SEARCH (RFC 9051 6.4.4) with ESEARCH results (RFC 4731, RFC 9051 7.3.4), SEARCHRES
 * (RFC 5182 {@code SAVE} and {@code $}) and the MODSEQ key and result of RFC 7162 3.1.5. The
 * compiled program runs on the blocking executor on both cores (messages are independent);
 * keys that need no message text never open a file.
 */
final class SearchHandler implements ImapHandler<Command.Search> {
    private final ZoneId zone;
    private final Executor executor;
    private final int parallelism, inFlight;

    /** {@code parallelism}: workers for a search of cached data; {@code inFlight}: file reads at most (see {@link org.mailroom.core.exec.Parallel.Width}). */
    SearchHandler(ZoneId zone, BlockingExecutor blocking, int parallelism, int inFlight) {
        this.zone = zone;
        this.executor = r -> blocking.submit(() -> {
            r.run();
            return null;
        });
        this.parallelism = parallelism;
        this.inFlight = inFlight;
    }

    @Override
    public Completion handle(ImapContext ctx, Command.Search c) {
        SelectedView v = (SelectedView) ctx.selected();
        boolean modseqKey = usesModSeq(c.key());
        if (modseqKey) ctx.enable(Extension.CONDSTORE); // RFC 7162 3.1: an enabling command
        SearchProgram program = SearchProgram.compile(c.key(), zone, SavedResult.of(v.saved()));
        List<MessageRef> refs = v.messages();
        Mailbox box = v.box();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            List<Candidate> cands = new ArrayList<>(refs.size());
            long largestUid = refs.isEmpty() ? 0 : refs.get(refs.size() - 1).uid();
            // the keys' header fields are all among those the cache keeps: no message file is opened for them
            boolean cachedHeader = program.readsHeader()
                    && org.mailroom.imap.message.Envelope.SEARCH_FIELDS.containsAll(program.headerFields());
            for (int i = 0; i < refs.size(); i++) {
                cands.add(new RefCandidate(box, refs.get(i), i + 1, refs.size(), largestUid, cachedHeader));
            }
            return program.matchAll(cands, executor, new org.mailroom.core.exec.Parallel.Width(parallelism, inFlight));
        }).thenApply(bits -> {
            List<MessageRef> hits = new ArrayList<>(bits.cardinality());
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) hits.add(refs.get(i));
            respond(ctx, v, c, hits, modseqKey);
            return Completion.ok();
        }));
    }

    private static void respond(ImapContext ctx, SelectedView v, Command.Search c, List<MessageRef> hits, boolean modseqKey) {
        long maxModSeq = 0;
        for (MessageRef r : hits) maxModSeq = Math.max(maxModSeq, r.modSeq());
        List<Long> numbers = new ArrayList<>(hits.size());
        for (MessageRef r : hits) numbers.add(c.uid() ? r.uid() : v.seqOf(r.uid()));
        Set<Command.SearchReturn> ret = c.returns();
        if (ret == null && !ctx.enabled(Extension.IMAP4REV2)) {
            StringBuilder sb = new StringBuilder("SEARCH");
            for (long n : numbers) sb.append(' ').append(n);
            // RFC 7162 3.1.5: the highest mod-sequence of the matches, when MODSEQ was searched
            if (modseqKey && !numbers.isEmpty()) sb.append(" (MODSEQ ").append(maxModSeq).append(')');
            ctx.untagged(sb.toString());
            return;
        }
        if (ret == null || ret.isEmpty()) ret = Set.of(Command.SearchReturn.ALL); // RFC 4731 3.1
        if (ret.contains(Command.SearchReturn.SAVE)) {
            // RFC 5182 2.4: with MIN or MAX alone, only those are saved
            boolean minMaxOnly = !ret.contains(Command.SearchReturn.ALL) && !ret.contains(Command.SearchReturn.COUNT)
                    && (ret.contains(Command.SearchReturn.MIN) || ret.contains(Command.SearchReturn.MAX));
            List<Long> save = new ArrayList<>();
            if (minMaxOnly && !hits.isEmpty()) {
                if (ret.contains(Command.SearchReturn.MIN)) save.add(hits.get(0).uid());
                if (ret.contains(Command.SearchReturn.MAX)) save.add(hits.get(hits.size() - 1).uid());
            } else if (!minMaxOnly) {
                save = SelectedView.uids(hits);
            }
            v.save(save);
            if (ret.size() == 1) return; // RFC 5182 2.1: SAVE alone returns no ESEARCH
        }
        StringBuilder sb = new StringBuilder("ESEARCH (TAG ").append(quote(ctx.tag())).append(')');
        if (c.uid()) sb.append(" UID");
        if (!numbers.isEmpty()) {
            if (ret.contains(Command.SearchReturn.MIN)) sb.append(" MIN ").append(numbers.get(0));
            if (ret.contains(Command.SearchReturn.MAX)) sb.append(" MAX ").append(numbers.get(numbers.size() - 1));
            if (ret.contains(Command.SearchReturn.ALL)) sb.append(" ALL ").append(SelectedView.compact(numbers));
        }
        if (ret.contains(Command.SearchReturn.COUNT)) sb.append(" COUNT ").append(numbers.size());
        if (modseqKey && !numbers.isEmpty()) sb.append(" MODSEQ ").append(maxModSeq);
        ctx.untagged(sb.toString());
    }

    private static String quote(String tag) {
        return "\"" + tag.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean usesModSeq(SearchKey k) {
        if (k instanceof SearchKey.ModSeq) return true;
        if (k instanceof SearchKey.And a) return a.keys().stream().anyMatch(SearchHandler::usesModSeq);
        if (k instanceof SearchKey.Or o) return usesModSeq(o.left()) || usesModSeq(o.right());
        if (k instanceof SearchKey.Not n) return usesModSeq(n.key());
        return false;
    }

    /** A message of the session's view as the search program sees it. */
    private static final class RefCandidate implements Candidate {
        private final Mailbox box;
        private final MessageRef r;
        private final long seq, largestSeq, largestUid;
        private final boolean cachedHeader;

        RefCandidate(Mailbox box, MessageRef r, long seq, long largestSeq, long largestUid, boolean cachedHeader) {
            this.box = box;
            this.r = r;
            this.seq = seq;
            this.largestSeq = largestSeq;
            this.largestUid = largestUid;
            this.cachedHeader = cachedHeader;
        }

        @Override public long seq() { return seq; }
        @Override public long uid() { return r.uid(); }
        @Override public long largestSeq() { return largestSeq; }
        @Override public long largestUid() { return largestUid; }
        @Override public boolean hasFlag(Flag f) { return r.has(f); }

        @Override
        public boolean hasKeyword(String keyword) {
            for (String k : r.keywords()) if (k.equalsIgnoreCase(keyword)) return true;
            return false;
        }

        @Override public boolean isRecent() { return box.recent(r.uid()); }
        @Override public Instant internalDate() { return r.internalDate(); }

        @Override
        public long rfc822Size() {
            if (r.rfc822Size() >= 0) return r.rfc822Size();
            try {
                return box.measure(r.uid()).rfc822Size();
            } catch (IOException e) {
                return 0; // expunged meanwhile: matches no size key that asks for more
            }
        }

        @Override public long modSeq() { return r.modSeq(); }

        @Override
        public InputStream openMessage() throws IOException {
            return box.open(r.uid());
        }

        @Override
        public InputStream openHeader() throws IOException {
            if (cachedHeader) {
                byte[] fields = box.cached(r.uid(), FetchHandler.SEARCH_HEADER);
                if (fields != null) return new java.io.ByteArrayInputStream(fields);
            }
            return box.open(r.uid());
        }
    }
}
