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
            int i = off, end = off + len;
            int slowUntil = off; // the end of a block that held a CR, counted octet by octet
            while (i < end) {
                if (!firstLine && prev != '\r' && i >= slowUntil) {
                    // 32 octets at a time while they hold no CR (a file with LF line ends has none);
                    // a block with one goes octet by octet below (prev needs no update: only a CR matters)
                    for (; i + 32 <= end; i += 32) {
                        long w0 = (long) LONGS.get(b, i), w1 = (long) LONGS.get(b, i + 8);
                        long w2 = (long) LONGS.get(b, i + 16), w3 = (long) LONGS.get(b, i + 24);
                        if ((anyZero(w0 ^ CRS) | anyZero(w1 ^ CRS) | anyZero(w2 ^ CRS) | anyZero(w3 ^ CRS)) != 0) {
                            slowUntil = i + 32;
                            break;
                        }
                        bareLf += count(w0 ^ LFS) + count(w1 ^ LFS) + count(w2 ^ LFS) + count(w3 ^ LFS);
                    }
                    if (i >= end) break;
                }
                byte c = b[i++];
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

        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long LFS = 0x0A0A0A0A0A0A0A0AL, CRS = 0x0D0D0D0D0D0D0D0DL;
        private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL, HIGH = 0x8080808080808080L;

        /** How many of the eight octets of {@code x} are zero. */
        private static int count(long x) {
            long t = ((x & LOW7) + LOW7) | x; // high bit set in every non-zero octet, exactly
            return Long.bitCount(~t & HIGH);
        }

        /** Non-zero when one of the eight octets of {@code x} is zero (the lowest such one exactly). */
        private static long anyZero(long x) {
            return (x - 0x0101010101010101L) & ~x & HIGH;
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
