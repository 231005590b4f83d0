/**
 * The mail store: the one boundary through which the MDA, POP3 and IMAP reach mail. Protocol-neutral
 * nouns only: a {@link org.mailroom.core.store.Mailbox} holds {@link org.mailroom.core.store.MessageRef}s
 * addressed by UID; sequence numbers and POP3 message numbers are per-session views kept by the
 * protocols. Deliveries are {@link org.mailroom.core.store.StoreDelivery} transactions.
 *
 * <p>Every method here may block (disk, fsync) and is called only from the
 * {@link org.mailroom.core.exec.BlockingExecutor}, never from an event loop. Nothing in the
 * interfaces assumes a mailbox is a local directory; {@code maildir} is the one implementation.
 */
package org.mailroom.core.store;
