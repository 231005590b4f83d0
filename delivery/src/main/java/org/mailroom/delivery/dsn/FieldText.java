package org.mailroom.delivery.dsn;

import java.util.ArrayList;
import java.util.List;

/**
 * Turning untrusted strings (remote replies, client-given addresses and ENVIDs) into header field
 * values and text lines that cannot change the structure of the report.
 */
final class FieldText {
    /** RFC 5322 2.1.1: lines SHOULD be at most 78 characters. */
    static final int SOFT_WIDTH = 78;
    /**
     * Longest piece of a word without white space put on one line. RFC 5322 2.1.1 allows 998
     * octets; a UTF-8 character takes up to 4 octets (two chars when it is a surrogate pair).
     */
    private static final int HARD_CHARS_ASCII = 900;
    private static final int HARD_CHARS_UTF8 = 240;

    private FieldText() {}

    /**
     * No line ends, no control characters: CR, LF and TAB become spaces (a multi-line SMTP reply
     * reads as one line), other C0/C1 controls and DEL become {@code ?}, runs of white space
     * become one space, and the ends are trimmed. What is left can never start a new header line.
     */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                continue;
            }
            if (space && sb.length() > 0) sb.append(' ');
            space = false;
            sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        return sb.toString();
    }

    /**
     * {@code name: value} with a cleaned value, folded at spaces (RFC 5322 2.2.3) so lines stay
     * near 78 characters and never exceed 998 octets. Ends with LF.
     */
    static String field(String name, String value) {
        return String.join("\n", fold(name + ": ", clean(value), " ", SOFT_WIDTH)) + "\n";
    }

    /**
     * Breaks {@code first + text} into lines of about {@code width} characters at spaces;
     * continuation lines start with {@code indent}, which replaces the space broken at. For a
     * header field {@code indent} is one space, so unfolding (RFC 5322 2.2.3) gives back the value.
     */
    static List<String> fold(String first, String text, String indent, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int bare = first.length(); // length of the line before any word is on it
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            if (line.length() > bare && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(indent);
                bare = indent.length();
            } else if (line.length() > bare) {
                line.append(' ');
            }
            int hard = isAscii(word) ? HARD_CHARS_ASCII : HARD_CHARS_UTF8;
            while (word.length() > hard) {
                // XXX a word longer than a line allows (a base64 blob in a reply) is cut; unfolding
                // reads the cut as a space. RFC 5322 2.2.3 gives no lossless way.
                int cut = Character.isHighSurrogate(word.charAt(hard - 1)) ? hard - 1 : hard;
                line.append(word, 0, cut);
                lines.add(line.toString());
                line.setLength(0);
                line.append(indent);
                bare = indent.length();
                word = word.substring(cut);
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /**
     * An address as {@code utf-8-addr-unitext} (RFC 6533 3): UTF-8 as is, but space, {@code +},
     * {@code =}, {@code \} and controls as {@code \x{HEX}}.
     */
    static String unitext(String address) {
        StringBuilder sb = new StringBuilder(address.length());
        address.codePoints().forEach(cp -> {
            if (cp <= 0x20 || cp == '+' || cp == '=' || cp == '\\' || cp == 0x7f) {
                sb.append("\\x{").append(String.format("%02X", cp)).append('}');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
