package org.mailroom.core.test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranscriptTest {

    @Test
    void globsAndCaptures() {
        Map<String, String> vars = new HashMap<>();
        assertFalse(Transcript.match("220 {*} XYZ", "220 mx.example ESMTP ready", vars));
        assertTrue(Transcript.match("220 {*}", "220 mx.example ESMTP ready", vars));
        assertTrue(Transcript.match("250 2.0.0 Ok: queued as {$id}", "250 2.0.0 Ok: queued as ABC123", vars));
        assertEquals("ABC123", vars.get("id"));
        assertTrue(Transcript.match("{$id} removed", "ABC123 removed", vars));
        assertFalse(Transcript.match("{$id} removed", "XYZ removed", vars));
        assertTrue(Transcript.match("a.b(c)", "a.b(c)", vars));
        assertFalse(Transcript.match("a.b", "axb", vars));
    }

    @Test
    void escapes() {
        assertArrayEquals(new byte[] {'.', '\r', '\n', 0x7f, '\\'}, Transcript.unescape(".\\r\\n\\x7f\\\\"));
    }
}
