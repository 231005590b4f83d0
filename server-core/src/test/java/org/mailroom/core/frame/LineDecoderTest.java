package org.mailroom.core.frame;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every case runs with the input fed whole and one byte at a time. */
class LineDecoderTest {

    /** Collects what the decoder produces; switches to DATA mode after a "DATA" line, like a session. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final List<Object> items = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final LineDecoder decoder;
        final long max;

        Sink(LineDecoder decoder, long max) {
            this.decoder = decoder;
            this.max = max;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DataChunk c) {
                byte[] b = new byte[c.content().readableBytes()];
                c.content().readBytes(b);
                c.content().release();
                data.writeBytes(b);
                return;
            }
            items.add(msg);
            if (msg instanceof Line l && l.text().equals("DATA")) decoder.startDotData(max);
            if (msg instanceof Line l && l.text().startsWith("BDAT ")) decoder.startCounted(Long.parseLong(l.text().substring(5)), max);
        }
    }

    private static Sink run(String input, int maxLine, long maxData, boolean byteByByte) {
        LineDecoder d = new LineDecoder(maxLine);
        Sink s = new Sink(d, maxData);
        EmbeddedChannel ch = new EmbeddedChannel(d, s);
        byte[] b = input.getBytes(US_ASCII);
        if (byteByByte) {
            for (byte x : b) ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(b));
        }
        ch.finishAndReleaseAll();
        return s;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void linesWithCrlfAndBareLf(boolean bytewise) {
        Sink s = run("EHLO a\r\nNOOP\nQUIT\r\n", 512, 100, bytewise);
        assertEquals(List.of(new Line("EHLO a", false), new Line("NOOP", true), new Line("QUIT", false)), s.items);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void overlongLineIsReportedOnceAndTheNextLineIsIntact(boolean bytewise) {
        Sink s = run("x".repeat(600) + "\r\nNOOP\r\n", 512, 100, bytewise);
        assertEquals(List.of(new LineTooLong(512, "x".repeat(LineTooLong.HEAD)), new Line("NOOP", false)), s.items);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void octetsAnnouncedAtTheEndOfAnOverlongLineAreSkippedAsOctets(boolean bytewise) {
        // IMAP (RFC 7888 4): "{5+}" ends a line that is too long; its 5 octets must not become a line
        LineDecoder d = new LineDecoder(64);
        d.countedAfter(t -> t.endsWith("{5+}") ? 5 : -1, true);
        Sink s = new Sink(d, 100);
        EmbeddedChannel ch = new EmbeddedChannel(d, s);
        byte[] b = ("a1 LOGIN " + "y".repeat(100) + " {5+}\r\nhello\r\nA3 NOOP\r\n").getBytes(US_ASCII);
        if (bytewise) {
            for (byte x : b) ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(b));
        }
        ch.finishAndReleaseAll();
        assertEquals("hello", s.data.toString(US_ASCII));
        assertEquals(4, s.items.size(), s.items.toString());
        assertTrue(((LineTooLong) s.items.get(0)).head().startsWith("a1 LOGIN yyy"));
        assertInstanceOf(DataEnd.class, s.items.get(1));
        assertEquals(List.of(new Line("", false), new Line("A3 NOOP", false)), s.items.subList(2, 4));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dataIsUnstuffedAndEndsOnlyAtCrlfDotCrlf(boolean bytewise) {
        Sink s = run("DATA\r\nSubject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n", 512, 1000, bytewise);
        assertEquals("Subject: x\n\n.leading dot\n", s.data.toString(US_ASCII));
        DataEnd end = (DataEnd) s.items.get(1);
        assertEquals(28, end.wireSize()); // "Subject: x\r\n" + "\r\n" + ".leading dot\r\n", stuffing dot not counted
        assertFalse(end.bareCr() || end.bareLf() || end.tooBig());
        assertEquals(new Line("QUIT", false), s.items.get(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\n.\nMAIL FROM:<x>\r\n", "a\r\n.\nMAIL FROM:<x>\r\n", "a\n.\r\nMAIL FROM:<x>\r\n",
            "a\r.\rMAIL FROM:<x>\r\n", "a\r\n.\rMAIL FROM:<x>\r\n"})
    void bareCrOrLfNeverEndsTheMessage(String smuggle) {
        for (boolean bytewise : new boolean[] {false, true}) {
            Sink s = run("DATA\r\n" + smuggle + ".\r\n", 512, 1000, bytewise);
            assertEquals(2, s.items.size(), "only DATA and the end: the smuggled MAIL is content");
            DataEnd end = assertInstanceOf(DataEnd.class, s.items.get(1));
            assertTrue(end.bareCr() || end.bareLf());
            assertTrue(s.data.toString(US_ASCII).contains("MAIL FROM:<x>"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void emptyMessageAndOversizedMessage(boolean bytewise) {
        Sink empty = run("DATA\r\n.\r\n", 512, 10, bytewise);
        assertEquals(new DataEnd(0, false, false, false), empty.items.get(1));
        Sink big = run("DATA\r\n0123456789abcdef\r\n.\r\nNOOP\r\n", 512, 10, bytewise);
        DataEnd end = (DataEnd) big.items.get(1);
        assertTrue(end.tooBig());
        assertEquals(10, big.data.size(), "content beyond the limit is dropped, not buffered");
        assertEquals(new Line("NOOP", false), big.items.get(2));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void countedBlockThenLines(boolean bytewise) {
        Sink s = run("BDAT 5\r\nab\r\ncNOOP\r\n", 512, 100, bytewise);
        assertEquals("ab\r\nc", s.data.toString(US_ASCII));
        assertEquals(new DataEnd(5, false, false, false), s.items.get(1));
        assertEquals(new Line("NOOP", false), s.items.get(2));
    }

    @org.junit.jupiter.api.Test
    void discardBufferedDropsPipelinedInput() {
        LineDecoder d = new LineDecoder(512);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(d, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof Line l && l.text().equals("STARTTLS")) d.discardBuffered();
            }
        });
        ByteBuf in = Unpooled.copiedBuffer("STARTTLS\r\nEHLO evil\r\nMAIL FROM:<x>\r\n", US_ASCII);
        ch.writeInbound(in);
        ch.writeInbound(Unpooled.copiedBuffer("EHLO good\r\n", US_ASCII));
        assertEquals(List.of(new Line("STARTTLS", false), new Line("EHLO good", false)), seen);
        ch.finishAndReleaseAll();
    }

    /** The DATA rules one octet at a time (RFC 5321 4.5.2, bare CR and LF kept): the reference. */
    private static Object[] reference(byte[] body, long max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean startOfLine = true, dotAtStart = false, crPending = false, bareCr = false, bareLf = false;
        long wire = 0;
        for (byte b : body) {
            if (crPending) {
                crPending = false;
                if (b == '\n') {
                    if (dotAtStart) return new Object[] {out.toByteArray(), new DataEnd(wire, bareCr, bareLf, wire > max)};
                    wire += 2;
                    if (out.size() < max) out.write('\n');
                    startOfLine = true;
                    continue;
                }
                bareCr = true;
                wire++;
                if (out.size() < max) out.write('\r');
                startOfLine = false;
                dotAtStart = false;
            }
            if (b == '\r') {
                crPending = true;
                continue;
            }
            if (startOfLine && b == '.') {
                startOfLine = false;
                dotAtStart = true;
                continue;
            }
            if (b == '\n') bareLf = true;
            startOfLine = false;
            dotAtStart = false;
            wire++;
            if (out.size() < max) out.write(b);
        }
        throw new AssertionError("no end");
    }

    @org.junit.jupiter.api.Test
    void runsCopiedWholeAgreeWithTheOctetRulesOnRandomInputAndChunking() {
        java.util.Random rnd = new java.util.Random(5321);
        byte[] alphabet = {'a', 'b', '.', '\r', '\n', ' '};
        for (int round = 0; round < 3000; round++) {
            byte[] body = new byte[rnd.nextInt(60)];
            for (int i = 0; i < body.length; i++) body[i] = alphabet[rnd.nextInt(alphabet.length)];
            byte[] whole = (new String(body, US_ASCII) + "\r\n.\r\n").getBytes(US_ASCII);
            long max = rnd.nextBoolean() ? 1000 : rnd.nextInt(20);
            Object[] want = reference(whole, max);
            LineDecoder d = new LineDecoder(512);
            Sink s = new Sink(d, max);
            EmbeddedChannel ch = new EmbeddedChannel(d, s);
            ch.writeInbound(Unpooled.wrappedBuffer("DATA\r\n".getBytes(US_ASCII)));
            for (int i = 0; i < whole.length; ) {
                int n = Math.min(whole.length - i, 1 + rnd.nextInt(9));
                ch.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(whole, i, i + n)));
                i += n;
            }
            ch.finishAndReleaseAll();
            String input = java.util.Arrays.toString(whole);
            assertEquals(new String((byte[]) want[0], US_ASCII), s.data.toString(US_ASCII), input);
            assertEquals(want[1], s.items.get(1), input);
        }
    }
}
