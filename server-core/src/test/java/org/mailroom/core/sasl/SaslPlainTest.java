package org.mailroom.core.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslPlainTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAuthzid() throws SaslException {
        // RFC 4616 4, first example: "\0tim\0tanstaaftanstaaf"
        Credentials c = SaslPlain.decode("AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        assertEquals("", c.authzid());
        assertEquals("tim", c.authcid());
        assertArrayEquals("tanstaaftanstaaf".toCharArray(), c.password());
    }

    @Test
    void withAuthzid() throws SaslException {
        // RFC 4616 4, second example: Kurt acting as Ursel
        Credentials c = SaslPlain.decode(b64("Ursel\0Kurt\0xipj3plmq"));
        assertEquals("Ursel", c.authzid());
        assertEquals("Kurt", c.authcid());
        assertArrayEquals("xipj3plmq".toCharArray(), c.password());
    }

    @Test
    void utf8NamesAndPassword() throws SaslException {
        Credentials c = SaslPlain.decode(b64("\0jörg@example.org\0pässwörd €"));
        assertEquals("jörg@example.org", c.authcid());
        assertArrayEquals("pässwörd €".toCharArray(), c.password());
    }

    @Test
    void passwordMayContainSpacesAndEquals() throws SaslException {
        assertArrayEquals(" a=b ".toCharArray(), SaslPlain.decode(b64("\0u\0 a=b ")).password());
    }

    @Test
    void toStringHidesPasswordAndWipeClearsIt() throws SaslException {
        Credentials c = SaslPlain.decode(b64("\0alice\0hunter2"));
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertTrue(c.toString().contains("alice"));
        c.wipe();
        assertArrayEquals(new char[7], c.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                 // nothing
        "=",                // bad base64
        "AHRpbQB0YW5zdGFhZnRhbnN0YWFm!", // a character outside the alphabet
        "AHRp bQB0YW5z",    // space inside
        "AHRpbQB0YW5zdGFhZnRhbnN0YWFmx", // 4n+1 characters
    })
    void badBase64(String in) {
        SaslException e = assertThrows(SaslException.class, () -> SaslPlain.decode(in));
        assertFalse(e.getMessage().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "alice",                  // no NUL
        "alice\0secret",          // one NUL
        "\0alice\0secret\0",      // three NULs
        "a\0b\0c\0d",             // three NULs
        "\0\0secret",             // empty authcid
        "\0alice\0",              // empty password
        "\0\0",
    })
    void wrongStructure(String raw) {
        SaslException e = assertThrows(SaslException.class, () -> SaslPlain.decode(b64(raw)));
        assertFalse(e.getMessage().contains("secret"), "message is safe to echo: " + e.getMessage());
    }

    @Test
    void invalidUtf8() {
        byte[] raw = {0, 'a', 0, (byte) 0xC3, (byte) 0x28}; // 0xC3 needs a continuation byte
        assertThrows(SaslException.class, () -> SaslPlain.decode(Base64.getEncoder().encodeToString(raw)));
    }

    @Test
    void absurdlyLongResponse() {
        assertThrows(SaslException.class, () -> SaslPlain.decode(b64("\0a\0" + "x".repeat(5000))));
    }
}
