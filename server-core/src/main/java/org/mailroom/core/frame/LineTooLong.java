package org.mailroom.core.frame;

/**
 * A line exceeded {@code limit} octets; the decoder drops the rest of it up to the next LF.
 *
 * @param head the first octets of the line (at most {@link #HEAD} of them, decoded as UTF-8), so
 *             that a protocol can still name the command it answers (an IMAP tag); empty when
 *             unknown
 */
public record LineTooLong(int limit, String head) {
    /** Octets of the line kept in {@link #head}. */
    public static final int HEAD = 64;

    public LineTooLong(int limit) {
        this(limit, "");
    }
}
