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
     * {@code string}: quoted when every octet is printable US-ASCII other than {@code "} and
     * {@code \} (Dovecot sends those as literals too, which every client reads), else a literal
     * {@code {n}CRLF} with the raw octets (8-bit header values of RFC 6532 mail go out unchanged).
     */
    ImapOut string(String s) {
        return string(s, false);
    }

    private ImapOut string(String s, boolean forceLiteral) {
        boolean quotable = !forceLiteral && s.length() <= MAX_QUOTED;
        for (int i = 0; quotable && i < s.length(); i++) {
            char c = s.charAt(i);
            quotable = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
        }
        if (quotable) {
            return c('"').ascii(s).c('"');
        }
        return c('{').ascii(Integer.toString(s.length())).ascii("}\r\n").ascii(s);
    }

    /**
     * A header value as ENVELOPE sends it: CR and LF removed (the value is already unfolded),
     * TAB turned into SP, as Dovecot does, so a folded value reads as one line (and, as Dovecot
     * does, such a value goes out as a literal).
     */
    ImapOut headerString(String s) {
        if (s == null) {
            return nil();
        }
        boolean hadTab = s.indexOf('\t') >= 0 || s.indexOf('\r') >= 0;
        if (hadTab || s.indexOf('\n') >= 0) {
            StringBuilder sb = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\t' || c == '\r') {
                    // a bare CR too: Dovecot shows it as a space
                    sb.append(' ');
                } else if (c != '\n') {
                    sb.append(c);
                }
            }
            s = sb.toString();
        }
        return string(s, hadTab);
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

    byte[] toByteArray() {
        return Arrays.copyOf(b, n);
    }

    private void ensure(int more) {
        if (n + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }
    }
}
