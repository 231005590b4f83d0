package org.mailroom.imap.search;

import java.io.InputStream;

/** An InputStream over a byte range that can be pointed at another range; per-thread scratch. */
final class RangeStream extends InputStream {

    private byte[] b;
    private int pos;
    private int end;

    RangeStream set(byte[] bytes, int from, int to) {
        this.b = bytes;
        this.pos = from;
        this.end = to;
        return this;
    }

    @Override
    public int read() {
        return pos < end ? b[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(b, pos, dst, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return end - pos;
    }

    @Override
    public void close() {
        b = null;
    }
}
