package org.mailroom.imap.server;

/**
 * {@code * BYE} (RFC 9051 7.1.5): the server ends the connection now, without a tagged response
 * for the running command (a limit the client cannot recover from, an internal failure).
 */
public final class ImapBye extends ImapException {
    private static final long serialVersionUID = 1L;

    public ImapBye(String code, String text) {
        super(code, text);
    }

    public ImapBye(String text) {
        this(null, text);
    }
}
