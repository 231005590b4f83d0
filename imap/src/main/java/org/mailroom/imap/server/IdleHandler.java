package org.mailroom.imap.server;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailroom.imap.wire.Command;

/**
 * IDLE (RFC 2177, RFC 9051 6.3.13): {@code + idling}, then the selected mailbox's updates as they
 * happen, until the client sends {@code DONE}; any other line ends IDLE with {@code BAD}. A
 * wake-up from the store hops onto the event loop and writes at once (target: 50 ms from the
 * change to the client). Several wake-ups before the event loop runs make one write. In
 * AUTHENTICATED state there is nothing to report; IDLE then only waits for DONE.
 *
 * <p>The autologout timer keeps running (RFC 9051 5.4): clients re-issue IDLE within 29 minutes
 * (RFC 2177 3).
 */
final class IdleHandler implements ImapHandler<Command.Idle> {

    @Override
    public Completion handle(ImapContext ctx, Command.Idle c) {
        var line = ctx.continuation("idling");
        SelectedMailbox m = ctx.selected();
        AtomicBoolean active = new AtomicBoolean(true);
        if (m != null) {
            AtomicBoolean scheduled = new AtomicBoolean();
            // registered before the first flush, so that no update falls between the two
            m.onUpdate(() -> {
                if (scheduled.compareAndSet(false, true)) {
                    ctx.onEventLoop(() -> {
                        scheduled.set(false);
                        if (active.get()) ctx.writeUpdates();
                    });
                }
            });
            ctx.writeUpdates(); // what was pending before IDLE began
        }
        return Completion.later(line.handle((text, err) -> {
            active.set(false);
            if (m != null) m.onUpdate(null);
            if (err != null) throw err instanceof RuntimeException r ? r : new CompletionException(err);
            if (!text.equalsIgnoreCase("DONE")) throw new ImapBad("Expected DONE to end IDLE");
            return Completion.ok("IDLE terminated");
        }));
    }
}
