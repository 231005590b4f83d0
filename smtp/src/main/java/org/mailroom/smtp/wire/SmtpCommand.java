package org.mailroom.smtp.wire;

/**
 * A parsed SMTP command (RFC 5321 4.1.1), one record per verb. Made by {@link SmtpCommandParser},
 * which knows nothing of sessions, and executed by the server's handlers.
 */
public sealed interface SmtpCommand {

    /** RFC 5321 4.1.1.1; {@code domain} is the argument as given (a domain or address literal). */
    record Ehlo(String domain) implements SmtpCommand {}

    /**
     * RFC 4954 4: {@code AUTH mechanism [initial-response]}; {@code initialResponse} is the
     * base64 text as sent ({@code =} for an empty one), or null when absent.
     */
    record Auth(String mechanism, String initialResponse) implements SmtpCommand {}

    /** RFC 5321 4.1.1.1. */
    record Helo(String domain) implements SmtpCommand {}

    /** RFC 5321 4.1.1.2. */
    record Mail(Path from, MailParams params) implements SmtpCommand {}

    /** RFC 5321 4.1.1.3. */
    record Rcpt(Path to, MailParams params) implements SmtpCommand {}

    /** RFC 5321 4.1.1.4. */
    record Data() implements SmtpCommand {}

    /**
     * RFC 3030 2: {@code BDAT chunk-size [SP "LAST"]}; exactly {@code size} octets of content
     * follow the command line.
     */
    record Bdat(long size, boolean last) implements SmtpCommand {}

    /** RFC 5321 4.1.1.5. */
    record Rset() implements SmtpCommand {}

    /** RFC 5321 4.1.1.6; the argument is a user name or mailbox, taken as an opaque string. */
    record Vrfy(String argument) implements SmtpCommand {}

    /** RFC 5321 4.1.1.7. */
    record Expn(String argument) implements SmtpCommand {}

    /** RFC 5321 4.1.1.8; {@code topic} is "" when none was given. */
    record Help(String topic) implements SmtpCommand {}

    /** RFC 5321 4.1.1.9; an argument is allowed and ignored. */
    record Noop() implements SmtpCommand {}

    /** RFC 5321 4.1.1.10. */
    record Quit() implements SmtpCommand {}

    /** RFC 3207 4. */
    record StartTls() implements SmtpCommand {}

    /** A verb this server does not know; the verb is upper-cased and may be empty. */
    record Unknown(String verb) implements SmtpCommand {}
}
