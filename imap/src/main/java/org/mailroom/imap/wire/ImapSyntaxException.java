package org.mailroom.imap.wire;

/**
 * Malformed client input in the IMAP wire syntax (RFC 9051 section 9). The session answers the
 * command with {@code BAD} and this message (STYLE.md 1.2 rule 2); nothing else is thrown for bad
 * client input by this package. Checked, so that no caller can forget the {@code BAD}. The one
 * subclass, {@link BadCharsetException}, asks for {@code NO [BADCHARSET ...]} instead.
 */
public class ImapSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    public ImapSyntaxException(String message) {
        super(message);
    }
}
