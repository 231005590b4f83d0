package org.mailroom.smtp.wire;

import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_4;
import static org.mailroom.smtp.wire.ReplyCode.C501_SYNTAX_ERROR_PARAMS;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The syntax of the DSN parameters (RFC 3461 4) and of the other MAIL parameters with a value
 * set: checked here, used by the server's MAIL/RCPT handler. Every method throws 501 5.5.4
 * (RFC 3461 4: "syntax error in parameters") naming the parameter; nothing is decoded, values are
 * returned as the client wrote them (upper-cased keywords), so that nothing a client sends can add
 * a line to the queue record or a DSN.
 */
public final class DsnSyntax {
    /** RFC 3461 4.4: ENVID is at most 100 characters. */
    public static final int MAX_ENVID = 100;
    /** RFC 3461 4.2: ORCPT is at most 500 characters. */
    public static final int MAX_ORCPT = 500;

    private DsnSyntax() {}

    /** RFC 3461 4.3: {@code RET=FULL} or {@code RET=HDRS}; returns the value upper-cased. */
    public static String ret(String v) {
        String u = v == null ? "" : v.toUpperCase(Locale.ROOT);
        if (!u.equals("FULL") && !u.equals("HDRS")) throw bad("RET");
        return u;
    }

    /** RFC 3461 4.4: {@code ENVID=xtext}, at most 100 characters. */
    public static String envid(String v) {
        if (v == null || v.isEmpty() || v.length() > MAX_ENVID || !isXtext(v)) throw bad("ENVID");
        return v;
    }

    /**
     * RFC 3461 4.1: {@code NEVER}, or a comma-separated list of {@code SUCCESS}, {@code FAILURE},
     * {@code DELAY}, each at most once; NEVER may not be combined with the others.
     */
    public static Set<String> notify(String v) {
        if (v == null || v.isEmpty()) throw bad("NOTIFY");
        Set<String> out = new LinkedHashSet<>();
        for (String p : v.split(",", -1)) {
            String u = p.toUpperCase(Locale.ROOT);
            if (!(u.equals("NEVER") || u.equals("SUCCESS") || u.equals("FAILURE") || u.equals("DELAY"))
                    || !out.add(u)) {
                throw bad("NOTIFY");
            }
        }
        if (out.contains("NEVER") && out.size() > 1) throw bad("NOTIFY");
        return out;
    }

    /**
     * RFC 3461 4.2: {@code ORCPT=addr-type ";" xtext}, addr-type an atom ({@code rfc822}), at most
     * 500 characters. Returned as given; the addr-type is not upper-cased because DSNs report it as
     * given (RFC 3464 2.3.1).
     */
    public static String orcpt(String v) {
        if (v == null || v.length() > MAX_ORCPT) throw bad("ORCPT");
        int semi = v.indexOf(';');
        if (semi < 1 || semi == v.length() - 1) throw bad("ORCPT");
        String type = v.substring(0, semi);
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            boolean atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
            if (!atext) throw bad("ORCPT");
        }
        if (!isXtext(v.substring(semi + 1))) throw bad("ORCPT");
        return v;
    }

    /** RFC 6152 / RFC 3030 3: {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME}, upper-cased. */
    public static String body(String v) {
        String u = v == null ? "" : v.toUpperCase(Locale.ROOT);
        if (!u.equals("7BIT") && !u.equals("8BITMIME") && !u.equals("BINARYMIME")) {
            throw new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_5_4, "Error: unsupported BODY type");
        }
        return u;
    }

    /** RFC 6531 3.4: {@code SMTPUTF8} takes no value. */
    public static void smtputf8(String v) {
        if (v != null) throw bad("SMTPUTF8");
    }

    /**
     * RFC 3461 4: {@code xtext = *( xchar / hexchar )}, xchar any of {@code !} to {@code ~} but
     * {@code +} and {@code =}, hexchar {@code +} and two upper-case hex digits.
     */
    public static boolean isXtext(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) return false;
                i += 2;
            } else if (c < '!' || c > '~' || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static SmtpReplyException bad(String keyword) {
        return new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_5_4, "Error: bad " + keyword + " parameter");
    }
}
