package org.mailroom.imap.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The octets of one FETCH section, known in size before they are read, so the session can write
 * {@code {size}CRLF} (or {@code ~{size}} for BINARY) and then stream them, e.g. with Netty's
 * {@code ChunkedStream(open())} off the event loop, without holding a large message in heap.
 *
 * <p>Contract: {@link #open()} yields exactly {@link #size()} octets, or throws
 * {@link java.io.IOException} (the stored file vanished or changed under us; the session must then
 * drop the connection, since the literal's length was already promised).
 */
public interface SectionContent {

    /** Octets {@link #open()} yields. */
    long size();

    /** A new stream of the octets; may block on disk. */
    InputStream open() throws IOException;

    /** Copies all octets to {@code out}. */
    default void writeTo(OutputStream out) throws IOException {
        try (InputStream in = open()) {
            in.transferTo(out);
        }
    }

    /** All octets in memory; for small sections and tests. */
    default byte[] toByteArray() throws IOException {
        if (size() > Integer.MAX_VALUE - 16) {
            throw new IOException("section too large for one array: " + size());
        }
        try (InputStream in = open()) {
            return in.readNBytes((int) size());
        }
    }

    /**
     * {@code <start.count>} of RFC 9051 6.4.5: at most {@code count} octets from {@code start};
     * empty when {@code start} is at or beyond the end.
     */
    default SectionContent partial(long start, long count) {
        if (start < 0 || count < 0) {
            throw new IllegalArgumentException("partial <" + start + "." + count + ">");
        }
        long size = size();
        if (start >= size || count == 0) {
            return EMPTY;
        }
        long n = Math.min(count, size - start);
        SectionContent base = this;
        return new SectionContent() {
            @Override
            public long size() { return n; }

            @Override
            public InputStream open() throws IOException {
                InputStream in = base.open();
                try {
                    in.skipNBytes(start);
                } catch (IOException | RuntimeException e) {
                    in.close();
                    throw e;
                }
                return new ExactInputStream(in, n);
            }
        };
    }

    SectionContent EMPTY = of(new byte[0]);

    static SectionContent of(byte[] octets) {
        return new SectionContent() {
            @Override
            public long size() { return octets.length; }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(octets);
            }

            @Override
            public byte[] toByteArray() {
                return octets.clone();
            }
        };
    }
}
