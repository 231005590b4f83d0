package org.mailroom.imap.server;

import org.mailroom.core.store.MailStore;
import org.mailroom.imap.wire.Command;

/**
 * CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 9051 6.3.4-6.3.8, RFC 6154 CREATE-SPECIAL-USE).
 * The store validates names; its refusals come back with the RFC 5530 codes.
 */
final class FolderHandlers {
    private final MailStore store;

    FolderHandlers(MailStore store) {
        this.store = store;
    }

    Completion create(ImapContext ctx, Command.Create c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        if (c.specialUse().size() > 1) {
            throw new ImapNo("USEATTR", "one special-use attribute per mailbox"); // RFC 6154 3
        }
        String use = c.specialUse().isEmpty() ? null : canonicalUse(c.specialUse().get(0));
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            store.mailboxes(account).create(name, use);
            return Completion.ok();
        }));
    }

    private static String canonicalUse(String use) {
        for (String u : new String[] {"\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash"}) {
            if (u.equalsIgnoreCase(use)) return u;
        }
        throw new ImapNo("USEATTR", "unsupported special-use attribute " + use);
    }

    Completion delete(ImapContext ctx, Command.Delete c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            store.mailboxes(account).delete(name);
            return Completion.ok();
        }));
    }

    Completion rename(ImapContext ctx, Command.Rename c) {
        String from = StoreCalls.mailbox(ctx, c.from()), to = StoreCalls.mailbox(ctx, c.to());
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            store.mailboxes(account).rename(from, to);
            return Completion.ok();
        }));
    }

    Completion subscribe(ImapContext ctx, Command.Subscribe c) {
        return subscription(ctx, c.mailbox(), true);
    }

    Completion unsubscribe(ImapContext ctx, Command.Unsubscribe c) {
        return subscription(ctx, c.mailbox(), false);
    }

    private Completion subscription(ImapContext ctx, String wire, boolean on) {
        String name = StoreCalls.mailbox(ctx, wire);
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            store.mailboxes(account).subscribe(name, on);
            return Completion.ok();
        }));
    }
}
