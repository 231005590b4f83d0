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

    /** Appends the encoding of {@code len} bytes of {@code in} to {@code out}. */
    void encode(byte[] in, int len, ByteBuf out) {
        for (int i = 0; i < len; i++) {
            byte b = in[i];
            if (b == '\n') {
                if (!lastCr) out.writeByte('\r');
                out.writeByte('\n');
                lineStart = true;
                lastCr = false;
                continue;
            }
            if (lineStart && b == '.') out.writeByte('.');
            out.writeByte(b);
            lineStart = false;
            lastCr = b == '\r';
        }
    }

    /** The end of data: a CRLF if the content did not end with a line end, then "." CRLF. */
    void finish(ByteBuf out) {
        if (!lineStart) out.writeBytes(new byte[] {'\r', '\n'});
        out.writeBytes(new byte[] {'.', '\r', '\n'});
    }
}
