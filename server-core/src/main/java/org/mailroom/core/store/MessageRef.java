package org.mailroom.core.store;

import java.time.Instant;
import java.util.Set;

/**
 * One message of a mailbox as of the last synchronisation. Immutable: a change of flags makes a new
 * ref with a larger {@code modSeq}.
 *
 * @param uid          unique within the mailbox's UIDVALIDITY, ascending in arrival order (RFC 9051 2.3.1.1)
 * @param size         octets as stored (LF line ends), or -1 when not known yet (see {@link Mailbox#measure})
 * @param rfc822Size   octets with CRLF line ends: what POP3 LIST and IMAP RFC822.SIZE report; -1 when
 *                     not known yet
 * @param internalDate when the message arrived
 * @param flags        system flags ({@code \Seen}, ...) as Maildir keeps them in the file name
 * @param keywords     IMAP keywords ({@code $Forwarded}, {@code $Junk}, ...), as given (case kept)
 * @param modSeq       RFC 7162 mod-sequence of the last change to this message, {@code >= 1}
 */
public record MessageRef(long uid, long size, long rfc822Size, Instant internalDate, Set<Flag> flags,
                         Set<String> keywords, long modSeq) {

    public boolean has(Flag f) { return flags.contains(f); }
}
