package org.mailroom.pop3;

/**
 * A command failed; carries the {@code -ERR} reply. Thrown by the parser and the handlers and caught
 * once by the session, which writes the reply (STYLE.md 1.2 point 4).
 */
public final class Pop3Error extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    /** @param code the RFC 2449 response code, or null for a plain {@code -ERR} */
    public Pop3Error(RespCode code, String text) {
        super(text, null, false, false);
        this.reply = Reply.err(code, text);
    }

    public Pop3Error(String text) {
        this(null, text);
    }

    public Reply reply() { return reply; }
}
