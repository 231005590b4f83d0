package org.mailroom.imap.search;

/**
 * One search string of HEADER/BODY/TEXT, prepared once at compile time: its case-folded form
 * ({@link CaseFold}) and, when that is pure ASCII, a case-insensitive Horspool matcher over bytes
 * so that ASCII-compatible text can be searched in place without decoding it to a String.
 *
 * <p>Immutable, shared by all threads.
 *
 * <p>XXX The byte matcher folds ASCII letters only. Three non-ASCII characters fold to ASCII
 * under {@link CaseFold} (U+017F LATIN SMALL LETTER LONG S to {@code s}, U+212A KELVIN SIGN to
 * {@code k}, U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE to {@code i}); in 8-bit text searched in
 * place they do not match an ASCII needle, whereas in decoded (QP/base64 or non-ASCII-compatible
 * charset) text they do. Detecting them would cost a second pass over every body.
 */
final class Needle {

    /** ASCII lower-casing of a byte; other bytes unchanged. */
    private static final byte[] LOWER = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + ('a' - 'A') : i);
        }
    }

    final String text;
    final String folded;
    /**
     * Contains a line break. Such a needle is compared on the slow path only, where the text's
     * CRLF become LF like the needle's, so LF and CRLF files give the same answer. Header fields
     * are compared unfolded, so a multi-line needle never matches in the header.
     */
    final boolean multiline;
    /** The folded needle as bytes when it is ASCII, else {@code null}. */
    final byte[] ascii;
    /** Contains SP or HTAB: then a match may span a folded header line. */
    final boolean hasWhitespace;
    private final int[] shift;

    Needle(String text) {
        this.text = text;
        this.multiline = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        this.folded = CaseFold.fold(multiline ? lineEnds(text) : text);
        this.hasWhitespace = folded.indexOf(' ') >= 0 || folded.indexOf('\t') >= 0;
        byte[] bytes = null;
        int[] table = null;
        if (isAscii(folded) && !folded.isEmpty() && !multiline) {
            int m = folded.length();
            bytes = new byte[m];
            for (int i = 0; i < m; i++) {
                bytes[i] = (byte) folded.charAt(i);
            }
            table = new int[256];
            java.util.Arrays.fill(table, m);
            for (int j = 0; j < m - 1; j++) {
                int b = bytes[j] & 0xff;
                table[b] = m - 1 - j;
                if (b >= 'a' && b <= 'z') {
                    table[b - ('a' - 'A')] = m - 1 - j;
                }
            }
        }
        this.ascii = bytes;
        this.shift = table;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /**
     * Case-insensitive (ASCII letters) search of the ASCII needle in {@code hay[from, to)}.
     *
     * @return the offset of the first match or -1
     */
    int indexIn(byte[] hay, int from, int to) {
        byte[] p = ascii;
        int m = p.length;
        int last = m - 1;
        byte lastByte = p[last];
        int[] sh = shift;
        int i = from;
        int limit = to - m;
        while (i <= limit) {
            int b = hay[i + last] & 0xff;
            if (LOWER[b] == lastByte) {
                int j = last - 1;
                while (j >= 0 && LOWER[hay[i + j] & 0xff] == p[j]) {
                    j--;
                }
                if (j < 0) {
                    return i;
                }
            }
            i += sh[b];
        }
        return -1;
    }

    /** Whether {@code text} (not yet folded) contains the needle. */
    boolean in(String text) {
        return CaseFold.fold(multiline ? lineEnds(text) : text).contains(folded);
    }

    /** CRLF and lone CR as LF. */
    private static String lineEnds(String s) {
        return s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
    }
}
