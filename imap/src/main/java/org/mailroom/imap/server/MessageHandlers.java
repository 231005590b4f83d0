package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.StoreException;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.ImapWriter;

/**
 * STORE (RFC 9051 6.4.6, RFC 7162 3.1.3 UNCHANGEDSINCE), EXPUNGE and UID EXPUNGE (6.4.3, RFC 4315
 * 2.1), COPY (6.4.7, COPYUID of RFC 4315 3) and MOVE (RFC 6851), and CLOSE's silent expunge.
 * Expunges reach the client through the selected view's updates, which the session sends before
 * the tagged OK, so each command here only changes the store.
 */
final class MessageHandlers {
    private MessageHandlers() {}

    private static SelectedView view(ImapContext ctx) {
        return (SelectedView) ctx.selected();
    }

    static Completion store(ImapContext ctx, Command.Store c) {
        SelectedView v = view(ctx);
        if (v.readOnly()) throw new ImapNo("READ-ONLY", "mailbox is read-only"); // RFC 9051 6.4.6
        FlagArgs flags = FlagArgs.of(c.flags());
        if (c.unchangedSince() >= 0) ctx.enable(Extension.CONDSTORE); // RFC 7162 3.1: an enabling command
        List<MessageRef> refs = v.resolve(c.set(), c.uid());
        Mailbox.FlagMode mode = switch (c.mode()) {
            case REPLACE -> Mailbox.FlagMode.REPLACE;
            case ADD -> Mailbox.FlagMode.ADD;
            case REMOVE -> Mailbox.FlagMode.REMOVE;
        };
        List<Long> uids = SelectedView.uids(refs);
        // RFC 7162 3.1.3: with UNCHANGEDSINCE the new MODSEQ is sent even for .SILENT
        boolean respond = !c.silent() || c.unchangedSince() >= 0;
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            // A large STORE hands over its first refs in batches: the event loop writes their FETCH
            // responses while the files of the others are renamed (STORE 1:* of 100,000 messages is
            // 100,000 renames); the rest is written with the completion, after the batches.
            int[] handed = {0};
            AtomicReference<CompletableFuture<Void>> posted = new AtomicReference<>(CompletableFuture.completedFuture(null));
            Mailbox.StoreResult r = v.box().store(uids, mode, flags.flags(), flags.keywords(), c.unchangedSince(),
                    !respond ? null : batch -> {
                        handed[0] += batch.size();
                        CompletableFuture<Void> written = new CompletableFuture<>();
                        ctx.onEventLoop(() -> {
                            writeStored(ctx, v, c, batch, true);
                            written.complete(null);
                        });
                        posted.set(written);
                    });
            return new Stored(r, respond ? handed[0] : r.updated().size(), posted.get());
        }).thenCompose(st -> st.posted().thenApply(x -> {
            List<MessageRef> updated = st.result().updated();
            writeStored(ctx, v, c, updated.subList(st.handed(), updated.size()), false); // flushed with the tagged OK
            if (!st.result().failedUnchangedSince().isEmpty()) {
                List<Long> failed = new ArrayList<>();
                for (long uid : st.result().failedUnchangedSince()) failed.add(c.uid() ? uid : (long) v.seqOf(uid));
                return Completion.ok("MODIFIED " + SelectedView.compact(failed), "Conditional STORE failed");
            }
            return Completion.ok();
        })));
    }

    /** The blocking part of a STORE: its result, how many refs were written already, and when the last of those is. */
    private record Stored(Mailbox.StoreResult result, int handed, CompletableFuture<Void> posted) {}

    /** The untagged FETCH responses of stored messages, written (and flushed); on the event loop. */
    private static void writeStored(ImapContext ctx, SelectedView v, Command.Store c, List<MessageRef> updated, boolean flush) {
        if (updated.isEmpty()) return;
        ByteBuf out = ctx.alloc().buffer();
        ImapWriter w = new ImapWriter(out);
        for (MessageRef ref : updated) {
            int seq = v.seqOf(ref.uid());
            if (seq == 0) continue;
            if (c.silent()) {
                w.untagged().number(seq).atom("FETCH").open();
                if (c.uid()) w.raw("UID ").rawNumber(ref.uid()).raw(' ');
                w.raw("MODSEQ (").rawNumber(ref.modSeq()).raw(')').close().crlf();
            } else {
                v.writeFlagFetch(w, seq, ref, c.uid());
            }
        }
        ctx.write(out);
        if (flush) ctx.channel().flush();
    }

    static Completion expunge(ImapContext ctx, Command.Expunge c) {
        SelectedView v = view(ctx);
        if (v.readOnly()) return Completion.ok("EXPUNGE ignored in a read-only mailbox");
        List<Long> uids = new ArrayList<>();
        List<MessageRef> candidates = c.uids() == null ? v.messages() : v.resolve(c.uids(), true);
        for (MessageRef r : candidates) if (r.has(Flag.DELETED)) uids.add(r.uid());
        if (uids.isEmpty()) return Completion.ok();
        return Completion.later(StoreCalls.blocking(ctx, () -> v.box().expunge(uids)).thenApply(x -> Completion.ok()));
    }

    /** CLOSE (RFC 9051 6.4.1): every \Deleted message goes, and no EXPUNGE is sent. */
    static CompletionStage<Void> expungeDeleted(ImapContext ctx, SelectedMailbox m) {
        SelectedView v = (SelectedView) m;
        return StoreCalls.blocking(ctx, () -> {
            v.box().refresh();
            v.box().changes();
            List<Long> uids = new ArrayList<>();
            for (MessageRef r : v.messages()) if (r.has(Flag.DELETED)) uids.add(r.uid());
            if (!uids.isEmpty()) v.box().expunge(uids);
            return null;
        });
    }

    static Completion copy(ImapContext ctx, Command.Copy c) {
        return copyOrMove(ctx, c.uid(), c.set(), c.mailbox(), false);
    }

    static Completion move(ImapContext ctx, Command.Move c) {
        if (view(ctx).readOnly()) throw new ImapNo("READ-ONLY", "mailbox is read-only");
        return copyOrMove(ctx, c.uid(), c.set(), c.mailbox(), true);
    }

    private static Completion copyOrMove(ImapContext ctx, boolean uid, org.mailroom.imap.wire.SequenceSet set,
                                         String mailbox, boolean move) {
        SelectedView v = view(ctx);
        String dest = StoreCalls.mailbox(ctx, mailbox);
        List<Long> uids = SelectedView.uids(v.resolve(set, uid));
        if (uids.isEmpty()) {
            return Completion.ok(move ? "MOVE completed" : "COPY completed"); // RFC 9051 6.4.7: nothing to do is success
        }
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            try {
                return v.box().copy(uids, dest, move);
            } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.NONEXISTENT) {
                    throw new ImapNo("TRYCREATE", "mailbox does not exist"); // RFC 9051 6.4.7
                }
                throw e;
            }
        }).thenApply(r -> {
            String code = r.sourceUids().isEmpty() ? null
                    : "COPYUID " + r.destUidValidity() + " " + SelectedView.compact(r.sourceUids()) + " "
                    + SelectedView.compact(r.destUids());
            if (move) {
                // RFC 6851 4.3: COPYUID goes in an untagged OK before the expunges
                if (code != null) ctx.untagged("OK [" + code + "] Moved UIDs.");
                return Completion.ok("MOVE completed");
            }
            return code == null ? Completion.ok("COPY completed") : Completion.ok(code, "COPY completed");
        }));
    }
}
