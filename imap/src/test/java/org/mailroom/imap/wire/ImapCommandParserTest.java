package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mailroom.imap.wire.Wire.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tags, command names and the session-level commands (RFC 9051 6.1, 6.2, and extensions). */
class ImapCommandParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a001 NOOP|a001",
        "A]1 NOOP|A]1",
        "x|x",
        "tag.1-2 LOGOUT|tag.1-2",
        "+ NOOP|",
        "a+b NOOP|",
        "(x) NOOP|",
        "' NOOP'|",
        "a\"b NOOP|",
        "a{1} NOOP|",
        "a%b NOOP|",
    })
    void tagOf(String line, String tag) {
        assertEquals(tag, ImapCommandParser.tagOf(line));
    }

    @Test
    void tagOfEmptyLine() {
        assertNull(ImapCommandParser.tagOf(""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a001 noop|NOOP",
        "a APPEND INBOX {300}|APPEND",
        "a uid fetch 1:* FLAGS|UID FETCH",
        "a UID|",
        "a UID |",
        "a|",
        "a |",
        "+ NOOP|",
        "a X-FOO bar|X-FOO",
    })
    void commandName(String line, String name) {
        assertEquals(name, ImapCommandParser.commandName(line));
    }

    @Test
    void commandsWithoutArguments() throws Exception {
        assertEquals(new Command.Capability(), parse("abcd CAPABILITY"));
        assertEquals(new Command.Noop(), parse("a002 NOOP"));
        assertEquals(new Command.Logout(), parse("A023 LOGOUT"));
        assertEquals(new Command.StartTls(), parse("a002 STARTTLS"));
        assertEquals(new Command.Namespace(), parse("A001 NAMESPACE"));
        assertEquals(new Command.Idle(), parse("A001 IDLE"));
        assertEquals(new Command.Check(), parse("FXXZ CHECK"));
        assertEquals(new Command.Close(), parse("A341 CLOSE"));
        assertEquals(new Command.Unselect(), parse("A342 UNSELECT"));
        assertEquals(new Command.Noop(), parse("a noOp"));
    }

    @Test
    void tagIsReturned() throws Exception {
        assertEquals(new ImapCommandParser.Tagged("a]1", new Command.Noop()),
                ImapCommandParser.parse(CommandText.of("a]1 NOOP")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " NOOP", "+ NOOP", "a001", "a001 ", "a001  NOOP", "a001 NOOP ", "a001 NOOP x",
        "a001 FROB", "a001 CAPABILITY\u0000", "a001 (NOOP)", "a001 \"NOOP\"",
        "a LOGIN", "a LOGIN fred", "a LOGIN fred ", "a LOGIN fred pw extra", "a LOGIN (fred) pw",
        "a AUTHENTICATE", "a AUTHENTICATE PLAIN AGZyZWQA!", "a AUTHENTICATE PLAIN abc",
        "a AUTHENTICATE PLAIN ====", "a AUTHENTICATE PLAIN ", "a ENABLE", "a ENABLE ",
        "a ENABLE  X", "a ID", "a ID (", "a ID (\"a\")", "a ID (\"a\" \"b\" \"c\")", "a ID x",
        "a ID (a b)", "a ID (\"a\" \"b\" )", "a COMPRESS", "a COMPRESS (DEFLATE)",
        "a LOGIN {3}",
    })
    void syntaxErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void authenticate() throws Exception {
        // RFC 9051 6.2.2 example (without SASL-IR), RFC 4959 3 with an initial response.
        assertEquals(new Command.Authenticate("GSSAPI", null), parse("A001 AUTHENTICATE GSSAPI"));
        assertEquals(new Command.Authenticate("PLAIN", "dGVzdAB0ZXN0AHRlc3Q="),
                parse("a AUTHENTICATE plain dGVzdAB0ZXN0AHRlc3Q="));
        assertEquals(new Command.Authenticate("EXTERNAL", "="), parse("a AUTHENTICATE EXTERNAL ="));
        assertEquals(new Command.Authenticate("SCRAM-SHA-256", "biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8="),
                parse("a AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8="));
    }

    @Test
    void login() throws Exception {
        // RFC 9051 6.2.3 example.
        assertEquals(new Command.Login("SMITH", "SESAME"), parse("a001 LOGIN SMITH SESAME"));
        assertEquals(new Command.Login("fred", "my secret"), parse("a LOGIN \"fred\" \"my secret\""));
        assertEquals(new Command.Login("fred@x.test", "p]w"), parse("a login fred@x.test p]w"));
        assertEquals(new Command.Login("", "a\"b\\c"), parse("a LOGIN \"\" \"a\\\"b\\\\c\""));
    }

    @Test
    void loginWithLiterals() throws Exception {
        // RFC 9051 4.3: astrings may be sent as literals; the command continues on the next line.
        assertEquals(new Command.Login("fred", "sec ret"), parse("a LOGIN {4}\r\nfred {7+}\r\nsec ret"));
        assertEquals(new Command.Login("fred", "pässwörd"), parse("a LOGIN fred {10}\r\npässwörd"));
        assertEquals(new Command.Login("", "x\r\ny"), parse("a LOGIN {0}\r\n {4}\r\nx\r\ny"));
    }

    @Test
    void literalErrors() {
        // Announced size differs from the octets received.
        CommandText wrongSize = new CommandText(List.of("a LOGIN {5}", " pw"),
                List.of(Literal.of("fred".getBytes())));
        assertThrows(ImapSyntaxException.class, () -> ImapCommandParser.parse(wrongSize));
        // A literal where the grammar allows none.
        assertThrows(ImapSyntaxException.class, () -> parse("a NOOP {4}\r\nfred"));
        // Bytes after the literal that is the last argument.
        assertThrows(ImapSyntaxException.class, () -> parse("a LOGIN fred {2}\r\npw "));
        // Not UTF-8.
        CommandText latin1 = new CommandText(List.of("a LOGIN fred {1}", ""),
                List.of(Literal.of(new byte[] {(byte) 0xE4})));
        assertThrows(ImapSyntaxException.class, () -> ImapCommandParser.parse(latin1));
        // A string literal over the bound.
        byte[] big = new byte[ImapReader.MAX_TEXT_LITERAL + 1];
        java.util.Arrays.fill(big, (byte) 'x');
        CommandText tooBig = new CommandText(List.of("a LOGIN fred {" + big.length + "}", ""),
                List.of(Literal.of(big)));
        assertThrows(ImapSyntaxException.class, () -> ImapCommandParser.parse(tooBig));
    }

    @Test
    void enable() throws Exception {
        // RFC 5161 4 / RFC 9051 6.3.1 examples.
        assertEquals(new Command.Enable(List.of("CONDSTORE", "X-GOOD-IDEA")),
                parse("t2 ENABLE CONDSTORE X-GOOD-IDEA"));
        assertEquals(new Command.Enable(List.of("UTF8=ACCEPT")), parse("t2 enable utf8=accept"));
        assertEquals(new Command.Enable(List.of("QRESYNC", "CONDSTORE")), parse("A ENABLE QRESYNC CONDSTORE"));
    }

    @Test
    void id() throws Exception {
        // RFC 2971 4 examples.
        assertEquals(new Command.Id(null), parse("a023 ID NIL"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("name", "sodr");
        expected.put("version", "19.34");
        expected.put("vendor", "Pink Floyd Music Limited");
        assertEquals(new Command.Id(expected),
                parse("a023 ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd Music Limited\")"));
        Map<String, String> withNil = new LinkedHashMap<>();
        withNil.put("name", null);
        withNil.put("os", "Linux");
        assertEquals(new Command.Id(withNil), parse("a ID (\"name\" NIL {2}\r\nos \"Linux\")"));
        assertEquals(new Command.Id(Map.of()), parse("a ID ()"));
        assertEquals(new Command.Id(null), parse("a ID nil"));
    }

    @Test
    void idBounds() throws Exception {
        StringBuilder ok = new StringBuilder("a ID (");
        for (int i = 0; i < ImapCommandParser.MAX_ID_PAIRS; i++) {
            ok.append(i == 0 ? "" : " ").append("\"f").append(i).append("\" \"v\"");
        }
        assertEquals(ImapCommandParser.MAX_ID_PAIRS, ((Command.Id) parse(ok + ")")).params().size());
        assertThrows(ImapSyntaxException.class, () -> parse(ok + " \"one\" \"more\")"));
        assertThrows(ImapSyntaxException.class, () -> parse("a ID (\"" + "f".repeat(31) + "\" NIL)"));
        assertThrows(ImapSyntaxException.class, () -> parse("a ID (\"f\" \"" + "v".repeat(1025) + "\")"));
    }

    @Test
    void compress() throws Exception {
        // RFC 4978 4 example.
        assertEquals(new Command.Compress("DEFLATE"), parse("a COMPRESS deflate"));
    }
}
