package org.mailroom.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Splits input into {@link Line}s, or, after {@link #startDotData(long)} or
 * {@link #startCounted(long, long)}, into {@link DataChunk}s ending with a {@link DataEnd}; then it
 * returns to lines by itself. The mode can be changed by a handler while it handles the message
 * just decoded (Netty fires each decoded message before decoding the next), so bytes that follow
 * a DATA or BDAT command in the same packet are decoded in the new mode.
 *
 * <p>Not sharable: one per channel.
 */
public final class LineDecoder extends ByteToMessageDecoder {
    public static final String NAME = "lines";

    private enum Mode { LINES, DOT_DATA, COUNTED }

    private int maxLineLength;
    private Mode mode = Mode.LINES;
    private boolean discardingLine;

    // DOT_DATA state (RFC 5321 4.5.2 transparency)
    private long limit;
    private long wireSize;
    private long emitted;
    private boolean startOfLine;
    private boolean dotAtStart;
    private boolean crPending;
    private boolean bareCr;
    private boolean bareLf;

    // COUNTED state
    private long remaining;
    /** Octets announced by a line, or -1: see {@link #countedAfter}. */
    private ToLongFunction<String> announced = line -> -1;
    /** Also ask {@link #announced} about the end of a line that was too long. */
    private boolean announcedAfterTooLong;
    /** The last octets of a line being discarded (at most {@link #TAIL}), for {@link #announcedAfterTooLong}. */
    private final byte[] tail = new byte[TAIL];
    private int tailLength;
    private static final int TAIL = 32;

    public LineDecoder(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Changes the line limit (e.g. raised while a SASL exchange is in progress). */
    public void setMaxLineLength(int max) { this.maxLineLength = max; }

    /**
     * Decodes what follows as an SMTP DATA body until CR LF "." CR LF. Content beyond {@code maxSize}
     * octets is read and dropped, and the end reports {@link DataEnd#tooBig()}.
     */
    public void startDotData(long maxSize) {
        mode = Mode.DOT_DATA;
        limit = maxSize;
        wireSize = 0;
        emitted = 0;
        startOfLine = true;
        dotAtStart = false;
        crPending = false;
        bareCr = false;
        bareLf = false;
    }

    /**
     * Decodes the next {@code octets} octets as raw content (BDAT, IMAP literal). Content beyond
     * {@code maxSize} is read and dropped, and the end reports {@link DataEnd#tooBig()}.
     */
    public void startCounted(long octets, long maxSize) {
        mode = octets == 0 ? Mode.LINES : Mode.COUNTED;
        remaining = octets;
        limit = maxSize;
        emitted = 0;
        wireSize = 0;
    }

    /**
     * For protocols where a command line announces raw octets that follow it at once (SMTP BDAT,
     * RFC 3030 2): {@code sizeOf} returns the count for a line (its text without CRLF), or -1 for an
     * ordinary line. The switch to counted mode happens here, while decoding, not when the command
     * is executed: a pipelined command may wait in the {@code InboundGate} while the decoder goes on,
     * and the octets after it must never be decoded as lines. The whole block is passed on (no size
     * limit here); the handler enforces its own.
     */
    public void countedAfter(ToLongFunction<String> sizeOf) { this.announced = sizeOf; }

    /**
     * As {@link #countedAfter(ToLongFunction)}; with {@code alsoAfterTooLong} the function is also
     * asked about the last {@value #TAIL} octets of a line that was too long, when its end arrives.
     * IMAP needs that (RFC 7888 4): a non-synchronizing literal announced at the end of a line that
     * is being discarded follows at once, and its octets must be skipped as octets, never taken as
     * commands.
     */
    public void countedAfter(ToLongFunction<String> sizeOf, boolean alsoAfterTooLong) {
        this.announced = sizeOf;
        this.announcedAfterTooLong = alsoAfterTooLong;
    }

    /** Drops every byte received but not yet decoded (STARTTLS: RFC 3207 section 4.2). */
    public void discardBuffered() {
        ByteBuf b = internalBuffer();
        b.skipBytes(b.readableBytes());
        if (mode == Mode.COUNTED) mode = Mode.LINES; // a block announced after STARTTLS is gone too
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (mode) {
            case LINES -> decodeLine(in, out);
            case DOT_DATA -> decodeDotData(ctx, in, out);
            case COUNTED -> decodeCounted(in, out);
        }
    }

    private void decodeLine(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (discardingLine) {
            if (lf < 0) {
                keepTail(in, start, in.writerIndex());
                in.skipBytes(in.readableBytes());
            } else {
                keepTail(in, start, lf);
                in.readerIndex(lf + 1);
                discardingLine = false;
                endOfDiscardedLine();
            }
            return;
        }
        if (lf < 0) {
            if (in.readableBytes() > maxLineLength) {
                out.add(new LineTooLong(maxLineLength, head(in, start)));
                tailLength = 0;
                keepTail(in, start, in.writerIndex());
                in.skipBytes(in.readableBytes());
                discardingLine = true;
            }
            return;
        }
        int length = lf - start + 1;
        if (length > maxLineLength) {
            out.add(new LineTooLong(maxLineLength, head(in, start)));
            tailLength = 0;
            keepTail(in, start, lf);
            in.readerIndex(lf + 1);
            endOfDiscardedLine();
            return;
        }
        boolean crlf = lf > start && in.getByte(lf - 1) == '\r';
        int textLen = lf - start - (crlf ? 1 : 0);
        String text = in.toString(start, textLen, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        out.add(new Line(text, !crlf));
        long octets = crlf ? announced.applyAsLong(text) : -1;
        if (octets > 0) startCounted(octets, Long.MAX_VALUE);
    }

    private static String head(ByteBuf in, int start) {
        return in.toString(start, Math.min(LineTooLong.HEAD, in.writerIndex() - start), StandardCharsets.UTF_8);
    }

    /** Remembers the last {@value #TAIL} octets of {@code in[from, to)} after what was kept before. */
    private void keepTail(ByteBuf in, int from, int to) {
        if (!announcedAfterTooLong) return;
        int n = to - from;
        if (n >= TAIL) {
            in.getBytes(to - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
            return;
        }
        int keep = Math.min(tailLength, TAIL - n);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        in.getBytes(from, tail, keep, n);
        tailLength = keep + n;
    }

    /** The LF of a line that was too long arrived: it may still announce octets that follow. */
    private void endOfDiscardedLine() {
        if (!announcedAfterTooLong) return;
        int n = tailLength;
        if (n == 0 || tail[n - 1] != '\r') return; // only a CRLF line end announces octets
        long octets = announced.applyAsLong(new String(tail, 0, n - 1, StandardCharsets.UTF_8));
        tailLength = 0;
        if (octets > 0) startCounted(octets, Long.MAX_VALUE);
    }

    private void decodeDotData(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = in.readableBytes();
        ByteBuf chunk = ctx.alloc().buffer(n);
        int i = in.readerIndex();
        int end = in.writerIndex();
        boolean finished = false;
        while (i < end) {
            // the middle of a line: every octet up to the next CR or LF is content, copied at once
            if (!crPending && !(startOfLine && in.getByte(i) == '.')) {
                int stop = in.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
                int runEnd = stop < 0 ? end : stop;
                if (runEnd > i) {
                    int len = runEnd - i;
                    int keep = (int) Math.max(0, Math.min(len, limit - emitted));
                    if (keep > 0) {
                        chunk.writeBytes(in, i, keep);
                        emitted += keep;
                    }
                    wireSize += len;
                    startOfLine = false;
                    dotAtStart = false;
                    i = runEnd;
                    continue;
                }
            }
            byte b = in.getByte(i++);
            if (crPending) {
                crPending = false;
                if (b == '\n') {
                    if (dotAtStart) { // the line was "." CR LF
                        finished = true;
                        break;
                    }
                    wireSize += 2;
                    put(chunk, (byte) '\n');
                    startOfLine = true;
                    continue;
                }
                bareCr = true; // CR not followed by LF: kept as content, never a line end
                wireSize++;
                put(chunk, (byte) '\r');
                startOfLine = false;
                dotAtStart = false;
                // fall through: b is handled as an ordinary byte below
            }
            if (b == '\r') {
                crPending = true;
                continue;
            }
            if (startOfLine && b == '.') { // transparency dot, or the start of the final "." line
                startOfLine = false;
                dotAtStart = true;
                continue;
            }
            if (b == '\n') { // LF without CR: kept as content, never ends a line or the message
                bareLf = true;
            }
            startOfLine = false;
            dotAtStart = false;
            wireSize++;
            put(chunk, b);
        }
        in.readerIndex(i);
        if (chunk.isReadable()) out.add(new DataChunk(chunk));
        else chunk.release();
        if (finished) {
            mode = Mode.LINES;
            out.add(new DataEnd(wireSize, bareCr, bareLf, wireSize > limit));
        }
    }

    private void put(ByteBuf chunk, byte b) {
        if (emitted < limit) {
            chunk.writeByte(b);
            emitted++;
        }
    }

    private void decodeCounted(ByteBuf in, List<Object> out) {
        int take = (int) Math.min(remaining, in.readableBytes());
        if (take == 0) return;
        long keep = Math.max(0, Math.min(take, limit - emitted));
        if (keep > 0) out.add(new DataChunk(in.readRetainedSlice((int) keep)));
        in.skipBytes(take - (int) keep);
        emitted += keep;
        wireSize += take;
        remaining -= take;
        if (remaining == 0) {
            mode = Mode.LINES;
            out.add(new DataEnd(wireSize, false, false, wireSize > limit));
        }
    }
}
