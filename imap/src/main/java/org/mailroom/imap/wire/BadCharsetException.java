package org.mailroom.imap.wire;

/**
 * A SEARCH names a charset the server does not support. Not a syntax error: RFC 9051 6.4.4 wants
 * the tagged {@code NO [BADCHARSET (UTF-8 US-ASCII)]} (RFC 9051 7.1), so the session catches this
 * before {@link ImapSyntaxException}.
 */
public final class BadCharsetException extends ImapSyntaxException {

    private static final long serialVersionUID = 1L;

    private final String charset;

    public BadCharsetException(String charset) {
        super("unsupported charset " + charset);
        this.charset = charset;
    }

    /** The charset as the client named it. */
    public String charset() {
        return charset;
    }
}
