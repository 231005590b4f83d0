package org.mailroom.imap.server;

/** Tagged {@code NO} (RFC 9051 7.1.2): the command was valid but failed ({@code [TOOBIG]}, {@code [CANNOT]} ...). */
public final class ImapNo extends ImapException {
    private static final long serialVersionUID = 1L;

    public ImapNo(String code, String text) {
        super(code, text);
    }

    public ImapNo(String text) {
        this(null, text);
    }
}
