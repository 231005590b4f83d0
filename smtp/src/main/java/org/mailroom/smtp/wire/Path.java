package org.mailroom.smtp.wire;

import java.nio.charset.StandardCharsets;

/**
 * A reverse-path or forward-path (RFC 5321 4.1.2): {@code <>}, {@code <local@domain>}, or
 * {@code <Postmaster>} as a forward-path (RFC 5321 4.1.1.3).
 *
 * <p>Accepted: dot-string and quoted-string local parts, domains, address literals
 * ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}, general literals {@code [tag:content]}), and
 * source routes {@code <@a,@b:user@c>}, whose route is dropped (RFC 5321 4.1.1.3 and appendix C:
 * servers SHOULD accept and MAY ignore it). UTF-8 in local parts and domain labels (RFC 6531 3.3)
 * is parsed and reported by {@link #nonAscii()}; whether it is allowed is the session's decision.
 * Length limits of RFC 5321 4.5.3.1: local part 64 octets, domain 255, path 256.
 *
 * @param localPart the local part as written, quotes included; "" for the null path
 * @param domain    the domain or address literal (brackets included) as written; "" for the null
 *                  path and for {@code <Postmaster>}
 * @param nonAscii  the local part or domain contains UTF-8 beyond ASCII
 */
public record Path(String localPart, String domain, boolean nonAscii) {

    /** The null reverse-path {@code <>}, used for bounces (RFC 5321 4.5.5). */
    public static final Path NULL = new Path("", "", false);

    private static final int MAX_LOCAL_PART = 64;   // RFC 5321 4.5.3.1.1
    private static final int MAX_DOMAIN = 255;      // RFC 5321 4.5.3.1.2
    private static final int MAX_PATH = 256;        // RFC 5321 4.5.3.1.3, brackets included

    public boolean isNull() { return localPart.isEmpty(); }

    /** The address without brackets ({@code local@domain}), "" for the null path. */
    public String address() {
        if (isNull()) return "";
        return domain.isEmpty() ? localPart : localPart + "@" + domain;
    }

    @Override
    public String toString() { return "<" + address() + ">"; }

    /** Parses a MAIL FROM argument: angle brackets required, {@code <>} allowed. */
    public static Path parseReverse(String s) {
        return parse(s, false);
    }

    /** Parses a RCPT TO argument: angle brackets required, {@code <Postmaster>} allowed, {@code <>} not. */
    public static Path parseForward(String s) {
        return parse(s, true);
    }

    /**
     * Where the path that starts with '<' at {@code from} ends: the index after its closing '>',
     * skipping quoted strings; -1 when there is none.
     */
    public static int endOf(String s, int from) {
        boolean quoted = false;
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && c == '>') return i + 1;
        }
        return -1;
    }

    private static Path parse(String s, boolean forward) {
        if (s.length() < 2 || s.charAt(0) != '<' || s.charAt(s.length() - 1) != '>') {
            throw new IllegalArgumentException("address must be in angle brackets");
        }
        if (utf8Length(s) > MAX_PATH) throw new IllegalArgumentException("path longer than 256 octets");
        String inner = s.substring(1, s.length() - 1);
        if (inner.isEmpty()) {
            if (forward) throw new IllegalArgumentException("null path not allowed here");
            return NULL;
        }
        if (forward && inner.equalsIgnoreCase("postmaster")) return new Path(inner, "", false);
        Cursor c = new Cursor(inner);
        if (c.peek() == '@') c.route();
        String local = c.peek() == '"' ? c.quotedString() : c.dotString();
        c.expect('@');
        String domain = c.peek() == '[' ? c.addressLiteral() : c.domain();
        if (!c.atEnd()) throw new IllegalArgumentException("unexpected '" + c.peek() + "' after the domain");
        if (utf8Length(local) > MAX_LOCAL_PART) throw new IllegalArgumentException("local part longer than 64 octets");
        if (utf8Length(domain) > MAX_DOMAIN) throw new IllegalArgumentException("domain longer than 255 octets");
        return new Path(local, domain, c.nonAscii);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** RFC 5321 4.1.2 atext, plus UTF8-non-ascii (RFC 6531 3.3); U+FFFD marks invalid UTF-8. */
    private static boolean atext(char c) {
        if (c >= 0x80) return c != '\uFFFD';
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static boolean letDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || (c >= 0x80 && c != '\uFFFD');
    }

    /** A one-pass reader over the inside of the brackets. */
    private static final class Cursor {
        private final String s;
        private int i;
        private boolean nonAscii;

        Cursor(String s) { this.s = s; }

        boolean atEnd() { return i >= s.length(); }

        char peek() { return atEnd() ? '\0' : s.charAt(i); }

        void expect(char ch) {
            if (peek() != ch) throw new IllegalArgumentException("expected '" + ch + "'");
            i++;
        }

        /** A-d-l ":" (RFC 5321 4.1.2), read and thrown away. */
        void route() {
            do {
                expect('@');
                domain();
            } while (peek() == ',' && ++i > 0);
            expect(':');
            nonAscii = false; // only the mailbox counts
        }

        String dotString() {
            int start = i;
            while (true) {
                int atom = i;
                while (!atEnd() && atext(peek())) {
                    if (peek() >= 0x80) nonAscii = true;
                    i++;
                }
                if (i == atom) throw new IllegalArgumentException("bad local part");
                if (peek() != '.') break;
                i++;
            }
            return s.substring(start, i);
        }

        String quotedString() {
            int start = i++;
            while (true) {
                if (atEnd()) throw new IllegalArgumentException("unterminated quoted string");
                char c = s.charAt(i++);
                if (c == '"') break;
                if (c == '\\') { // quoted-pairSMTP = %d92 %d32-126
                    if (atEnd() || s.charAt(i) < 32 || s.charAt(i) > 126) throw new IllegalArgumentException("bad quoted pair");
                    i++;
                } else if (c >= 0x80 && c != '\uFFFD') {
                    nonAscii = true;
                } else if (c < 32 || c > 126) { // qtextSMTP = %d32-33 / %d35-91 / %d93-126
                    throw new IllegalArgumentException("bad character in quoted string");
                }
            }
            if (i - start == 2) throw new IllegalArgumentException("empty local part");
            return s.substring(start, i);
        }

        /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]. */
        String domain() {
            int start = i;
            while (true) {
                int label = i;
                while (!atEnd() && (letDig(peek()) || peek() == '-')) {
                    if (peek() >= 0x80) nonAscii = true;
                    i++;
                }
                if (i == label) throw new IllegalArgumentException("bad domain");
                if (s.charAt(label) == '-' || s.charAt(i - 1) == '-') throw new IllegalArgumentException("bad domain label");
                if (i - label > 63) throw new IllegalArgumentException("domain label longer than 63 octets");
                if (peek() != '.') break;
                i++;
            }
            return s.substring(start, i);
        }

        /** address-literal (RFC 5321 4.1.3). */
        String addressLiteral() {
            int start = i;
            int close = s.indexOf(']', i);
            if (close < 0) throw new IllegalArgumentException("unterminated address literal");
            String lit = s.substring(i + 1, close);
            i = close + 1;
            if (lit.regionMatches(true, 0, "IPv6:", 0, 5)) {
                if (!AddressLiterals.ipv6(lit.substring(5))) throw new IllegalArgumentException("bad IPv6 address literal");
            } else if (!lit.isEmpty() && Character.isDigit(lit.charAt(0))) {
                if (!AddressLiterals.ipv4(lit)) throw new IllegalArgumentException("bad IPv4 address literal");
            } else if (!AddressLiterals.general(lit)) {
                throw new IllegalArgumentException("bad address literal");
            }
            return s.substring(start, i);
        }
    }
}
