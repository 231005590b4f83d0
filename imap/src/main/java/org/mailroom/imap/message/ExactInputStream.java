package org.mailroom.imap.message;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Exactly {@code size} octets of another stream: cut after them, {@link EOFException} when the
 * stream ends before (a literal whose length was announced must never come out short).
 */
final class ExactInputStream extends InputStream {

    private final InputStream in;
    private long left;

    ExactInputStream(InputStream in, long size) {
        this.in = in;
        this.left = size;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            throw new EOFException(left + " octets missing: stored message changed or vanished");
        }
        left--;
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new EOFException(left + " octets missing: stored message changed or vanished");
        }
        left -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(Math.min(n, left));
        left -= s;
        return s;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), left);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
