package org.mailroom.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {

    @Test
    void crlfAndStuffing() {
        assertBoth("a\n.b\n..\nc\n", -1, "a\r\n..b\r\n...\r\nc\r\n.\r\n");
    }

    @Test
    void existingCrlfIsNotDoubledAndBareCrStays() {
        assertBoth("a\r\n.\r\nx\ry\n", -1, "a\r\n..\r\nx\ry\r\n.\r\n");
    }

    @Test
    void missingFinalLineEndIsAdded() {
        assertBoth("a\nlast", -1, "a\r\nlast\r\n.\r\n");
        assertBoth("a\n.", -1, "a\r\n..\r\n.\r\n");
        assertBoth("", -1, ".\r\n");
    }

    @Test
    void topStopsAfterHeaderAndLines() {
        String msg = "H: 1\nH: 2\n\nb1\n.b2\nb3\n";
        assertBoth(msg, 0, "H: 1\r\nH: 2\r\n\r\n.\r\n");
        assertBoth(msg, 2, "H: 1\r\nH: 2\r\n\r\nb1\r\n..b2\r\n.\r\n");
        assertBoth(msg, 10, "H: 1\r\nH: 2\r\n\r\nb1\r\n..b2\r\nb3\r\n.\r\n");
        assertBoth("H: 1\r\n\r\nb1\r\nb2\r\n", 1, "H: 1\r\n\r\nb1\r\n.\r\n");
        assertBoth("H: only a header\n", 5, "H: only a header\r\n.\r\n");
    }

    /** Whole, then one octet per call: the state carries across chunk boundaries. */
    private static void assertBoth(String in, long lines, String expected) {
        byte[] b = in.getBytes(StandardCharsets.UTF_8);
        DotStuffer whole = new DotStuffer(lines);
        ByteBuf out = Unpooled.buffer();
        whole.encode(b, 0, b.length, out);
        whole.finish(out);
        assertEquals(expected, out.toString(StandardCharsets.UTF_8), "whole");
        DotStuffer bytewise = new DotStuffer(lines);
        ByteBuf out2 = Unpooled.buffer();
        for (int i = 0; i < b.length; i++) bytewise.encode(b, i, 1, out2);
        bytewise.finish(out2);
        assertEquals(expected, out2.toString(StandardCharsets.UTF_8), "byte by byte");
    }
}
