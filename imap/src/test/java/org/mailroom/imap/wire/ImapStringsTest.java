package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImapStringsTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void quotedEscapesQuoteAndBackslash() {
        assertEquals("\"hello world\"", ImapStrings.quoted("hello world"));
        assertEquals("\"a\\\"b\\\\c\"", ImapStrings.quoted("a\"b\\c"));
        assertEquals("\"\"", ImapStrings.quoted(""));
        assertThrows(IllegalArgumentException.class, () -> ImapStrings.quoted("a\r\nb"));
    }

    @Test
    void stringChoosesQuotedOrLiteral() {
        assertEquals("\"Hi there\"", text(ImapStrings.string("Hi there")));
        assertEquals("{4}\r\na\r\nb", text(ImapStrings.string("a\r\nb")));
        // octet count, not char count
        assertTrue(text(ImapStrings.string("Grüße")).startsWith("{7}\r\n"));
        assertTrue(text(ImapStrings.string("tab\there")).startsWith("{8}\r\n"));
        String longValue = "x".repeat(ImapStrings.MAX_QUOTED + 1);
        assertEquals("{1025}\r\n" + longValue, text(ImapStrings.string(longValue)));
        assertEquals('"', text(ImapStrings.string("x".repeat(ImapStrings.MAX_QUOTED))).charAt(0));
        assertEquals("NIL", text(ImapStrings.nstring(null)));
        assertEquals("\"NIL\"", text(ImapStrings.nstring("NIL")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "INBOX|INBOX",
        "Sent]Items|Sent]Items",
        "'two words'|'\"two words\"'",
        "a(b|'\"a(b\"'",
        "x*|'\"x*\"'",
        "50%|'\"50%\"'",
        "{3}|'\"{3}\"'",
        "nil|'\"nil\"'",
        "''|'\"\"'",
    })
    void astringUsesAtomWhenItCan(String value, String wire) {
        assertEquals(wire, text(ImapStrings.astring(value)));
    }

    @Test
    void mailboxIsModifiedUtf7Astring() {
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-",
                text(ImapStrings.mailbox("~peter/mail/台北/日本語")));
        assertEquals("\"Sent Items\"", text(ImapStrings.mailbox("Sent Items")));
        assertEquals("INBOX", text(ImapStrings.mailbox("inbox")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // RFC 3501 5.1.3
        "~peter/mail/台北/日本語|~peter/mail/&U,BTFw-/&ZeVnLIqe-",
        "台北日本語|&U,BTF2XlZyyKng-",
        "☺!|&Jjo-!",
        "&|&-",
        "Tom & Jerry|Tom &- Jerry",
        "&&|&-&-",
        "plain|plain",
        "Entwürfe|Entw&APw-rfe",
        // non-BMP: U+1F600 is the surrogate pair D83D DE00
        "\uD83D\uDE00|&2D3eAA-",
        "a\uD83D\uDE00b\uD83D\uDE00é|a&2D3eAA-b&2D3eAADp-",
        "|",
    })
    void modifiedUtf7RoundTrip(String decoded, String encoded) throws Exception {
        decoded = decoded == null ? "" : decoded;
        encoded = encoded == null ? "" : encoded;
        assertEquals(encoded, ImapStrings.encodeMailbox(decoded));
        assertEquals(decoded, ImapStrings.decodeMailbox(encoded));
    }

    @Test
    void modifiedUtf7RoundTripsEveryBmpCharAndSomeSupplementary() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int cp = 1; cp < 0x30000; cp += 37) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            sb.appendCodePoint(cp);
        }
        String all = sb.toString();
        String encoded = ImapStrings.encodeMailbox(all);
        for (char c : encoded.toCharArray()) {
            assertTrue(c >= 0x20 && c <= 0x7E);
        }
        assertEquals(all, ImapStrings.decodeMailbox(encoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&Jjo",              // no closing '-'
        "&Jjo!",             // RFC 3501 5.1.3: should be &Jjo-!
        "&Jjp-",             // padding bits set
        "&Jj-",              // 12 bits: partial UTF-16 unit
        "&J-",               // 6 bits
        "&Jjo=-",            // '=' padding is not modified BASE64
        "&Jj/o-",            // '/' is ',' in modified BASE64
        "&U,BTFw-&ZeVnLIqe-", // RFC 3501 5.1.3: adjacent runs must be merged
        "&AGE-",             // 'a' encoded
        "&ACY-",             // '&' encoded
        "&2D0-",             // lone high surrogate
        "&3gA-",             // lone low surrogate
        "&2D3YPQ-",          // high followed by high
        "Grüße",             // 8-bit must be encoded
        "tab\there",
    })
    void modifiedUtf7RejectsInvalid(String encoded) {
        assertThrows(ImapSyntaxException.class, () -> ImapStrings.decodeMailbox(encoded));
    }

    @Test
    void encodeRejectsUnpairedSurrogates() {
        assertThrows(IllegalArgumentException.class, () -> ImapStrings.encodeMailbox("a\uD83D"));
        assertThrows(IllegalArgumentException.class, () -> ImapStrings.encodeMailbox("\uDE00b"));
        assertThrows(IllegalArgumentException.class, () -> ImapStrings.encodeMailbox("\uD83Dx"));
    }

    @Test
    void atomChars() {
        assertTrue(ImapStrings.isAstringAtom("INBOX.Sent]"));
        assertFalse(ImapStrings.isAstringAtom(""));
        assertFalse(ImapStrings.isAstringAtom("a b"));
        assertFalse(ImapStrings.isAtomChar(']'));
        assertFalse(ImapStrings.isAtomChar('\u007f'));
        assertTrue(ImapStrings.isAtomChar('&'));
    }
}
