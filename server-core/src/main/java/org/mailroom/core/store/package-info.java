/**
 * The mail store: the one boundary through which the MDA, POP3 and IMAP reach mail. Protocol-neutral
 * nouns only: a {@link org.mailroom.core.store.Mailbox} holds {@link org.mailroom.core.store.MessageRef}s
 * addressed by UID; sequence numbers and POP3 message numbers are per-session views kept by the
 * protocols. Deliveries are {@link org.mailroom.core.store.StoreDelivery} transactions.
 *
 * <p>Every method here may block (disk, fsync) and is called only from the
 * {@link org.mailroom.core.exec.BlockingExecutor}, never from an event loop. Nothing in the
 * interfaces assumes a mailbox is a local directory; {@code maildir} is the one implementation.
 *
 * <p>Shared by the stores: {@link org.mailroom.core.store.FolderEvents}, the event log of a loaded
 * folder and where each of its views stands in it, and {@link org.mailroom.core.store.ViewReplay},
 * which moves a view's snapshot over the events. Both are made for many views of one folder (1,000
 * sessions of one user idling on INBOX): the checks an idling session makes on a wake-up take no
 * lock, reading its events takes the folder lock once and costs O(log positions), not O(views), and
 * a change is replayed once per place views stand, not once per view, so the views keep sharing
 * one snapshot list (otherwise each idle session would keep its own copy of a large folder's
 * list after the first delivery: 80 KiB for 20,000 messages).
 */
package org.mailroom.core.store;
