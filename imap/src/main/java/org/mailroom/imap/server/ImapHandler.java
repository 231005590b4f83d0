package org.mailroom.imap.server;

import org.mailroom.imap.wire.Command;

/**
 * Executes one kind of command (STYLE.md 1.2 point 3). The contract:
 *
 * <ul>
 *   <li><b>When it runs.</b> On the session's event loop, after the command table
 *       ({@link ImapCommand}) has checked the state: a handler never asks "is this allowed now".
 *       One command runs at a time per connection; input is not read while a command is pending
 *       (except the lines it asks for with {@link ImapContext#continuation}).</li>
 *   <li><b>What it returns.</b> {@link Completion#ok()} when the command is done at once, or
 *       {@link Completion#later} with a stage when it must wait: for blocking work (store, fsync,
 *       password hashing) through {@link ImapContext#blocking}, for a client line through
 *       {@link ImapContext#continuation}, for a long response through
 *       {@link ImapContext#stream}. It never blocks the event loop itself.</li>
 *   <li><b>Untagged responses</b> go out through {@link ImapContext#untagged} (small ones) or
 *       {@link ImapContext#stream} (many or large ones, with backpressure). The tagged response
 *       is written by the session: handlers never write it.</li>
 *   <li><b>Failures</b> are thrown (or complete the stage) as {@link ImapNo}, {@link ImapBad} or
 *       {@link ImapBye} with an optional response code; anything else is an internal error the
 *       session answers with {@code NO [SERVERBUG]} and logs.</li>
 *   <li><b>Unsolicited updates</b> of the selected mailbox are written by the session before the
 *       tagged {@code OK}/{@code NO}, with expunges held back when the table says the command
 *       uses sequence numbers (RFC 9051 7.5.1); handlers do not call
 *       {@link SelectedMailbox#flushUpdates} themselves.</li>
 * </ul>
 *
 * Handlers are shared by all sessions of a listener: per-connection state lives in the
 * {@link ImapContext}, never in fields.
 *
 * @param <C> the command record this handler takes
 */
@FunctionalInterface
public interface ImapHandler<C extends Command> {

    Completion handle(ImapContext ctx, C command);
}
