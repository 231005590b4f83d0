package org.mailroom.imap.server;

/**
 * A command ends with a response other than {@code OK} (STYLE.md 1.2 point 4): thrown by handlers
 * (also inside their {@link java.util.concurrent.CompletionStage}s) and turned into the response by
 * the session in one place. Unchecked, so that it can be thrown from stage callbacks.
 *
 * <p>{@link #code()} is the response code without brackets ({@code TOOBIG},
 * {@code AUTHENTICATIONFAILED}, {@code CAPABILITY IMAP4rev2 ...}) or null; {@link #getMessage()}
 * is the human-readable text, in English, never containing credentials.
 */
public abstract sealed class ImapException extends RuntimeException permits ImapNo, ImapBad, ImapBye {
    private static final long serialVersionUID = 1L;

    private final String code;

    ImapException(String code, String text) {
        super(text, null, false, false);
        this.code = code;
    }

    /** The response code without brackets, or null. */
    public String code() { return code; }

    public String text() { return getMessage(); }
}
