package org.mailroom.imap.wire;

import java.nio.charset.StandardCharsets;

/**
 * The writer side of IMAP strings (RFC 9051 4.3): choosing between an atom, a quoted string and a
 * literal, and the modified UTF-7 mailbox name encoding (RFC 3501 5.1.3, kept by RFC 9051 for
 * clients that have not enabled UTF8=ACCEPT).
 *
 * <p>Quoted strings are only used for printable US-ASCII (0x20..0x7E) of at most
 * {@link #MAX_QUOTED} characters, with {@code "} and {@code \} escaped; everything else (CR, LF,
 * other controls, 8-bit, long values) is written as a synchronizing literal {@code {n}CRLF} followed
 * by the UTF-8 octets. Server responses never use {@code {n+}} (RFC 7888 is client to server).
 */
public final class ImapStrings {

    /** Longer values are sent as literals even when they could be quoted. */
    public static final int MAX_QUOTED = 1024;

    private static final byte[] NIL = {'N', 'I', 'L'};

    private ImapStrings() {}

    /** Whether {@code s} may be sent as a quoted string (see the class comment). */
    public static boolean isQuotable(String s) {
        if (s.length() > MAX_QUOTED) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} is a non-empty {@code 1*ASTRING-CHAR} (RFC 9051 9): ATOM-CHAR or {@code ]}.
     */
    public static boolean isAstringAtom(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAtomChar(c) && c != ']') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code ATOM-CHAR}: any CHAR except {@code ( ) { SP CTL % * " \ ]} (RFC 9051 9
     * {@code atom-specials}).
     */
    public static boolean isAtomChar(char c) {
        if (c <= 0x20 || c >= 0x7F) {
            return false;
        }
        return switch (c) {
            case '(', ')', '{', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }

    /**
     * {@code s} as a quoted string, with {@code "} and {@code \} escaped.
     *
     * @throws IllegalArgumentException if {@link #isQuotable} is false
     */
    public static String quoted(String s) {
        if (!isQuotable(s)) {
            throw new IllegalArgumentException("not quotable, use string(): " + abbreviate(s));
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** The literal {@code {n}CRLF} followed by {@code octets}. */
    public static byte[] literal(byte[] octets) {
        byte[] head = ("{" + octets.length + "}\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + octets.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(octets, 0, out, head.length, octets.length);
        return out;
    }

    /** {@code string}: quoted when {@link #isQuotable}, else a literal of the UTF-8 octets. */
    public static byte[] string(String s) {
        if (isQuotable(s)) {
            return quoted(s).getBytes(StandardCharsets.US_ASCII);
        }
        return literal(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code nstring}: {@code NIL} for {@code null}, else {@link #string}. */
    public static byte[] nstring(String s) {
        return s == null ? NIL.clone() : string(s);
    }

    /**
     * {@code astring}: the bare atom when {@link #isAstringAtom} (and not {@code NIL}, which a
     * reader of an {@code nstring} position would misread), else {@link #string}.
     */
    public static byte[] astring(String s) {
        if (isAstringAtom(s) && !s.equalsIgnoreCase("NIL")) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
        return string(s);
    }

    /**
     * A mailbox name for a client without UTF8=ACCEPT: modified UTF-7, then {@link #astring}.
     * {@code INBOX} in any case is written as {@code INBOX} (RFC 9051 5.1).
     */
    public static byte[] mailbox(String name) {
        if (name.equalsIgnoreCase("INBOX")) {
            return astring("INBOX");
        }
        return astring(encodeMailbox(name));
    }

    // ---------------------------------------------------------------- modified UTF-7 (RFC 3501 5.1.3)

    private static final char[] B64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();

    private static int b64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == ',') {
            return 63;
        }
        return -1;
    }

    private static boolean isDirect(char c) {
        return c >= 0x20 && c <= 0x7E;
    }

    /**
     * Encodes a mailbox name in modified UTF-7: printable US-ASCII except {@code &} stands for
     * itself, {@code &} is {@code &-}, and every run of other characters is {@code &}, the modified
     * BASE64 (with {@code ,} for {@code /}, no padding) of its UTF-16BE octets, and {@code -}.
     *
     * @throws IllegalArgumentException on an unpaired surrogate (not a Unicode string)
     */
    public static String encodeMailbox(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (isDirect(c)) {
                out.append(c);
                i++;
            } else {
                out.append('&');
                int bits = 0;
                int nbits = 0;
                while (i < name.length() && !isDirect(name.charAt(i))) {
                    char u = name.charAt(i);
                    if (Character.isHighSurrogate(u)) {
                        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
                            throw new IllegalArgumentException("unpaired surrogate at index " + i);
                        }
                    } else if (Character.isLowSurrogate(u)
                            && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                        throw new IllegalArgumentException("unpaired surrogate at index " + i);
                    }
                    bits = (bits << 16) | u;
                    nbits += 16;
                    while (nbits >= 6) {
                        nbits -= 6;
                        out.append(B64[(bits >>> nbits) & 0x3F]);
                    }
                    bits &= (1 << nbits) - 1;
                    i++;
                }
                if (nbits > 0) {
                    out.append(B64[(bits << (6 - nbits)) & 0x3F]);
                }
                out.append('-');
            }
        }
        return out.toString();
    }

    /**
     * Decodes a modified UTF-7 mailbox name, strictly: rejects characters outside 0x20..0x7E, a
     * shift without its closing {@code -}, characters outside the modified BASE64 alphabet, a
     * BASE64 run whose length leaves a partial UTF-16 unit or non-zero padding bits, encoded
     * printable US-ASCII, adjacent encoded runs ({@code &U,BTFw-&ZeVnLIqe-}, RFC 3501 5.1.3) and
     * invalid UTF-16 (unpaired surrogates).
     */
    public static String decodeMailbox(String encoded) throws ImapSyntaxException {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        int lastRunEnd = -1;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (!isDirect(c)) {
                throw new ImapSyntaxException("mailbox name: character 0x"
                        + Integer.toHexString(c) + " must be modified UTF-7 encoded");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int start = i + 1;
            int end = encoded.indexOf('-', start);
            if (end < 0) {
                throw new ImapSyntaxException("mailbox name: '&' at " + i + " without closing '-'");
            }
            if (end == start) {
                out.append('&');
                i = end + 1;
                continue;
            }
            if (lastRunEnd == i) {
                throw new ImapSyntaxException("mailbox name: adjacent modified BASE64 runs at " + i);
            }
            decodeRun(encoded, start, end, out);
            i = end + 1;
            lastRunEnd = i;
        }
        return out.toString();
    }

    private static void decodeRun(String s, int start, int end, StringBuilder out)
            throws ImapSyntaxException {
        int bits = 0;
        int nbits = 0;
        char pendingHigh = 0;
        for (int j = start; j < end; j++) {
            int v = b64Value(s.charAt(j));
            if (v < 0) {
                throw new ImapSyntaxException("mailbox name: '" + s.charAt(j)
                        + "' in modified BASE64 at " + j);
            }
            bits = (bits << 6) | v;
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                char u = (char) ((bits >>> nbits) & 0xFFFF);
                bits &= (1 << nbits) - 1;
                if (pendingHigh != 0) {
                    if (!Character.isLowSurrogate(u)) {
                        throw new ImapSyntaxException("mailbox name: unpaired surrogate in " + run(s, start, end));
                    }
                    out.append(pendingHigh).append(u);
                    pendingHigh = 0;
                } else if (Character.isHighSurrogate(u)) {
                    pendingHigh = u;
                } else if (Character.isLowSurrogate(u)) {
                    throw new ImapSyntaxException("mailbox name: unpaired surrogate in " + run(s, start, end));
                } else if (isDirect(u)) {
                    throw new ImapSyntaxException("mailbox name: printable US-ASCII encoded in "
                            + run(s, start, end));
                } else {
                    out.append(u);
                }
            }
        }
        if (pendingHigh != 0) {
            throw new ImapSyntaxException("mailbox name: unpaired surrogate in " + run(s, start, end));
        }
        if (nbits >= 6 || bits != 0) {
            throw new ImapSyntaxException("mailbox name: bad length or padding bits in " + run(s, start, end));
        }
    }

    private static String run(String s, int start, int end) {
        return "&" + s.substring(start, end) + "-";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
