package org.mailroom.imap.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the stored octets of a message line by line and keeps two positions: the stored ("raw")
 * offset and the offset in the CRLF view that IMAP counts in (RFC 9051 2.3.4: RFC822.SIZE and all
 * section offsets are in CRLF form). A line ends at LF; a CR right before it belongs to the line end.
 * A bare LF becomes CRLF in the view, a bare CR elsewhere stays content.
 *
 * <p>Only the first {@code cap} content octets of a line are kept in {@link #line}; the rest are
 * counted, so a line without line ends (a binary blob) costs no memory.
 */
final class LineReader {

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int lim;
    private long raw;
    private long view;
    private long eols;

    /** Content octets of the current line (without line end), at most the cap given to {@link #next}. */
    byte[] line;
    /** Octets of {@link #line} that are valid. */
    int len;
    /** Full content length of the current line. */
    long contentLen;
    /** Whether the current line ended with a line end (false only for a last line at EOF). */
    boolean eol;
    /** Stored octets of the line end: 2 for CRLF, 1 for a bare LF, 0 without. */
    int eolRaw;
    long lineView;
    long lineRaw;
    /** Line ends before the current line. */
    long eolsBefore;
    /** {@link #eolRaw} of the line before the current one. */
    int prevEolRaw;

    /** Line starts at least this far apart (CRLF view) are remembered as seek marks. */
    static final long MARK_EVERY = 64 * 1024;
    /** Marks kept at most (a 1 GiB message); later parts are reached by reading from the last. */
    static final int MAX_MARKS = 16 * 1024;
    private long[] marks = new long[0];
    private int nmarks;
    private long nextMark = MARK_EVERY;

    LineReader(InputStream in, int maxCap, int bufferSize) {
        this.in = in;
        // grown on demand up to the largest cap asked for: most lines are short
        this.line = new byte[Math.min(maxCap, 512)];
        this.buf = new byte[bufferSize];
    }

    long view() { return view; }

    long raw() { return raw; }

    long eols() { return eols; }

    /**
     * The seek marks as {@code view, raw} pairs, ascending; empty when the stored form is the CRLF
     * view itself (offsets then coincide).
     */
    long[] marks() {
        return raw == view ? new long[0] : java.util.Arrays.copyOf(marks, 2 * nmarks);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        while (n == 0) {
            n = in.read(buf, 0, buf.length);
        }
        if (n < 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /**
     * Reads the next line keeping at most {@code cap} content octets.
     *
     * @return false at the end of input (no octets left)
     */
    boolean next(int cap) throws IOException {
        if (view >= nextMark && nmarks < MAX_MARKS) {
            if (2 * nmarks + 2 > marks.length) {
                marks = java.util.Arrays.copyOf(marks, Math.max(16, marks.length * 2));
            }
            marks[2 * nmarks] = view;
            marks[2 * nmarks + 1] = raw;
            nmarks++;
            nextMark = view + MARK_EVERY;
        }
        prevEolRaw = eolRaw;
        lineView = view;
        lineRaw = raw;
        eolsBefore = eols;
        len = 0;
        long content = 0;
        boolean any = false;
        int last = -1;
        byte[] b = buf;
        while (true) {
            if (pos == lim && !fill()) {
                if (!any) {
                    return false;
                }
                contentLen = content;
                eol = false;
                eolRaw = 0;
                raw += content;
                view += content;
                return true;
            }
            any = true;
            int start = pos;
            int l = lim;
            int i = start;
            while (i < l && b[i] != '\n') {
                i++;
            }
            int n = i - start;
            if (n > 0) {
                int keep = Math.min(n, cap - len);
                if (len + keep > line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(cap, Math.max(line.length * 2, len + keep)));
                }
                if (keep > 0) {
                    System.arraycopy(b, start, line, len, keep);
                    len += keep;
                }
                content += n;
                last = b[i - 1];
            }
            if (i < l) {
                pos = i + 1;
                boolean cr = last == '\r';
                if (cr) {
                    content--;
                    if (len > content) {
                        len = (int) content;
                    }
                }
                contentLen = content;
                eol = true;
                eolRaw = cr ? 2 : 1;
                raw += content + eolRaw;
                view += content + 2;
                eols++;
                return true;
            }
            pos = l;
        }
    }
}
