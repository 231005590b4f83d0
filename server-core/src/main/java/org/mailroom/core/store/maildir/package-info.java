/**
 * The Maildir++ implementation of the store (DESIGN.md section 3): one directory per account at
 * {@code <mail>/<domain>/<local-part>/} with {@code tmp/ new/ cur/} for INBOX and {@code .Name}
 * directories for folders ({@link org.mailroom.core.store.maildir.MaildirMailboxes}); file names in
 * the standard form {@code <seconds>.M<micros>P<pid>Q<n>R<random>.<host>,S=<size>,W=<rfc822size>[:2,<flags>]}
 * so that mutt, Dovecot and other Maildir tools read and change the same mail.
 *
 * <p>Delivery (maildir.txt, cr.yp.to): write into {@code tmp/}, fdatasync, rename into
 * {@code new/}, fsync {@code new/}. Directory fsyncs of concurrent deliveries into the same
 * directory are shared ({@link org.mailroom.core.io.DirectorySync}), so N messages committed in
 * one window cost N data syncs (in parallel) and one directory sync. A folder that is open in this
 * process is told at once, so IDLE sessions learn of the message without polling: the views' callbacks
 * run on the delivering thread before the delivery returns, and must only schedule work (IMAP
 * queues the session on its event loop), so 1,000 idling sessions cost the delivery well under a
 * millisecond. The changes go out as events through the store-neutral
 * {@link org.mailroom.core.store.FolderEvents}, as in the mbox store.
 *
 * <p>Each folder has one in-memory {@link org.mailroom.core.store.maildir.FolderState} shared by all
 * views, persisted in {@link org.mailroom.core.store.maildir.FolderIndex} (snapshot + change log:
 * UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, uid -> base name, flags, keywords, mod-sequences, sizes) and
 * {@link org.mailroom.core.store.maildir.FolderCache} (derived values such as ENVELOPE). UIDs are
 * keyed by the base file name (before {@code :2,}), so renames by other tools that change flags or
 * move a file from {@code new/} to {@code cur/} keep the UID; changes by other tools are noticed by
 * the directories' modification times (and a full rescan at least once a minute) and published as
 * flag changes, expunges and new messages with new mod-sequences. When the index is missing it is
 * rebuilt (or imported from 0.1's {@code mailroom-uidlist}); when unreadable, rebuilt with a larger
 * UIDVALIDITY.
 *
 * <p>Not done: eviction of idle folder states from memory, compaction of the cache file, per-account
 * quota (TODO(#6)).
 */
package org.mailroom.core.store.maildir;
