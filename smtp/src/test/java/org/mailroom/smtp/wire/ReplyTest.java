package org.mailroom.smtp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void singleLineWithEnhancedStatus() {
        assertEquals("250 2.1.0 Ok\r\n", new Reply(250, EnhancedStatus.X_2_1_0, "Ok").encode());
        assertEquals("503 5.5.1\r\n", new Reply(503, EnhancedStatus.X_5_5_1, "").encode());
    }

    @Test
    void multiLineCarriesStatusOnEveryLine() {
        // RFC 5321 4.2.1 continuation with "-"; RFC 2034 3: the status code on every line
        Reply r = new Reply(550, EnhancedStatus.X_5_1_1, List.of("first", "second"));
        assertEquals("550-5.1.1 first\r\n550 5.1.1 second\r\n", r.encode());
        assertEquals("550 5.1.1 first", r.summary());
        assertEquals("250-mx.example\r\n250 PIPELINING\r\n", Reply.plain(250, "mx.example", "PIPELINING").encode());
    }

    @Test
    void textCannotInjectLines() {
        Reply r = new Reply(550, EnhancedStatus.X_5_7_1, "no\r\n250 2.0.0 fake");
        assertEquals("550 5.7.1 no  250 2.0.0 fake\r\n", r.encode());
    }

    @Test
    void codeAndStatusMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> new Reply(199, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Reply(600, null, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Reply(550, EnhancedStatus.X_4_3_0, "x"));
    }

    @Test
    void enhancedStatusParsing() {
        assertEquals(EnhancedStatus.X_5_1_1, EnhancedStatus.parse("5.1.1"));
        assertEquals("4.7.0", EnhancedStatus.parse("4.7.0").toString());
        assertEquals(new EnhancedStatus(2, 123, 999), EnhancedStatus.parse("2.123.999"));
        for (String bad : new String[] {null, "", "5.1", "5.1.1.1", "3.0.0", "55.1.1", "5.1000.1", "5.a.1", "5..1"}) {
            assertNull(EnhancedStatus.parse(bad), bad);
        }
    }
}
