package org.mailroom.imap.server;

import org.mailroom.imap.wire.Command;

/**
 * QUOTA (RFC 9208). TODO(#6): per-account quota roots that delivery enforces; until then every
 * mailbox has no quota root (RFC 9208 4.3 allows an empty QUOTAROOT list) and no limit applies.
 */
final class QuotaHandlers {
    private QuotaHandlers() {}

    static Completion getQuotaRoot(ImapContext ctx, Command.GetQuotaRoot c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        io.netty.buffer.ByteBuf out = ctx.alloc().buffer();
        new org.mailroom.imap.wire.ImapWriter(out).untagged().atom("QUOTAROOT")
                .mailbox(name.equalsIgnoreCase("INBOX") ? "INBOX" : name, ctx.enabled(Extension.UTF8_ACCEPT)).crlf();
        ctx.write(out);
        return Completion.ok();
    }

    static Completion getQuota(ImapContext ctx, Command.GetQuota c) {
        throw new ImapNo("NONEXISTENT", "no such quota root");
    }

    static Completion setQuota(ImapContext ctx, Command.SetQuota c) {
        throw new ImapNo("NOPERM", "quotas are set by the administrator"); // RFC 9208 4.1.3
    }
}
