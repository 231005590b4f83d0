package org.mailroom.smtp.server;

/**
 * Where a session is in RFC 5321 terms (4.1.4 command order, 3.3 mail transactions).
 */
enum SmtpState {
    /** Greeting sent; no EHLO/HELO yet, or STARTTLS just reset the session (RFC 3207 4.2). */
    CONNECTED,
    /** EHLO/HELO answered; no transaction. */
    GREETED,
    /** MAIL accepted; no RCPT accepted yet. */
    MAIL,
    /** At least one RCPT accepted. */
    RCPT,
    /** 354 sent: message content is arriving, or the end of data is being handled. */
    DATA;

    /** The states in which command lines are read (RFC 5321 4.1.4: every state but DATA). */
    static final java.util.Set<SmtpState> COMMANDS = java.util.EnumSet.of(CONNECTED, GREETED, MAIL, RCPT);
}
