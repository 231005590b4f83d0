package org.mailroom.core.store;

import java.time.Instant;
import java.util.Set;

/**
 * One message of a mailbox as of the last synchronisation.
 *
 * @param uid          unique within the mailbox's UIDVALIDITY, ascending in arrival order (RFC 9051 2.3.1.1)
 * @param size         octets as stored (LF line ends)
 * @param rfc822Size   octets with CRLF line ends: what POP3 LIST and IMAP RFC822.SIZE report
 * @param internalDate when the message arrived
 * @param flags        system flags ({@code \Seen}, ...) as Maildir keeps them in the file name
 */
public record MessageRef(long uid, long size, long rfc822Size, Instant internalDate, Set<Flag> flags) {}
