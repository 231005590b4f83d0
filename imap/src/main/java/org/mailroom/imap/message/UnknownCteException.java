package org.mailroom.imap.message;

/**
 * BINARY asked for a part whose Content-Transfer-Encoding this server cannot decode; the session
 * answers {@code NO [UNKNOWN-CTE]} (RFC 3516 4.3, RFC 9051 7.1).
 */
public final class UnknownCteException extends Exception {

    private final String encoding;

    public UnknownCteException(String encoding) {
        super("unknown Content-Transfer-Encoding: " + encoding);
        this.encoding = encoding;
    }

    /** The encoding as the part names it. */
    public String encoding() { return encoding; }
}
