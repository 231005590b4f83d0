package org.mailroom.smtp.wire;

import static org.mailroom.smtp.wire.EnhancedStatus.X_5_1_3;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_1_7;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_2;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_4;
import static org.mailroom.smtp.wire.ReplyCode.C500_SYNTAX_ERROR;
import static org.mailroom.smtp.wire.ReplyCode.C501_SYNTAX_ERROR_PARAMS;

import java.util.Locale;

/**
 * Turns one command line (without CRLF) into an {@link SmtpCommand} (RFC 5321 4.1.1, syntax in
 * 4.1.2). Syntax errors are thrown as {@link SmtpReplyException}s carrying the reply:
 * 501 5.5.4 for bad or missing arguments, 501 5.1.7 / 5.1.3 for a bad sender / recipient address
 * (RFC 3463 3.2), 500 5.5.2 for control or 8-bit characters where none may be.
 *
 * <p>Leniency, each deliberate: verbs are case-insensitive (RFC 5321 2.4); runs of spaces and
 * trailing spaces are tolerated; a space after {@code FROM:} / {@code TO:} is tolerated because
 * many clients send it (RFC 5321 4.1.2 has none), but a path without angle brackets is not.
 */
public final class SmtpCommandParser {
    private SmtpCommandParser() {}

    /** The verb, upper-cased; "" for an empty line. Never fails. */
    public static String verb(String line) {
        int sp = line.indexOf(' ');
        return (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    }

    /** Parses {@code line}; an unknown verb gives {@link SmtpCommand.Unknown}. */
    public static SmtpCommand parse(String line) {
        String verb = verb(line);
        String args = line.length() > verb.length() ? line.substring(verb.length() + 1).strip() : "";
        switch (verb) {
            case "MAIL" -> { return mail(args); }
            case "RCPT" -> { return rcpt(args); }
            default -> { /* the others take ASCII only */ }
        }
        requirePlain(line);
        return switch (verb) {
            case "EHLO" -> new SmtpCommand.Ehlo(required(args, "EHLO hostname"));
            case "HELO" -> new SmtpCommand.Helo(required(args, "HELO hostname"));
            case "DATA" -> { none(args, "DATA"); yield new SmtpCommand.Data(); }
            case "RSET" -> { none(args, "RSET"); yield new SmtpCommand.Rset(); }
            case "QUIT" -> { none(args, "QUIT"); yield new SmtpCommand.Quit(); }
            case "STARTTLS" -> { none(args, "STARTTLS"); yield new SmtpCommand.StartTls(); }
            case "NOOP" -> new SmtpCommand.Noop();
            case "HELP" -> new SmtpCommand.Help(args);
            case "VRFY" -> new SmtpCommand.Vrfy(required(args, "VRFY address"));
            case "EXPN" -> new SmtpCommand.Expn(required(args, "EXPN mailing-list"));
            case "AUTH" -> auth(args);
            case "BDAT" -> bdat(args);
            default -> new SmtpCommand.Unknown(verb);
        };
    }

    private static SmtpCommand.Mail mail(String args) {
        String path = pathArgument(args, "FROM:", "MAIL FROM:<address>");
        try {
            Path from = Path.parseReverse(path);
            return new SmtpCommand.Mail(from, params(args.substring(args.indexOf('<') + path.length())));
        } catch (IllegalArgumentException e) {
            throw new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_1_7, "Bad sender address syntax: " + e.getMessage());
        }
    }

    private static SmtpCommand.Rcpt rcpt(String args) {
        String path = pathArgument(args, "TO:", "RCPT TO:<address>");
        try {
            Path to = Path.parseForward(path);
            return new SmtpCommand.Rcpt(to, params(args.substring(args.indexOf('<') + path.length())));
        } catch (IllegalArgumentException e) {
            throw new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_1_3, "Bad recipient address syntax: " + e.getMessage());
        }
    }

    /** RFC 4954 4: AUTH SP sasl-mech [SP initial-response]; sasl-mech is 1*20 of [A-Z0-9-_] (RFC 4422 3.1). */
    private static SmtpCommand.Auth auth(String args) {
        String[] p = args.split(" +");
        if (args.isEmpty() || p.length > 2 || !p[0].matches("[A-Za-z0-9_-]{1,20}")) {
            throw syntax("AUTH mechanism [initial-response]");
        }
        return new SmtpCommand.Auth(p[0].toUpperCase(Locale.ROOT), p.length == 2 ? p[1] : null);
    }

    /**
     * RFC 3030 2: {@code bdat-cmd = "BDAT" SP chunk-size [SP end-marker]}, chunk-size = 1*DIGIT,
     * end-marker = "LAST" (case-insensitive like every keyword). Sizes above 18 digits are refused:
     * no client sends an exabyte chunk.
     */
    public static SmtpCommand.Bdat bdat(String args) {
        String[] p = args.split(" +");
        if (args.isEmpty() || p.length > 2 || !p[0].matches("[0-9]{1,18}")
                || (p.length == 2 && !p[1].equalsIgnoreCase("LAST"))) {
            throw syntax("BDAT chunk-size [LAST]");
        }
        return new SmtpCommand.Bdat(Long.parseLong(p[0]), p.length == 2);
    }

    /**
     * The octets that follow {@code line} on the wire: the size of a well-formed BDAT command,
     * else -1. For the frame decoder, which must switch to raw octets before the command runs.
     */
    public static long chunkOctets(String line) {
        if (!verb(line).equals("BDAT")) return -1;
        try {
            return bdat(line.substring(4).strip()).size();
        } catch (SmtpReplyException e) {
            return -1;
        }
    }

    /** The {@code <...>} after {@code FROM:} / {@code TO:}. */
    private static String pathArgument(String args, String keyword, String syntax) {
        if (!args.regionMatches(true, 0, keyword, 0, keyword.length())) throw syntax(syntax);
        int open = keyword.length();
        // XXX RFC 5321 4.1.2 has no space after the colon; tolerated because Outlook and others send it
        while (open < args.length() && args.charAt(open) == ' ') open++;
        if (open >= args.length() || args.charAt(open) != '<') throw syntax(syntax);
        int end = Path.endOf(args, open);
        if (end < 0) throw syntax(syntax);
        return args.substring(open, end);
    }

    private static MailParams params(String rest) {
        if (rest.isEmpty()) return MailParams.NONE;
        if (rest.charAt(0) != ' ') throw new IllegalArgumentException("no space after the address");
        requirePlain(rest);
        try {
            return MailParams.parse(rest);
        } catch (IllegalArgumentException e) {
            throw new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_5_4, "Bad parameter syntax: " + e.getMessage());
        }
    }

    private static String required(String args, String syntax) {
        if (args.isEmpty()) throw syntax(syntax);
        return args;
    }

    private static void none(String args, String syntax) {
        if (!args.isEmpty()) throw syntax(syntax);
    }

    private static SmtpReplyException syntax(String syntax) {
        return new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_5_4, "Syntax: " + syntax);
    }

    /** Command text is printable ASCII (RFC 5321 2.4; 8-bit only with SMTPUTF8, RFC 6531). */
    private static void requirePlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                throw new SmtpReplyException(C500_SYNTAX_ERROR, X_5_5_2, "Error: control or 8-bit characters in command");
            }
        }
    }
}
