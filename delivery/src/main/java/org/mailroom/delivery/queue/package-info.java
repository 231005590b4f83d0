/**
 * The durable mail queue (DESIGN.md section 3, STYLE.md 1.1): what the server accepted and could
 * not deliver at once waits here for the queue manager and remote delivery.
 *
 * <ul>
 * <li>{@link org.mailroom.delivery.queue.QueueWriter} is the single entry (Postfix cleanup): loop
 *     check (RFC 5321 6.3), Received: (RFC 5321 4.4), then the store; in the daemon it then gives
 *     the durable message, content in memory when small, to a {@link org.mailroom.delivery.queue.Handoff}
 *     (the queue manager), so that delivery starts without reading the queue back.
 * <li>{@link org.mailroom.delivery.queue.QueueStore} keeps one content file and one record per
 *     message; the directories {@code incoming/ active/ deferred/ hold/ corrupt/} are the states.
 * <li>{@link org.mailroom.delivery.queue.QueueEntry} is the record, written as a line-based text
 *     file ({@link org.mailroom.delivery.queue.QueueEntryFormat}) with the RFC 3461 DSN parameters
 *     (ENVID, RET, ORCPT, NOTIFY) and per-recipient state.
 * </ul>
 *
 * <p>Invariants:
 * <ul>
 * <li>Nothing is acknowledged before it is durable: every method that changes the queue returns
 *     only after the fdatasync of the file and the (group-committed) fsync of the directory. The
 *     exceptions can only bring a message back after a crash, never lose one: moves in and out of
 *     {@code active/}, and the removal of a message that needs nothing more.
 * <li>Files of removed messages are emptied into {@code spare/} and written again for new ones
 *     (no inode allocation per message); nothing in {@code spare/} is ever read.
 * <li>A record in a state directory implies its content is durable in {@code messages/}.
 * <li>{@code active/} is in-memory state of the queue manager: at start it goes back to
 *     {@code incoming/}.
 * <li>Mailroom never deletes what it cannot read: it goes to {@code corrupt/} with a WARN line.
 * <li>Queue ids are {@code [A-Za-z0-9]{6,32}}, checked before they become file names.
 * <li>All methods block; they run on the blocking executor, never on an event loop.
 * </ul>
 *
 * <p>Not here: scheduling and backoff ({@code schedule.QueueManager}), remote delivery
 * ({@code remote}), DSN generation ({@code dsn}), Message-ID:/Date: for submissions (RFC 6409 8.3).
 */
package org.mailroom.delivery.queue;
