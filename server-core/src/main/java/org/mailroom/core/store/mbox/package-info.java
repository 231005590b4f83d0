/**
 * mbox INBOXes (issue 7): {@link org.mailroom.core.store.mbox.MboxStore} routes per account between
 * the Maildir store and an mbox INBOX; the account's other folders stay Maildir++ beside it.
 *
 * <p>Format: mboxrd ({@link org.mailroom.core.store.mbox.MboxFormat}): {@code From sender asctime}
 * separators, {@code >From } quoting one level deeper on write and shallower on read, a blank line
 * after each message; flags in {@code Status:}/{@code X-Status:} as mutt and mailx write them,
 * keywords in Dovecot's {@code X-Keywords:}. Those headers are hidden from clients, so a message's
 * octets never change (RFC 9051 2.3.1.1).
 *
 * <p>Locking ({@link org.mailroom.core.store.mbox.MboxLock}): every write holds the dotlock
 * {@code <file>.lock} and an fcntl lock, as Debian's mutt, s-nail and procmail expect; reads hold a
 * shared fcntl lock. Within the process one lock per file ({@link org.mailroom.core.store.mbox.MboxFolder#lock})
 * orders deliveries, expunges and flag changes.
 *
 * <p>UIDs ({@link org.mailroom.core.store.mbox.MboxIndex}): a side index in the account's data
 * directory maps each message, by a hash of its separator line and header (flag headers left out),
 * to its UID; UIDVALIDITY, UIDNEXT and mod-sequences live there too. Nothing is written into the
 * mbox for UIDs, so other tools see plain mboxrd.
 *
 * <p>Rewrites (expunge, flag changes) are in place through a redo journal
 * ({@link org.mailroom.core.store.mbox.MboxJournal}): no message is lost if the daemon dies
 * mid-rewrite, and the file keeps its inode, owner and mode.
 *
 * <p>Not done: group commit of appends (each delivery costs one fdatasync while it holds the file
 * locks); a periodic full re-read (changes are noticed by size, times and inode); mboxo/mboxcl
 * input (Content-Length is not trusted); conversion of an account between formats; derived values
 * (ENVELOPE) are cached in memory only.
 */
package org.mailroom.core.store.mbox;
