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
        return new FilterInputStream(new java.io.BufferedInputStream(literal.open(), 65536)) {
            private int pending = -1;

            @Override
            public int read() throws IOException {
                int c = pending >= 0 ? pending : in.read();
                pending = -1;
                if (c == '\r') {
                    int d = in.read();
                    if (d == '\n') return '\n';
                    pending = d;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                int i = 0;
                while (i < len) {
                    if (i > 0 && pending < 0 && in.available() <= 0) break;
                    int c = read();
                    if (c < 0) break;
                    b[off + i++] = (byte) c;
                }
                return i == 0 ? -1 : i;
            }
        };
    }
}
