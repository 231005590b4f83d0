package org.mailroom.imap.server;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailroom.imap.wire.Command;

/**
 * IDLE (RFC 2177, RFC 9051 6.3.13): {@code + idling}, then the selected mailbox's updates as they
 * happen, until the client sends {@code DONE}; any other line ends IDLE with {@code BAD}. A
 * wake-up from the store hops onto the event loop and writes at once (target: 50 ms from the
 * change to the client, for each of 1,000 sessions idling on one folder). The hop is grouped:
 * the store's thread only queues the session ({@link IdleWakeups}, one task per event loop for
 * all its sessions), so a delivery does not wait for 1,000 sessions. Several wake-ups before the
 * event loop runs make one write. In
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
        Waker waker = m == null ? null : new Waker(ctx);
        if (m != null) {
            // registered before the first flush, so that no update falls between the two
            m.onUpdate(waker);
            ctx.writeUpdates(); // what was pending before IDLE began
        }
        return Completion.later(line.handle((text, err) -> {
            if (waker != null) waker.active = false;
            if (m != null) m.onUpdate(null);
            if (err != null) throw err instanceof RuntimeException r ? r : new CompletionException(err);
            if (!text.equalsIgnoreCase("DONE")) throw new ImapBad("Expected DONE to end IDLE");
            return Completion.ok("IDLE terminated");
        }));
    }

    /**
     * The store's callback for one idling session (run on the writer's thread): queues one flush
     * on the session's event loop ({@link ImapContext#wakeUps}, grouped with the other sessions of
     * that loop); wake-ups before that flush ran make no second one. A flush that runs after IDLE
     * ended writes nothing: the updates wait for the next command's tagged response.
     */
    private static final class Waker extends AtomicBoolean implements Runnable {
        private final ImapContext ctx;
        private final java.util.concurrent.Executor loop;
        private final Runnable flush = this::flush;
        /** IDLE still runs; cleared on the event loop when it ends. */
        volatile boolean active = true;

        Waker(ImapContext ctx) {
            this.ctx = ctx;
            this.loop = ctx.wakeUps();
        }

        @Override
        public void run() {
            if (compareAndSet(false, true)) loop.execute(flush);
        }

        private void flush() {
            set(false);
            if (active) ctx.writeUpdates();
        }
    }
}
