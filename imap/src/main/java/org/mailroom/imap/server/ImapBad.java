package org.mailroom.imap.server;

/**
 * Tagged {@code BAD} (RFC 9051 7.1.3): a protocol error (syntax, wrong state, a cancelled
 * AUTHENTICATE). Untagged pending updates are not sent before it: the command was not executed.
 */
public final class ImapBad extends ImapException {
    private static final long serialVersionUID = 1L;

    public ImapBad(String code, String text) {
        super(code, text);
    }

    public ImapBad(String text) {
        this(null, text);
    }
}
