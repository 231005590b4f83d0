package org.mailroom.imap.server;

import java.time.Instant;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.StoreException;
import org.mailroom.imap.wire.Command;

/**
 * APPEND (RFC 9051 6.3.12) with UIDPLUS's APPENDUID (RFC 4315 3) and APPENDLIMIT (RFC 7889, enforced
 * when the literal is announced). A missing mailbox is {@code NO [TRYCREATE]}. The message is
 * durable before the tagged OK. When it lands in the selected mailbox the client learns of it
 * through the usual EXISTS before that OK.
 */
final class AppendHandler implements ImapHandler<Command.Append> {
    private final MailStore store;

    AppendHandler(MailStore store) {
        this.store = store;
    }

    @Override
    public Completion handle(ImapContext ctx, Command.Append c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        FlagArgs flags = FlagArgs.of(c.flags());
        Instant date = c.date() == null ? null : c.date().toInstant();
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            AppendContent content = new AppendContent(c.message());
            try (Mailbox box = store.mailboxes(account).open(name, true)) { // a handle only: it claims no \\Recent
                return box.append(content, flags.flags(), flags.keywords(), date);
            } catch (StoreException e) {
                if (e.reason() == StoreException.Reason.NONEXISTENT) {
                    throw new ImapNo("TRYCREATE", "mailbox does not exist"); // RFC 9051 6.3.12
                }
                throw e;
            }
        }).thenApply(p -> Completion.ok("APPENDUID " + p.uidValidity() + " " + p.uids().get(0), "APPEND completed")));
    }
}
