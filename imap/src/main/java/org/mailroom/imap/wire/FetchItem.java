package org.mailroom.imap.wire;

/**
 * One {@code fetch-att} of a FETCH command (RFC 9051 6.4.5, RFC 7162 3.1.4 MODSEQ, RFC 3516 BINARY).
 * The macros {@code ALL}, {@code FAST} and {@code FULL} are expanded by the parser.
 */
public sealed interface FetchItem {

    /** Items without arguments. {@link #BODY} is the non-extensible BODYSTRUCTURE. */
    enum Simple implements FetchItem {
        UID, FLAGS, INTERNALDATE, RFC822_SIZE, ENVELOPE, BODY, BODYSTRUCTURE, MODSEQ,
        /** {@code RFC822}: like {@code BODY[]}, sets \Seen, answered as {@code RFC822}. */
        RFC822,
        /** {@code RFC822.HEADER}: like {@code BODY.PEEK[HEADER]}. */
        RFC822_HEADER,
        /** {@code RFC822.TEXT}: like {@code BODY[TEXT]}, sets \Seen. */
        RFC822_TEXT;

        /** The name in a response: {@code RFC822.SIZE} for {@code RFC822_SIZE}. */
        public String wire() { return name().replace('_', '.'); }
    }

    /**
     * {@code BODY[section]<origin.count>} or {@code BODY.PEEK[...]}.
     *
     * @param partialStart {@code -1} when no partial was asked
     * @param partialCount octets at most; meaningful only with a partial
     */
    record Body(Section section, boolean peek, long partialStart, long partialCount) implements FetchItem {
        public boolean partial() { return partialStart >= 0; }
    }

    /**
     * {@code BINARY[part]<partial>} or {@code BINARY.PEEK[...]} (RFC 3516 / RFC 9051 6.4.5): the part
     * with its content-transfer-encoding removed.
     */
    record Binary(int[] part, boolean peek, long partialStart, long partialCount) implements FetchItem {
        public boolean partial() { return partialStart >= 0; }
    }

    /** {@code BINARY.SIZE[part]}. */
    record BinarySize(int[] part) implements FetchItem {}
}
