package org.mailroom.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyEncoderTest {

    static String encode(String in, int chunk) {
        BodyEncoder e = new BodyEncoder();
        ByteBuf out = Unpooled.buffer();
        byte[] b = in.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + chunk));
            e.encode(part, part.length, out);
        }
        e.finish(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void crlfAndDotStuffingWholeAndByteByByte() {
        // RFC 5321 4.5.2
        String in = ".a\nb\n..\n.\nx.y\r\nend";
        String want = "..a\r\nb\r\n...\r\n..\r\nx.y\r\nend\r\n.\r\n";
        assertEquals(want, encode(in, 1000));
        assertEquals(want, encode(in, 1));
        assertEquals(".\r\n", encode("", 1));
        assertEquals("a\r\n.\r\n", encode("a\n", 1));
    }

    @Test
    void crBeforeLfAcrossChunksIsKept() {
        // a CR that ends one chunk and the LF that starts the next are one line end, not CR CR LF
        assertEquals("a\r\n..b\r\n.\r\n", encode("a\r\n.b", 2));
        assertEquals("a\r\n..b\r\n.\r\n", encode("a\r\n.b", 1));
    }

    /** The rule of RFC 5321 4.5.2 as the client applies it, one octet at a time: the reference. */
    static String reference(byte[] in) {
        StringBuilder out = new StringBuilder();
        boolean lineStart = true, lastCr = false;
        for (byte b : in) {
            if (b == '\n') {
                if (!lastCr) out.append('\r');
                out.append('\n');
                lineStart = true;
                lastCr = false;
                continue;
            }
            if (lineStart && b == '.') out.append('.');
            out.append((char) (b & 0xff));
            lineStart = false;
            lastCr = b == '\r';
        }
        if (!lineStart) out.append("\r\n");
        return out.append(".\r\n").toString();
    }

    @Test
    void lineCopiesAgreeWithTheOctetRuleOnRandomInputAndChunking() {
        java.util.Random rnd = new java.util.Random(2920);
        byte[] alphabet = {'a', '.', '\n', '\r', ' ', (byte) 0xc3};
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[rnd.nextInt(40)];
            for (int i = 0; i < in.length; i++) in[i] = alphabet[rnd.nextInt(alphabet.length)];
            BodyEncoder e = new BodyEncoder();
            ByteBuf out = Unpooled.buffer();
            for (int i = 0; i < in.length; ) {
                int n = Math.min(in.length - i, 1 + rnd.nextInt(7));
                byte[] part = java.util.Arrays.copyOfRange(in, i, i + n);
                e.encode(part, n, out);
                i += n;
            }
            e.finish(out);
            assertEquals(reference(in), out.toString(StandardCharsets.ISO_8859_1), "input " + java.util.Arrays.toString(in));
        }
    }
}
