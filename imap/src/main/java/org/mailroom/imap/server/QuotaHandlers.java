package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Quota;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.ImapWriter;

/**
 * QUOTA (RFC 9208): an account with a limit has one quota root, {@code ""}, over all its folders,
 * with the STORAGE (in units of 1024 octets, 9208 5.1) and MESSAGE resources; an account without a
 * limit has no quota root (RFC 9208 4.3 allows the empty list). Limits are the administrator's:
 * SETQUOTA is refused.
 */
final class QuotaHandlers {
    private final MailStore store;

    QuotaHandlers(MailStore store) {
        this.store = store;
    }

    Completion getQuotaRoot(ImapContext ctx, Command.GetQuotaRoot c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        String account = ctx.account().address();
        boolean utf8 = ctx.enabled(Extension.UTF8_ACCEPT);
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            store.mailboxes(account).status(name); // NO [NONEXISTENT] for a mailbox that is not there
            return store.mailboxes(account).quota();
        }).thenApply(q -> {
            ByteBuf out = ctx.alloc().buffer();
            ImapWriter w = new ImapWriter(out);
            w.untagged().atom("QUOTAROOT").mailbox(name.equalsIgnoreCase("INBOX") ? "INBOX" : name, utf8);
            if (q.limited()) w.string("");
            w.crlf();
            if (q.limited()) writeQuota(w, q);
            ctx.write(out);
            return Completion.ok();
        }));
    }

    Completion getQuota(ImapContext ctx, Command.GetQuota c) {
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> store.mailboxes(account).quota()).thenApply(q -> {
            if (!c.root().isEmpty() || !q.limited()) throw new ImapNo("NONEXISTENT", "no such quota root");
            ByteBuf out = ctx.alloc().buffer();
            writeQuota(new ImapWriter(out), q);
            ctx.write(out);
            return Completion.ok();
        }));
    }

    private static void writeQuota(ImapWriter w, Quota q) {
        w.untagged().atom("QUOTA").string("").open();
        boolean first = true;
        if (q.storageLimit() > 0) {
            // RFC 9208 5.1: STORAGE in units of 1024 octets, rounded up
            w.raw("STORAGE ").rawNumber((q.storageUsed() + 1023) / 1024).raw(' ').rawNumber(q.storageLimit() / 1024);
            first = false;
        }
        if (q.messageLimit() > 0) {
            if (!first) w.raw(' ');
            w.raw("MESSAGE ").rawNumber(q.messagesUsed()).raw(' ').rawNumber(q.messageLimit());
        }
        w.close().crlf();
    }

    Completion setQuota(ImapContext ctx, Command.SetQuota c) {
        throw new ImapNo("NOPERM", "quotas are set by the administrator"); // RFC 9208 4.1.3
    }
}
