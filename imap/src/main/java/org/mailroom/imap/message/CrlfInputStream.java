package org.mailroom.imap.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * The CRLF view of stored octets: a LF not preceded by CR becomes CRLF, everything else passes
 * (RFC 9051 2.3.4 counts in this form). Reads at most {@code rawLimit} stored octets; it must start
 * at a line start (as every offset a {@link MessagePart} keeps does).
 */
final class CrlfInputStream extends InputStream {

    private final InputStream in;
    private long rawLeft;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private boolean prevCr;
    private boolean pendingLf;

    CrlfInputStream(InputStream in, long rawLimit) {
        this.in = in;
        this.rawLeft = rawLimit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (pendingLf) {
                out[off + n++] = '\n';
                pendingLf = false;
                prevCr = false;
                continue;
            }
            if (pos == lim) {
                if (n > 0 || !fill()) {
                    break;
                }
            }
            // the run up to the next LF (or as much as fits) goes in one copy; a message is lines
            // of some 70 octets, and 1,000 BODY[] fetches went through here an octet at a time
            int end = Math.min(lim, pos + (len - n));
            int lf = pos;
            while (lf < end && buf[lf] != '\n') {
                lf++;
            }
            if (lf > pos) {
                System.arraycopy(buf, pos, out, off + n, lf - pos);
                n += lf - pos;
                prevCr = buf[lf - 1] == '\r';
                pos = lf;
            }
            if (lf < end) { // an LF, with room for one more octet
                pos++;
                if (prevCr) {
                    out[off + n++] = '\n';
                    prevCr = false;
                } else {
                    out[off + n++] = '\r';
                    pendingLf = true;
                }
            }
        }
        return n == 0 ? -1 : n;
    }

    private boolean fill() throws IOException {
        if (rawLeft <= 0) {
            return false;
        }
        int n = in.read(buf, 0, (int) Math.min(buf.length, rawLeft));
        if (n <= 0) {
            return false;
        }
        rawLeft -= n;
        pos = 0;
        lim = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
