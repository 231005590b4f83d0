package org.mailroom.pop3;

import org.mailroom.pop3.Pop3Request.Auth;
import org.mailroom.pop3.Pop3Request.Bare;
import org.mailroom.pop3.Pop3Request.Numbered;
import org.mailroom.pop3.Pop3Request.Pass;
import org.mailroom.pop3.Pop3Request.Top;
import org.mailroom.pop3.Pop3Request.User;

/**
 * Turns one command line into a {@link Pop3Request}. Knows nothing of sessions; a syntax error is a
 * {@link Pop3Error} carrying the {@code -ERR} reply.
 */
public final class Pop3Parser {
    /** RFC 2449 4: a command line is at most 255 octets including the CRLF. */
    static final int MAX_COMMAND_LENGTH = 255 - 2;

    private Pop3Parser() {}

    public static Pop3Request parse(String line) throws Pop3Error {
        // RFC 1939 3: a keyword, then arguments separated by single spaces.
        int sp = line.indexOf(' ');
        String keyword = sp < 0 ? line : line.substring(0, sp);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        Pop3Command c = Pop3Command.lookup(keyword);
        if (c == null) throw new Pop3Error("Unknown command");
        // XXX AUTH may carry a longer initial response; RFC 5034 4 lets the client send it anyway
        // when the server allows (the decoder's limit still applies).
        if (c != Pop3Command.AUTH && line.length() > MAX_COMMAND_LENGTH) throw new Pop3Error("Line too long");
        return switch (c) {
            case CAPA, QUIT, STLS, STAT, NOOP, RSET -> {
                if (sp >= 0) throw new Pop3Error("Too many arguments");
                yield new Bare(c);
            }
            case USER -> {
                if (rest.isEmpty()) throw new Pop3Error("USER needs a name");
                yield new User(rest);
            }
            // RFC 1939 7: the password may contain spaces; Dovecot also takes the rest of the line.
            case PASS -> {
                if (rest.isEmpty()) throw new Pop3Error("PASS needs a password");
                yield new Pass(rest);
            }
            case AUTH -> {
                String[] a = rest.split(" ", -1);
                if (rest.isEmpty() || a.length > 2 || a[0].isEmpty()) throw new Pop3Error("Syntax: AUTH mechanism [initial-response]");
                yield new Auth(a[0], a.length == 2 ? a[1] : null);
            }
            case LIST, UIDL -> {
                if (sp < 0) yield new Numbered(c, Numbered.ALL);
                yield new Numbered(c, number(rest, "message number"));
            }
            case RETR, DELE -> {
                if (sp < 0) throw new Pop3Error(c + " needs a message number");
                yield new Numbered(c, number(rest, "message number"));
            }
            case TOP -> {
                String[] a = rest.split(" ", -1);
                if (a.length != 2) throw new Pop3Error("Syntax: TOP msg n");
                yield new Top(number(a[0], "message number"), number(a[1], "number of lines"));
            }
        };
    }

    /** RFC 1939 3: arguments are decimal; a value above int range cannot name anything real. */
    private static int number(String s, String what) throws Pop3Error {
        if (s.isEmpty() || s.length() > 10) throw new Pop3Error("Invalid " + what);
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') throw new Pop3Error("Invalid " + what);
            v = v * 10 + (ch - '0');
        }
        if (v > Integer.MAX_VALUE) throw new Pop3Error("Invalid " + what);
        return (int) v;
    }
}
