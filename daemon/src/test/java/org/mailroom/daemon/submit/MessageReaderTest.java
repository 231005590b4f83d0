package org.mailroom.daemon.submit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class MessageReaderTest {

    static String read(String in, boolean ignoreDots) throws IOException {
        return new String(MessageReader.read(new ByteArrayInputStream(in.getBytes(UTF_8)), ignoreDots, 1000), UTF_8);
    }

    @Test
    void withoutIALoneDotEndsTheMessage() throws IOException {
        assertEquals("Subject: x\n\nline\n", read("Subject: x\n\nline\n.\nafter\n", false));
        assertEquals("a\n", read("a\r\n.\r\nafter\r\n", false));
        assertEquals("a\n", read("a\n.", false));
        assertEquals("a\n..\n.b\n", read("a\n..\n.b\n.\n", false)); // no dot-unstuffing: this is not SMTP
    }

    @Test
    void withIOnlyEndOfFileEnds() throws IOException {
        assertEquals("a\n.\nafter\n", read("a\n.\nafter\n", true));
    }

    @Test
    void crLfBecomesLfAndALastLineGetsItsNewline() throws IOException {
        assertEquals("a\nb\n", read("a\r\nb", true));
        assertEquals("", read("", true));
    }

    @Test
    void tooBig() {
        assertThrows(MessageReader.TooBig.class, () -> read("x".repeat(2000), true));
        assertThrows(MessageReader.TooBig.class, () -> read("x\n".repeat(600), true));
    }
}
