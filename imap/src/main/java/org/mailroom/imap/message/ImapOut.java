package org.mailroom.imap.message;

import java.util.Arrays;

/**
 * A growable octet buffer for the parenthesised IMAP values of this package (RFC 9051 9:
 * {@code nstring}, {@code string}, lists). Strings are raw octets held one char per octet.
 */
final class ImapOut {

    /** Longer values are sent as literals (same bound as {@code ImapStrings.MAX_QUOTED}). */
    static final int MAX_QUOTED = 1024;

    private byte[] b = new byte[256];
    private int n;

    ImapOut ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            b[n++] = (byte) s.charAt(i);
        }
        return this;
    }

    ImapOut c(char c) {
        ensure(1);
        b[n++] = (byte) c;
        return this;
    }

    ImapOut nil() {
        return ascii("NIL");
    }

    ImapOut nstring(String s) {
        return s == null ? nil() : string(s);
    }

    /**
     * {@code string} as Dovecot writes it: quoted (with {@code "} and {@code \} escaped) unless the
     * value has CR, LF, another control character than TAB, an 8-bit octet, more than
     * {@link #MAX_ESCAPES} quoted-specials or more than {@link #MAX_QUOTED} octets; then a literal
     * {@code {n}CRLF} of the raw octets (8-bit values of RFC 6532 mail go out unchanged).
     */
    ImapOut string(String s) {
        return string(s, false);
    }

    /** Values with more quotes and backslashes than this are sent as literals (as Dovecot). */
    static final int MAX_ESCAPES = 4;

    private ImapOut string(String s, boolean forceLiteral) {
        boolean quotable = !forceLiteral && s.length() <= MAX_QUOTED;
        int escapes = 0;
        for (int i = 0; quotable && i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                quotable = ++escapes <= MAX_ESCAPES;
            } else {
                quotable = (c >= 0x20 || c == '\t') && c < 0x7F;
            }
        }
        if (!quotable) {
            return c('{').ascii(Integer.toString(s.length())).ascii("}\r\n").ascii(s);
        }
        ensure(s.length() + 2 + escapes);
        b[n++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b[n++] = '\\';
            }
            b[n++] = (byte) c;
        }
        b[n++] = '"';
        return this;
    }

    /**
     * A header value with its folds undone (RFC 5322 2.2.3) before {@link #string}: each CR or LF
     * is dropped, and where the next line does not start with white space a SP stands in for it
     * (Dovecot's ENVELOPE date, message-id, in-reply-to and the BODYSTRUCTURE header strings).
     */
    ImapOut nolf(String s) {
        if (s == null) {
            return nil();
        }
        if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return string(s);
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\r' && c != '\n') {
                sb.append(c);
            } else if (i + 1 < s.length() && " \t\r\n".indexOf(s.charAt(i + 1)) < 0) {
                sb.append(' ');
            }
        }
        return string(sb.toString());
    }

    /**
     * A value for people (ENVELOPE subject and address names), as Dovecot writes it: each run of
     * SP, TAB, CR and LF becomes one SP, white space at either end goes, NUL becomes 0x80; when
     * anything changed, or the value has {@code "}, {@code \} or 8-bit octets, it is sent as a
     * literal, otherwise quoted unchanged.
     */
    ImapOut humans(String s) {
        if (s == null) {
            return nil();
        }
        StringBuilder sb = new StringBuilder(s.length());
        boolean literal = false;
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                literal |= c != ' ' || space || sb.length() == 0;
                space = true;
                continue;
            }
            if (space && sb.length() > 0) {
                sb.append(' ');
            }
            space = false;
            if (c == 0) {
                c = 0x80;
                literal = true;
            }
            literal |= c == '"' || c == '\\' || c >= 0x80;
            sb.append(c);
        }
        literal |= space;
        if (!literal) {
            return c('"').ascii(s).c('"');
        }
        if (sb.length() == 0) {
            return ascii("\"\"");
        }
        return c('{').ascii(Integer.toString(sb.length())).ascii("}\r\n").ascii(sb.toString());
    }

    ImapOut number(long v) {
        return ascii(Long.toString(v));
    }

    ImapOut bytes(byte[] src) {
        ensure(src.length);
        System.arraycopy(src, 0, b, n, src.length);
        n += src.length;
        return this;
    }

    int length() { return n; }

    /** Octets written so far; a mark for {@link #truncate} and {@link #copyFrom}. */
    int size() {
        return n;
    }

    /** Drops what was written after {@code mark}. */
    void truncate(int mark) {
        n = mark;
    }

    /** The octets written after {@code mark}. */
    byte[] copyFrom(int mark) {
        return java.util.Arrays.copyOfRange(b, mark, n);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(b, n);
    }

    private void ensure(int more) {
        if (n + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }
    }
}
