package org.mailroom.smtp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathTest {

    @Test
    void nullPathOnlyAsReversePath() {
        assertTrue(Path.parseReverse("<>").isNull());
        assertEquals("", Path.parseReverse("<>").address());
        assertThrows(IllegalArgumentException.class, () -> Path.parseForward("<>"));
    }

    @Test
    void rfc5321Examples() {
        // RFC 5321 appendix D.1 and 4.1.1.3
        assertEquals("Smith@bar.com", Path.parseReverse("<Smith@bar.com>").address());
        assertEquals("Jones@foo.com", Path.parseForward("<Jones@foo.com>").address());
        // RFC 5321 4.1.1.3: the source route is accepted and dropped (appendix C)
        Path routed = Path.parseForward("<@hosta.int,@jkl.org:userc@d.bar.org>");
        assertEquals("userc", routed.localPart());
        assertEquals("d.bar.org", routed.domain());
        // RFC 5321 4.1.1.3: Postmaster without a domain must be accepted as a forward-path
        assertEquals("Postmaster", Path.parseForward("<Postmaster>").address());
        assertThrows(IllegalArgumentException.class, () -> Path.parseReverse("<Postmaster>"));
    }

    @Test
    void quotedLocalParts() {
        Path p = Path.parseForward("<\"john doe\"@example.test>");
        assertEquals("\"john doe\"", p.localPart());
        assertEquals("\"john doe\"@example.test", p.address());
        assertEquals("\"a\\\"b\"@example.test", Path.parseForward("<\"a\\\"b\"@example.test>").address());
        assertEquals(Path.endOf("<\"a>b\"@x.test> SIZE=1", 0), 14);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<user@[192.0.2.1]>", "<user@[IPv6:2001:db8::1]>", "<user@[IPv6:::1]>",
            "<user@[IPv6:1:2:3:4:5:6:7:8]>", "<user@[IPv6:::ffff:192.0.2.1]>", "<user@[x-tag:abc]>",
            "<a.b+c@sub-domain.example.test>", "<!#$%&'*+-/=?^_`{|}~@x.test>"})
    void accepted(String s) {
        assertEquals(s.substring(1, s.length() - 1), Path.parseForward(s).address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.test", "<user@example.test", "user@example.test>", "<user>",
            "<@example.test>", "<user@>", "<.user@x.test>", "<user.@x.test>", "<us..er@x.test>",
            "<user@-x.test>", "<user@x-.test>", "<user@x..test>", "<user@x.test.>", "<user@[192.0.2.256]>",
            "<user@[1.2.3]>", "<user@[IPv6:1::2::3]>", "<user@[IPv6:1:2:3:4:5:6:7:8:9]>", "<user@[IPv6:12345::]>",
            "<user@[192.0.2.1>", "<\"unterminated@x.test>", "<\"\"@x.test>", "<a b@x.test>", "<a\u0000b@x.test>",
            "<\"a\u0007b\"@x.test>", "<a@x.test> ", "<a@b@c.test>", "<a\uFFFDb@x.test>", "<@a,@b>", "<@a:>"})
    void rejected(String s) {
        assertThrows(IllegalArgumentException.class, () -> Path.parseForward(s), s);
    }

    @Test
    void lengthLimits() {
        String local64 = "a".repeat(64);
        assertEquals(local64, Path.parseForward("<" + local64 + "@x.test>").localPart());
        assertThrows(IllegalArgumentException.class, () -> Path.parseForward("<" + local64 + "a@x.test>"));
        String label = "b".repeat(63);
        assertThrows(IllegalArgumentException.class, () -> Path.parseForward("<a@" + label + "b.test>"));
        String longDomain = (label + ".").repeat(4) + "test"; // 260 octets
        assertThrows(IllegalArgumentException.class, () -> Path.parseForward("<a@" + longDomain + ">"));
    }

    @Test
    void utf8IsParsedAndFlagged() {
        // RFC 6531 3.3: UTF-8 in local parts and domain labels
        Path p = Path.parseForward("<jöran@bücher.example>");
        assertTrue(p.nonAscii());
        assertEquals("jöran@bücher.example", p.address());
        assertTrue(Path.parseForward("<\"jö ran\"@x.test>").nonAscii());
        assertFalse(Path.parseForward("<joran@x.test>").nonAscii());
        // only the mailbox counts, not a dropped route
        assertFalse(Path.parseForward("<@bücher.example:a@x.test>").nonAscii());
    }

    @Test
    void endOfSkipsQuotes() {
        assertEquals(-1, Path.endOf("<a@b", 0));
        assertEquals(5, Path.endOf("<a@b> X", 0));
    }
}
