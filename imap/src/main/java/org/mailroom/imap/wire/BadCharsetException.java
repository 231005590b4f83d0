package org.mailroom.imap.wire;

/**
 * A SEARCH names a charset the server does not support, or its text is not in the charset it names
 * ({@link #notIn}). Not a syntax error: RFC 9051 6.4.4 wants the tagged
 * {@code NO [BADCHARSET (UTF-8 US-ASCII)]} (RFC 9051 7.1), so the session catches this before
 * {@link ImapSyntaxException}.
 */
public final class BadCharsetException extends ImapSyntaxException {

    private static final long serialVersionUID = 1L;

    private final String charset;
    private final String text;

    public BadCharsetException(String charset) {
        this(charset, "Unsupported charset " + charset);
    }

    private BadCharsetException(String charset, String text) {
        super(text);
        this.charset = charset;
        this.text = text;
    }

    /** The search text was sent in some other charset than {@code charset}, the one it was read in. */
    public static BadCharsetException notIn(String charset) {
        return new BadCharsetException(charset, "Search text is not " + charset);
    }

    /** The charset as the client named it. */
    public String charset() {
        return charset;
    }

    /** The human-readable text of the tagged NO. */
    public String text() {
        return text;
    }
}
