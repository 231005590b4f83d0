package org.mailroom.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.mailroom.core.store.Flag;

/**
 * One message as SEARCH sees it; the session implements it over its selected view and the mail
 * store. A {@link SearchMatcher} reads the cheap attributes first and opens the header or the
 * whole message only when a key still needs it, and at most once each per
 * {@link SearchMatcher#matches} call (the header is not opened when the whole message was read).
 *
 * <p>An implementation is used by one thread at a time; distinct candidates may be evaluated on
 * distinct threads at once, so a shared backing store must allow concurrent reads.
 */
public interface Candidate {

    /** Message sequence number in the session's view, 1-based (RFC 9051 2.3.1.2). */
    long seq();

    /** UID (RFC 9051 2.3.1.1). */
    long uid();

    /** The largest sequence number in the view, i.e. the message count: {@code *} in a sequence set. */
    long largestSeq();

    /** The UID of the last message in the view: {@code *} in a UID set (0 when the view is empty). */
    long largestUid();

    /**
     * Whether the system flag is set. The five system flags are the store's {@link Flag} enum;
     * {@code \Recent} is {@link #isRecent()}.
     */
    boolean hasFlag(Flag flag);

    /** Whether the keyword (a flag-keyword atom, RFC 9051 2.3.2) is set; compare ASCII case-insensitively. */
    boolean hasKeyword(String keyword);

    /** {@code \Recent} for this session (RFC 3501 2.3.2). */
    boolean isRecent();

    /** INTERNALDATE (RFC 9051 2.3.3). */
    Instant internalDate();

    /** RFC822.SIZE: octets with CRLF line ends (RFC 9051 2.3.4). */
    long rfc822Size();

    /** The message's mod-sequence (RFC 7162 3.1.5); 0 if the mailbox has none. */
    long modSeq();

    /**
     * The whole message as stored (LF or CRLF line ends). The caller reads it once, to the end,
     * and closes it.
     *
     * @throws IOException e.g. {@link java.nio.file.NoSuchFileException} when another session
     *     expunged the message meanwhile; it ends the evaluation with this exception
     */
    InputStream openMessage() throws IOException;

    /**
     * A stream that starts with the header block; the caller stops reading after the empty line
     * that ends it. The default is {@link #openMessage()}; a store with cached headers may return
     * just those (followed by the empty line).
     */
    default InputStream openHeader() throws IOException {
        return openMessage();
    }
}
