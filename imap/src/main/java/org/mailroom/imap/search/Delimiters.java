package org.mailroom.imap.search;

import java.util.Arrays;

/**
 * Finds multipart delimiter lines (RFC 2046 5.1.1) by an exact Horspool search for
 * "--boundary", one prepared pattern per nesting depth so that an inner multipart does not
 * disturb the outer one's. Per-thread scratch, owned by {@link MessageText}.
 */
final class Delimiters {

    private final byte[][] pattern;
    private final int[] length;
    private final int[][] shift;

    Delimiters(int maxDepth) {
        pattern = new byte[maxDepth][];
        length = new int[maxDepth];
        shift = new int[maxDepth][];
    }

    /** Prepares the pattern "--" + {@code boundary[off, off+len)} for {@code depth}. */
    void prepare(int depth, byte[] boundary, int off, int len) {
        int m = len + 2;
        byte[] d = pattern[depth];
        if (d == null || d.length < m) {
            d = new byte[Math.max(m, 80)];
            pattern[depth] = d;
        }
        d[0] = '-';
        d[1] = '-';
        System.arraycopy(boundary, off, d, 2, len);
        length[depth] = m;
        int[] t = shift[depth];
        if (t == null) {
            t = new int[256];
            shift[depth] = t;
        }
        Arrays.fill(t, m);
        for (int j = 0; j < m - 1; j++) {
            t[d[j] & 0xff] = m - 1 - j;
        }
    }

    /** Length of the pattern at {@code depth}: where the delimiter's suffix starts. */
    int length(int depth) {
        return length[depth];
    }

    /**
     * The offset of the next delimiter line at or after {@code pos}: the pattern at the start of
     * a line (or of the body at {@code bodyStart}), followed by "--", or by optional WSP and the
     * line end.
     */
    int find(byte[] b, int pos, int end, int bodyStart, int depth) {
        byte[] p = pattern[depth];
        int m = length[depth];
        int[] t = shift[depth];
        int last = m - 1;
        byte lastByte = p[last];
        int i = pos;
        while (i <= end - m) {
            byte c = b[i + last];
            if (c == lastByte) {
                int j = last - 1;
                while (j >= 0 && b[i + j] == p[j]) {
                    j--;
                }
                if (j < 0 && (i == bodyStart || b[i - 1] == '\n') && ends(b, i + m, end)) {
                    return i;
                }
            }
            i += t[c & 0xff];
        }
        return -1;
    }

    private static boolean ends(byte[] b, int q, int end) {
        if (q + 1 < end && b[q] == '-' && b[q + 1] == '-') {
            return true;
        }
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
            q++; // RFC 2046 5.1.1: transport-padding
        }
        return q == end || b[q] == '\n' || (b[q] == '\r' && (q + 1 == end || b[q + 1] == '\n'));
    }
}
