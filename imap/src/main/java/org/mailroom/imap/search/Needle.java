package org.mailroom.imap.search;

/**
 * One search string of HEADER/BODY/TEXT, prepared once at compile time: its case-folded form
 * ({@link CaseFold}) and, when that is pure ASCII, a case-insensitive Horspool matcher over bytes
 * so that ASCII-compatible text can be searched in place without decoding it to a String. Needles
 * of four or more octets shift by the window's last octet pair, which skips nearly the whole
 * needle length per step in ordinary text (about 20 % faster than single octets on the benchmark
 * folder); shorter ones by the last octet.
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
    /** Needles at least this long skip by octet pairs (q-gram Horspool, q = 2). */
    private static final int PAIR_MIN = 4;
    /**
     * Shift by the window's last two octets (case variants included), 0 when they equal the
     * needle's last two; 64 KiB per needle, built once per program.
     */
    private final byte[] pairShift;
    /** The shift after a failed verification: the next occurrence of the last pair to the left. */
    private final int pairAgain;

    private static void setPair(byte[] pairs, byte a, byte b, int shift) {
        for (int x : variants(a)) {
            for (int y : variants(b)) {
                pairs[(x << 8) | y] = (byte) shift;
            }
        }
    }

    private static int[] variants(byte lower) {
        int c = lower & 0xff;
        return c >= 'a' && c <= 'z' ? new int[] {c, c - ('a' - 'A')} : new int[] {c};
    }

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
        if (bytes != null && bytes.length >= PAIR_MIN) {
            int m = bytes.length;
            byte[] pairs = new byte[1 << 16];
            int dflt = Math.min(m - 1, 255);
            java.util.Arrays.fill(pairs, (byte) dflt);
            for (int j = 1; j < m; j++) {
                setPair(pairs, bytes[j - 1], bytes[j], Math.min(m - 1 - j, 255)); // rightmost wins
            }
            int again = dflt;
            for (int j = m - 2; j >= 1; j--) {
                if (bytes[j - 1] == bytes[m - 2] && bytes[j] == bytes[m - 1]) {
                    again = Math.min(m - 1 - j, 255);
                    break;
                }
            }
            this.pairShift = pairs;
            this.pairAgain = again;
        } else {
            this.pairShift = null;
            this.pairAgain = 0;
        }
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
        if (pairShift != null) {
            return indexByPairs(hay, from, to);
        }
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

    private int indexByPairs(byte[] hay, int from, int to) {
        byte[] p = ascii;
        byte[] sh = pairShift;
        int m = p.length;
        int i = from;
        int limit = to - m;
        while (i <= limit) {
            int s = sh[((hay[i + m - 2] & 0xff) << 8) | (hay[i + m - 1] & 0xff)] & 0xff;
            if (s == 0) {
                int j = m - 3;
                while (j >= 0 && LOWER[hay[i + j] & 0xff] == p[j]) {
                    j--;
                }
                if (j < 0) {
                    return i;
                }
                s = pairAgain;
            }
            i += s;
        }
        return -1;
    }

    /** CRLF and lone CR as LF. */
    private static String lineEnds(String s) {
        return s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
    }
}
