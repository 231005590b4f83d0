package org.mailroom.imap.search;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.mime4j.util.CharsetUtil;

/** Charset decisions for body text: which charsets may be searched in place, and lookups. */
final class Charsets {

    private static final Charset WINDOWS_1252 = lookupOrNull("windows-1252");

    /**
     * Prefixes (lower case) of charset names in which every ASCII character is encoded as its
     * own byte and no byte below 0x80 is part of a multi-byte character, so an ASCII needle may be
     * searched in the raw octets. ISO-2022-*, Shift_JIS, Big5, GBK/GB18030 and UTF-16/32 are not
     * such charsets (their trail bytes or escapes reuse ASCII values).
     */
    private static final String[] ASCII_SUPERSETS = {
        "us-ascii", "ascii", "ansi_x3.4", "utf-8", "utf8", "iso-8859-", "iso8859", "iso_8859", "latin",
        "windows-12", "cp12", "cp-12", "koi8", "euc-", "tis-620", "ibm8", "cp8", "mac"
    };

    private Charsets() {}

    /**
     * Whether text in the charset named by {@code b[off, off+len)} may be searched in place for an
     * ASCII needle; {@code len == 0} means no charset parameter (RFC 2045 5.2: US-ASCII).
     */
    static boolean asciiCompatible(byte[] b, int off, int len) {
        if (len == 0) {
            return true;
        }
        for (String prefix : ASCII_SUPERSETS) {
            if (startsWithIgnoreCase(b, off, len, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int off, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            int c = b[off + i] & 0xff;
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The charset to decode a text part with. No charset, US-ASCII and unknown names decode as
     * UTF-8 (a superset of ASCII; invalid octets become U+FFFD), which reads the unlabelled 8-bit
     * mail that exists in practice. XXX ISO-8859-1 decodes as windows-1252, as WHATWG encoding and
     * most mail readers do, because senders label windows-1252 text (curly quotes, the euro sign in
     * 0x80-0x9F) as ISO-8859-1.
     */
    static Charset forName(String name) {
        if (name == null || name.isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("us-ascii") || lower.equals("ascii")) {
            return StandardCharsets.UTF_8;
        }
        Charset cs = lookupOrNull(lower);
        if (cs == null) {
            return StandardCharsets.UTF_8;
        }
        if (cs.equals(StandardCharsets.ISO_8859_1) && WINDOWS_1252 != null) {
            return WINDOWS_1252;
        }
        return cs;
    }

    private static Charset lookupOrNull(String name) {
        try {
            return CharsetUtil.lookup(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
