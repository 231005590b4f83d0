package org.mailroom.imap.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.mailroom.core.store.MessageContent;
import org.mailroom.imap.wire.Literal;

/**
 * An APPEND literal in the form the store keeps (CR LF turned into LF, bare CR left alone), without
 * copying it: sizes are counted in one pass, {@link #open()} converts while reading.
 */
final class AppendContent implements MessageContent {
    private final Literal literal;
    private final long size;
    private final long lines;

    AppendContent(Literal literal) throws IOException {
        this.literal = literal;
        long crlf = 0, lf = 0;
        int prev = -1;
        byte[] buf = new byte[65536];
        try (InputStream in = literal.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lf++;
                        if (prev == '\r') crlf++;
                    }
                    prev = buf[i];
                }
            }
        }
        this.size = literal.size() - crlf;
        this.lines = lf;
    }

    @Override public long size() { return size; }

    @Override public long lines() { return lines; }

    @Override
    public InputStream open() throws IOException {
        return new CrlfToLf(literal.open());
    }

    /** Drops each CR that comes right before an LF, in blocks. */
    private static final class CrlfToLf extends FilterInputStream {
        private final byte[] buf = new byte[65536];
        private int pos, len;
        private boolean crPending; // a CR ended the last block: its fate depends on the next octet

        CrlfToLf(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) return 0;
            int w = 0;
            while (w < n) {
                if (pos == len) {
                    len = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        if (crPending) { // a CR at the very end stays
                            crPending = false;
                            b[off + w++] = '\r';
                            continue;
                        }
                        break;
                    }
                }
                byte c = buf[pos++];
                if (crPending) {
                    crPending = false;
                    if (c != '\n') {
                        b[off + w++] = '\r';
                        if (w == n) { // no room for c: give it back
                            pos--;
                            break;
                        }
                    }
                }
                if (c == '\r') {
                    crPending = true;
                    continue;
                }
                b[off + w++] = c;
            }
            return w == 0 && len == 0 ? -1 : w;
        }
    }
}
