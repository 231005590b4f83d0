package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;

/**
 * The mailbox a session has selected (RFC 9051 3.3, SELECTED state): the per-session view of a
 * store mailbox (UID to sequence-number map, flags seen by this client) and the queue of changes
 * made elsewhere that this client has not been told yet. Made by the SELECT/EXAMINE handler and
 * handed to {@link ImapContext#select}; the session owns it from then on and closes it on
 * UNSELECT, CLOSE, another SELECT, LOGOUT or when the connection ends.
 *
 * <p>Threads: {@link #readOnly} and {@link #flushUpdates} are called on the session's event loop
 * only and must never block; {@link #onUpdate}'s callback may be run from any thread (the store's
 * writer); {@link #close} is called on the blocking executor, once.
 */
public interface SelectedMailbox {

    /** Selected with EXAMINE, or the mailbox cannot be written by this user (RFC 9051 6.3.3). */
    boolean readOnly();

    /**
     * The mailbox was deleted or renamed since it was selected (here or in another session); on
     * the event loop, never blocks. The session then ends with BYE (RFC 2180 3.2).
     */
    default boolean gone() { return false; }

    /**
     * Writes pending unsolicited updates (EXISTS, EXPUNGE or VANISHED, FETCH FLAGS) into out;
     * never blocks. {@code expungeAllowed=false} during FETCH/STORE/SEARCH (RFC 9051 7.5.1): then
     * expunges stay queued (and the sequence numbers this client knows stay valid) until a later
     * command may send them.
     *
     * <p>Called by the session before the tagged {@code OK} or {@code NO} of every command that ends
     * with a mailbox selected (SELECT and EXAMINE included: what changed since their snapshot), and
     * during IDLE each time {@link #onUpdate}'s callback ran. Never before a {@code BAD}: that
     * command did not run.
     */
    void flushUpdates(ByteBuf out, boolean expungeAllowed);

    /**
     * Called from any thread when new updates are pending (IDLE wake-up); null to stop. The
     * callback is cheap and thread-safe: it only schedules a {@link #flushUpdates} on the event
     * loop. At most one callback is registered at a time; a new one replaces the old.
     */
    void onUpdate(Runnable wake);

    /** Lets go of the store mailbox (subscriptions, locks, caches). May block; called once. */
    void close();
}
