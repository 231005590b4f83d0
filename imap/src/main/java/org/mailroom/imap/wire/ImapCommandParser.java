package org.mailroom.imap.wire;

/**
 * Parses a whole {@link CommandText} into a tag and a {@link Command} (RFC 9051 9 grammar). Knows
 * nothing of sessions or state: a syntax error is an {@link ImapSyntaxException}, which the session
 * answers with {@code BAD}.
 */
public final class ImapCommandParser {
    private ImapCommandParser() {}

    /** A tag and its command. */
    public record Tagged(String tag, Command command) {}

    /**
     * The tag of a command line, or {@code null} when the line does not start with a valid tag
     * (the session then answers {@code * BAD}).
     */
    public static String tagOf(String firstLine) {
        throw new UnsupportedOperationException("TODO(#6)");
    }

    /**
     * The command name (upper-cased; {@code "UID FETCH"} for UID commands) of a first line, or
     * {@code null}. Lets the session choose a literal size limit (APPEND) before the octets arrive.
     */
    public static String commandName(String firstLine) {
        throw new UnsupportedOperationException("TODO(#6)");
    }

    public static Tagged parse(CommandText text) throws ImapSyntaxException {
        throw new UnsupportedOperationException("TODO(#6)");
    }
}
