/**
 * The Maildir++ implementation of the store (DESIGN.md section 3): one directory per account at
 * {@code <mail>/<domain>/<local-part>/} with {@code tmp/ new/ cur/}, file names in the standard form
 * {@code <seconds>.M<micros>P<pid>Q<n>R<random>.<host>,S=<size>,W=<rfc822size>[:2,<flags>]} so
 * that mutt, Dovecot and other Maildir tools read and change the same mail.
 *
 * <p>Delivery (maildir.txt, cr.yp.to): write into {@code tmp/}, fdatasync, rename into
 * {@code new/}, fsync {@code new/}. Directory fsyncs of concurrent deliveries into the same
 * directory are shared ({@link org.mailroom.core.io.DirectorySync}), so N messages committed in
 * one window cost N data syncs (in parallel) and one directory sync.
 *
 * <p>UIDs live in {@code mailroom-uidlist} beside the mail ({@link org.mailroom.core.store.maildir.UidList}),
 * keyed by the base file name (the part before {@code :2,}), so renames by other tools that change
 * flags or move a file from {@code new/} to {@code cur/} keep the UID. It is rewritten atomically
 * and synced whenever UIDs are assigned; when missing or unreadable it is rebuilt with a new
 * UIDVALIDITY. Changes to one mailbox's index are serialised by an in-process lock per mailbox.
 */
package org.mailroom.core.store.maildir;
