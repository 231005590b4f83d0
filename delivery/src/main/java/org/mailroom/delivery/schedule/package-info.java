/**
 * The queue manager (Postfix's qmgr): takes messages handed over by the queue writer (in
 * {@code active/} already, content in memory) or found in {@code incoming/}, delivers each
 * recipient locally or to its remote destination, retries temporary failures with backoff,
 * bounces permanent ones and expired ones with a DSN, and removes what is done. Its strategies are
 * listed in {@link org.mailroom.delivery.schedule.QueueManager}'s javadoc.
 *
 * <p>Invariants: a message is in exactly one state directory; a bounce is enqueued (durably)
 * before the message it reports on is updated or removed, so a crash can repeat a DSN but never
 * lose one; nothing is ever sent to the null sender; delivery work runs on this package's own
 * worker threads, never on an event loop.
 */
package org.mailroom.delivery.schedule;
