package org.mailroom.smtp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyParserTest {

    @Test
    void multiLineEhloReply() {
        // RFC 5321 4.2.1: continuation lines use "-", the last one SP
        ReplyParser p = new ReplyParser();
        assertNull(p.feed("250-mx.example greets you"));
        assertNull(p.feed("250-PIPELINING"));
        Reply r = p.feed("250 SIZE 1000");
        assertEquals(250, r.code());
        assertNull(r.status());
        assertEquals(List.of("mx.example greets you", "PIPELINING", "SIZE 1000"), r.lines());
    }

    @Test
    void enhancedStatusIsExtractedFromEveryLine() {
        // RFC 2034 3
        Reply r = ReplyParser.parse("550-5.1.1 no such\r\n550 5.1.1 user here");
        assertEquals(EnhancedStatus.X_5_1_1, r.status());
        assertEquals(List.of("no such", "user here"), r.lines());
        assertEquals(EnhancedStatus.X_2_0_0, ReplyParser.parse("250 2.0.0").status());
        assertEquals(List.of(""), ReplyParser.parse("250 2.0.0").lines());
    }

    @Test
    void statusOfTheWrongClassIsText() {
        Reply r = ReplyParser.parse("550 4.1.1 odd");
        assertNull(r.status());
        assertEquals("4.1.1 odd", r.lines().get(0));
        assertNull(ReplyParser.parse("354 2.0.0 go ahead").status());
        assertNull(ReplyParser.parse("250 1.2.3.4 ok").status());
    }

    @Test
    void bareCodeIsAReply() {
        Reply r = ReplyParser.parse("250");
        assertEquals(250, r.code());
        assertEquals(List.of(""), r.lines());
    }

    @Test
    void malformedLinesThrowAndReset() {
        ReplyParser p = new ReplyParser();
        assertThrows(IllegalArgumentException.class, () -> p.feed("hello"));
        assertThrows(IllegalArgumentException.class, () -> p.feed("25"));
        assertThrows(IllegalArgumentException.class, () -> p.feed("250x"));
        assertThrows(IllegalArgumentException.class, () -> p.feed("150 old"));
        assertNull(p.feed("250-a"));
        assertThrows(IllegalArgumentException.class, () -> p.feed("251 b"));
        assertEquals(220, p.feed("220 fresh").code());
    }
}
