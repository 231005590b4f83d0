package org.mailroom.imap.server;

import java.io.IOException;
import java.util.concurrent.CompletionStage;
import org.mailroom.core.store.StoreException;
import org.mailroom.imap.wire.ImapStrings;
import org.mailroom.imap.wire.ImapSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store work from IMAP handlers: runs on the blocking executor and turns the store's refusals into
 * the RFC 5530 response codes, and I/O failures into {@code NO [UNAVAILABLE]} (logged, never shown).
 * Also decodes mailbox names as the client sends them.
 */
final class StoreCalls {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.imap");

    private StoreCalls() {}

    @FunctionalInterface
    interface StoreTask<T> {
        T call() throws IOException;
    }

    static <T> CompletionStage<T> blocking(ImapContext ctx, StoreTask<T> task) {
        String account = ctx.account() == null ? "-" : ctx.account().address();
        return ctx.blocking(() -> {
            try {
                return task.call();
            } catch (StoreException e) {
                throw refusal(e);
            } catch (IOException e) {
                log.warn("{}: store error: {}", account, e.toString());
                throw new ImapNo("UNAVAILABLE", "mailbox temporarily unavailable, try again");
            }
        });
    }

    static ImapNo refusal(StoreException e) {
        String code = switch (e.reason()) {
            case NONEXISTENT -> "NONEXISTENT";
            case ALREADY_EXISTS -> "ALREADYEXISTS";
            case CANNOT -> "CANNOT";
            case LIMIT -> "LIMIT";
            case OVER_QUOTA -> "OVERQUOTA";
            case EXPUNGED -> "EXPUNGEISSUED";
        };
        return new ImapNo(code, e.getMessage());
    }

    /**
     * A mailbox name as the store knows it: modified UTF-7 decoded unless the client enabled
     * UTF8=ACCEPT (RFC 6855 3), a trailing hierarchy delimiter dropped (RFC 9051 6.3.4).
     */
    static String mailbox(ImapContext ctx, String wire) {
        String name = wire;
        if (!ctx.enabled(Extension.UTF8_ACCEPT)) {
            try {
                name = ImapStrings.decodeMailbox(wire);
            } catch (ImapSyntaxException e) {
                throw new ImapBad("mailbox name is not valid modified UTF-7");
            }
        }
        while (name.length() > 1 && name.endsWith("/")) name = name.substring(0, name.length() - 1);
        return name;
    }
}
