package org.mailroom.pop3;

import io.netty.buffer.ByteBuf;

/**
 * Turns stored message octets (LF line ends, as Maildir keeps them) into a POP3 multi-line body:
 * CR LF line ends and a {@code "."} added before every line that starts with one (RFC 1939 3), then
 * the terminating {@code "." CRLF}. For TOP it stops after the header, the blank line and the
 * requested number of body lines (RFC 1939 7). Content that already has CR LF is not doubled; a
 * missing final line end is added. One instance per transfer; not thread-safe.
 *
 * <p>XXX The delivery SMTP client needs the same transformation; move this to {@code core.frame}
 * next to the DATA decoder when it does.
 */
final class DotStuffer {
    private final long bodyLineLimit;
    private boolean startOfLine = true;
    private boolean prevCr;
    private int lineLength;
    private boolean inBody;
    private long bodyLines;
    private boolean done;

    /** @param bodyLineLimit body lines to send after the header (TOP), or -1 for the whole message */
    DotStuffer(long bodyLineLimit) {
        this.bodyLineLimit = bodyLineLimit;
    }

    /** True when TOP has sent all it asked for; further input is ignored. */
    boolean done() { return done; }

    /** Appends the converted form of {@code in[off, off+len)} to {@code out}. */
    void encode(byte[] in, int off, int len, ByteBuf out) {
        for (int i = off, end = off + len; i < end && !done; i++) {
            byte b = in[i];
            if (startOfLine && b == '.') out.writeByte('.');
            startOfLine = false;
            if (b == '\n') {
                if (!prevCr) out.writeByte('\r');
                out.writeByte('\n');
                endOfLine(lineLength == 0 || (lineLength == 1 && prevCr));
                continue;
            }
            out.writeByte(b);
            prevCr = b == '\r';
            lineLength++;
        }
    }

    private void endOfLine(boolean empty) {
        startOfLine = true;
        prevCr = false;
        lineLength = 0;
        if (!inBody) {
            // RFC 1939 7 TOP: the header, the blank line separating it from the body, then n lines.
            if (empty) {
                inBody = true;
                done = bodyLineLimit == 0;
            }
        } else if (bodyLineLimit >= 0 && ++bodyLines >= bodyLineLimit) {
            done = true;
        }
    }

    /** Ends the body: completes a last line without line end, then {@code "." CRLF}. */
    void finish(ByteBuf out) {
        if (!startOfLine) {
            if (!prevCr) out.writeByte('\r');
            out.writeByte('\n');
        }
        out.writeByte('.').writeByte('\r').writeByte('\n');
    }
}
