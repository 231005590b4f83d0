package org.mailroom.imap.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailroom.imap.wire.Command;

/**
 * Leaving SELECTED state: UNSELECT (RFC 3691, RFC 9051 6.4.2) closes the mailbox without
 * expunging; CLOSE (RFC 9051 6.4.1) first removes the messages marked {@code \Deleted}, silently
 * (no EXPUNGE responses), unless the mailbox was selected read-only.
 */
final class SelectionHandlers {
    private SelectionHandlers() {}

    static Completion unselect(ImapContext ctx, Command.Unselect c) {
        ctx.unselect();
        return Completion.ok();
    }

    static Completion close(ImapContext ctx, Command.Close c) {
        SelectedMailbox m = ctx.selected();
        if (m.readOnly()) {
            ctx.unselect(); // RFC 9051 6.4.1: nothing is expunged in a read-only mailbox
            return Completion.ok();
        }
        return Completion.later(expungeDeleted(ctx, m).thenApply(v -> {
            ctx.unselect();
            return Completion.ok();
        }));
    }

    /** CLOSE's implicit expunge (RFC 9051 6.4.1), without EXPUNGE responses. */
    static CompletionStage<Void> expungeDeleted(ImapContext ctx, SelectedMailbox m) {
        return MessageHandlers.expungeDeleted(ctx, m);
    }
}
