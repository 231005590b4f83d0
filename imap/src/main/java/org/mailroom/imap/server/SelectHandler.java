package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.ImapWriter;

/**
 * SELECT and EXAMINE (RFC 9051 6.3.2, 6.3.3) with RFC 7162 CONDSTORE and QRESYNC (3.2.5): the
 * responses of a selection in the order Dovecot sends them, then {@code OK [READ-WRITE]} or
 * {@code [READ-ONLY]}. A failed SELECT leaves the client in AUTHENTICATED state.
 */
final class SelectHandler implements ImapHandler<Command.Select> {
    private final MailStore store;

    SelectHandler(MailStore store) {
        this.store = store;
    }

    @Override
    public Completion handle(ImapContext ctx, Command.Select c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        if (c.qresync() != null && !ctx.enabled(Extension.QRESYNC)) {
            throw new ImapBad("QRESYNC must be enabled first (RFC 7162 3.2.5)");
        }
        if (c.condstore()) ctx.enable(Extension.CONDSTORE);
        boolean wasSelected = ctx.selected() != null;
        if (wasSelected) ctx.unselect();
        if (wasSelected && ctx.enabled(Extension.QRESYNC) || wasSelected && ctx.enabled(Extension.IMAP4REV2)) {
            ctx.untagged("OK [CLOSED] Previous mailbox closed"); // RFC 7162 3.2.11, RFC 9051 7.1
        }
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            Mailbox box = store.mailboxes(account).open(name, c.readOnly());
            box.refresh();
            box.changes();
            return box;
        }).thenApply(box -> {
            SelectedView view = new SelectedView(box, ctx);
            ByteBuf out = ctx.alloc().buffer();
            ImapWriter w = new ImapWriter(out);
            view.writeFlags(w);
            List<MessageRef> msgs = box.messages();
            w.untagged().number(msgs.size()).atom("EXISTS").crlf();
            if (!ctx.enabled(Extension.IMAP4REV2)) {
                // a view this new holds one range of \Recent messages, the newest: count from the end
                int recent = 0, firstUnseen = 0;
                for (int i = msgs.size() - 1; i >= 0 && box.recent(msgs.get(i).uid()); i--) recent++;
                for (int i = 0; i < msgs.size() && firstUnseen == 0; i++) {
                    if (!msgs.get(i).has(Flag.SEEN)) firstUnseen = i + 1;
                }
                w.untagged().number(recent).atom("RECENT").crlf();
                if (firstUnseen > 0) {
                    w.untagged().atom("OK").beginCode().atom("UNSEEN").number(firstUnseen).endCode()
                            .text("First unseen.").crlf();
                }
            }
            w.untagged().atom("OK").beginCode().atom("UIDVALIDITY").number(box.uidValidity()).endCode()
                    .text("UIDs valid").crlf();
            w.untagged().atom("OK").beginCode().atom("UIDNEXT").number(box.uidNext()).endCode()
                    .text("Predicted next UID").crlf();
            // RFC 7162 3.1.2.1: a server that keeps mod-sequences sends it with every SELECT/EXAMINE
            w.untagged().atom("OK").beginCode().atom("HIGHESTMODSEQ").number(box.highestModSeq()).endCode()
                    .text("Highest").crlf();
            if (c.qresync() != null && c.qresync().uidValidity() == box.uidValidity()) {
                qresync(view, c.qresync(), w);
            }
            ctx.write(out);
            ctx.select(view);
            return Completion.ok(box.readOnly() ? "READ-ONLY" : "READ-WRITE",
                    (c.readOnly() ? "EXAMINE" : "SELECT") + " completed");
        }));
    }

    /**
     * RFC 7162 3.2.5.1: what changed since the client's mod-sequence. Expunged UIDs are not kept, so
     * VANISHED (EARLIER) names every known UID that is gone, which the RFC allows.
     */
    private static void qresync(SelectedView view, Command.Qresync q, ImapWriter w) {
        List<MessageRef> msgs = view.messages();
        long top = view.box().uidNext() - 1;
        // the gaps between existing UIDs are what vanished (or never came: the RFC allows naming those)
        List<long[]> gaps = new ArrayList<>();
        long next = 1;
        for (MessageRef r : msgs) {
            if (r.uid() > next) gaps.add(new long[] {next, r.uid() - 1});
            next = r.uid() + 1;
        }
        if (next <= top) gaps.add(new long[] {next, top});
        StringBuilder vanished = new StringBuilder();
        if (q.knownUids() != null || q.modSeq() < view.box().highestModSeq()) {
            List<long[]> known = q.knownUids() != null ? q.knownUids().ranges(top) : List.of(new long[] {1, top});
            for (long[] g : gaps) {
                for (long[] k : known) {
                    long a = Math.max(g[0], k[0]), b = Math.min(g[1], k[1]);
                    if (a > b) continue;
                    if (vanished.length() > 0) vanished.append(',');
                    vanished.append(a);
                    if (b > a) vanished.append(':').append(b);
                }
            }
        }
        if (vanished.length() > 0) {
            w.untagged().atom("VANISHED").atom("(EARLIER)").atom(vanished).crlf();
        }
        for (int i = 0; i < msgs.size(); i++) {
            MessageRef r = msgs.get(i);
            if (r.modSeq() > q.modSeq()) view.writeFlagFetch(w, i + 1, r, true);
        }
    }
}
