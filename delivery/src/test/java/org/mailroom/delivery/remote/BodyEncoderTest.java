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
}
