package org.mailroom.delivery.remote;

import io.netty.buffer.ByteBuf;

/**
 * Turns stored content (LF line ends) into DATA octets: LF becomes CRLF unless a CR already stands
 * before it, and a "." at the start of a line is doubled (RFC 5321 4.5.2). Streams: state carries
 * across {@link #encode} calls, so a line may span chunks. Not thread-safe.
 */
final class BodyEncoder {
    private boolean lineStart = true;
    private boolean lastCr;

    /**
     * Appends the encoding of {@code len} bytes of {@code in} to {@code out}. Copies each line in
     * one piece rather than octet by octet (this runs for every octet relayed).
     */
    void encode(byte[] in, int len, ByteBuf out) {
        int i = 0;
        while (i < len) {
            int lf = indexOfLf(in, i, len);
            int end = lf < 0 ? len : lf;
            if (end > i) {
                if (lineStart && in[i] == '.') out.writeByte('.');
                out.writeBytes(in, i, end - i);
                lineStart = false;
                lastCr = in[end - 1] == '\r';
            }
            if (lf < 0) return;
            if (!lastCr) out.writeByte('\r');
            out.writeByte('\n');
            lineStart = true;
            lastCr = false;
            i = lf + 1;
        }
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == '\n') return i;
        return -1;
    }

    /** The end of data: a CRLF if the content did not end with a line end, then "." CRLF. */
    void finish(ByteBuf out) {
        if (!lineStart) out.writeBytes(new byte[] {'\r', '\n'});
        out.writeBytes(new byte[] {'.', '\r', '\n'});
    }
}
