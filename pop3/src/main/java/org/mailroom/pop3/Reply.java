package org.mailroom.pop3;

import java.util.List;

/**
 * One POP3 reply: a status line ({@code +OK}/{@code -ERR}, with an optional RFC 2449 response code,
 * or the {@code +} of a SASL challenge) and, for multi-line replies, the lines that follow;
 * {@link Pop3Writer} adds the byte-stuffing and the terminating {@code "."} (RFC 1939 3).
 *
 * @param status {@code +OK}, {@code -ERR} or {@code +}
 * @param lines  null for a single-line reply
 * @param close  close the connection once the reply is written
 */
public record Reply(String status, RespCode code, String text, List<String> lines, boolean close) {

    /**
     * Returned by a handler that started blocking work: the reply is written when the work is done
     * (Dovecot's "return FALSE, resume later"). Compared by identity.
     */
    static final Reply PENDING = new Reply("+OK", null, "(pending)", null, false);

    /**
     * Returned when resuming after blocking work by a handler that wrote its reply itself (a message
     * streamed in chunks): the command is complete. Compared by identity.
     */
    static final Reply WRITTEN = new Reply("+OK", null, "(written)", null, false);

    public static Reply ok(String text) {
        return new Reply("+OK", null, text, null, false);
    }

    public static Reply ok(String text, List<String> lines) {
        return new Reply("+OK", null, text, List.copyOf(lines), false);
    }

    public static Reply err(RespCode code, String text) {
        return new Reply("-ERR", code, text, null, false);
    }

    /** RFC 5034 4: a server challenge, {@code "+" SP base64}; empty for PLAIN. */
    public static Reply challenge(String base64) {
        return new Reply("+", null, base64, null, false);
    }

    public boolean ok() { return !status.equals("-ERR"); }

    /** The same reply, after which the connection is closed. */
    public Reply thenClose() {
        return new Reply(status, code, text, lines, true);
    }
}
