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
 * {@code k}, U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE to {@code i}). In text of an
 * ASCII-compatible charset, which is compared as bytes (after QP/base64 decoding), they do not
 * match the ASCII letters of a needle; in other charsets, decoded to a String, they do. Detecting
 * them would cost a second pass over every body, for characters that mail text hardly uses.
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
    /**
     * For a needle that is not ASCII: its longest run of printable non-space ASCII characters
     * (at least two), searched as bytes first in ASCII-compatible text; where the run is absent
     * the needle is too, and the text need not be decoded. {@code null} if there is no such run.
     */
    final Needle asciiCore;

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
        this.asciiCore = bytes == null ? core(folded) : null;
    }

    private static Needle core(String folded) {
        int bestStart = 0;
        int bestLen = 0;
        int start = 0;
        for (int i = 0; i <= folded.length(); i++) {
            char c = i < folded.length() ? folded.charAt(i) : 0;
            if (c > ' ' && c < 0x7f) {
                continue;
            }
            if (i - start > bestLen) {
                bestStart = start;
                bestLen = i - start;
            }
            start = i + 1;
        }
        return bestLen >= 2 ? new Needle(folded.substring(bestStart, bestStart + bestLen)) : null;
    }

    /**
     * Whether the needle may occur in the ASCII-compatible text {@code hay[from, to)}: false
     * only when a part of it that must appear as ASCII bytes is absent.
     */
    boolean mayOccurIn(byte[] hay, int from, int to) {
        if (ascii != null) {
            return indexIn(hay, from, to) >= 0;
        }
        return asciiCore == null || asciiCore.indexIn(hay, from, to) >= 0;
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
