package org.mailroom.core.store.maildir;

import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Sizes of a message file whose name does not carry them ({@code ,S=} and {@code ,W=}): the stored
 * size and the CRLF size (RFC822.SIZE). A file whose first line ends in CR LF is taken as CRLF
 * throughout (IMAP then sends it as stored); otherwise every LF not preceded by CR counts one octet
 * more. Either by reading the file ({@link #sizes}) or while someone reads it anyway
 * ({@link Counting}): a message that is downloaded, parsed or searched once is measured for free.
 */
final class Measure {
    private Measure() {}

    /** One read buffer per thread: a first listing measures 100,000 files in a row. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[32 * 1024]);

    /** {@code {stored size, CRLF size}} of a file. Blocking. */
    static long[] sizes(Path p) throws IOException {
        Counter c = new Counter();
        byte[] buf = BUFFER.get();
        try (InputStream in = new FileInputStream(p.toFile())) {
            int n;
            while ((n = in.read(buf)) > 0) c.add(buf, 0, n);
        }
        return c.sizes();
    }

    /** Counts octets and bare LFs as they pass. */
    static final class Counter {
        private long size, bareLf;
        private int prev = -1;
        private boolean firstLine = true, crlfFile;

        void add(byte[] b, int off, int len) {
            size += len;
            if (crlfFile) return;
            int prev = this.prev;
            for (int i = off, end = off + len; i < end; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (prev != '\r') {
                        bareLf++;
                    } else if (firstLine) {
                        crlfFile = true; // the rest is sent as stored: only the size counts
                        return;
                    }
                    firstLine = false;
                }
                prev = c;
            }
            this.prev = prev;
        }

        long[] sizes() {
            return crlfFile ? new long[] {size, size} : new long[] {size, size + bareLf};
        }
    }

    /**
     * The stream of a message whose sizes are not known yet: counts while the caller reads, and
     * reports the sizes if the caller reads to the end (a partial read reports nothing).
     */
    static final class Counting extends FilterInputStream {
        private final Counter counter = new Counter();
        private final BiConsumer<Long, Long> done;
        private boolean reported;

        Counting(InputStream in, BiConsumer<Long, Long> done) {
            super(in);
            this.done = done;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) counter.add(b, off, n);
            else if (n < 0 && !reported) {
                reported = true;
                long[] s = counter.sizes();
                done.accept(s[0], s[1]);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped octets must be counted too
            byte[] buf = BUFFER.get();
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) break;
                left -= r;
            }
            return n - left;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
