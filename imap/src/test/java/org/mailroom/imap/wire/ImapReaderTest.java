package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImapReaderTest {

    @Test
    void readsACommandLine() throws Exception {
        ImapReader r = new ImapReader("a001 UID FETCH 1:5,7,9:* (FLAGS UID (X-A \"b c\"))");
        assertEquals("a001", r.atom());
        r.space();
        assertEquals("UID", r.atom());
        r.space();
        assertEquals("FETCH", r.atom());
        r.space();
        assertEquals("1:5,7,9:*", r.sequenceSet().toString());
        r.space();
        assertEquals(List.of("FLAGS", "UID", List.of("X-A", "b c")), r.list());
        r.end();
    }

    @Test
    void quotedStringEscapes() throws Exception {
        ImapReader r = new ImapReader("\"a\\\"b\\\\c\" \"\" \"Grüße\"");
        assertEquals("a\"b\\c", r.quoted());
        r.space();
        assertEquals("", r.quoted());
        r.space();
        assertEquals("Grüße", r.astring());
        assertTrue(r.atEnd());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc", "\"a\\", "\"a\\n\"", "abc\"", "\"a\u0000\""})
    void badQuoted(String line) {
        assertThrows(ImapSyntaxException.class, () -> new ImapReader(line).quoted());
    }

    @Test
    void astringAndAtom() throws Exception {
        ImapReader r = new ImapReader("LOGIN fred \"my secret\"");
        assertEquals("LOGIN", r.atom());
        r.space();
        assertEquals("fred", r.astring());
        r.space();
        assertEquals("my secret", r.astring());
        r.end();
        ImapReader withBracket = new ImapReader("Sent]");
        assertEquals("Sent", withBracket.atom());
        assertThrows(ImapSyntaxException.class, withBracket::end);
        assertEquals("Sent]", new ImapReader("Sent]").astring());
        assertThrows(ImapSyntaxException.class, () -> new ImapReader(" x").atom());
        assertThrows(ImapSyntaxException.class, () -> new ImapReader("{3}").astring());
    }

    @ParameterizedTest
    @CsvSource({"0,0", "42,42", "4294967295,4294967295"})
    void numbers(String text, long value) throws Exception {
        ImapReader r = new ImapReader(text);
        assertEquals(value, r.number());
        assertTrue(r.atEnd());
    }

    @Test
    void numberBounds() throws Exception {
        assertThrows(ImapSyntaxException.class, () -> new ImapReader("4294967296").number());
        assertThrows(ImapSyntaxException.class, () -> new ImapReader("x").number());
        assertThrows(ImapSyntaxException.class, () -> new ImapReader("0").nzNumber());
        assertEquals(7, new ImapReader("7").nzNumber());
        assertEquals(Long.MAX_VALUE, new ImapReader("9223372036854775807").number64());
        assertThrows(ImapSyntaxException.class, () -> new ImapReader("9223372036854775808").number64());
    }

    @Test
    void listNestingIsBounded() throws Exception {
        String ok = "(".repeat(ImapReader.MAX_DEPTH) + "x" + ")".repeat(ImapReader.MAX_DEPTH);
        ImapReader r = new ImapReader(ok);
        Object o = r.list();
        for (int i = 1; i < ImapReader.MAX_DEPTH; i++) {
            o = ((List<?>) o).get(0);
        }
        assertEquals(List.of("x"), o);
        assertEquals(0, r.depth());
        r.end();
        String deep = "(".repeat(ImapReader.MAX_DEPTH + 1) + "x" + ")".repeat(ImapReader.MAX_DEPTH + 1);
        ImapSyntaxException e = assertThrows(ImapSyntaxException.class, () -> new ImapReader(deep).list());
        assertTrue(e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void beginAndEndList() throws Exception {
        ImapReader r = new ImapReader("(INBOX (x)) ()");
        r.beginList();
        assertEquals(1, r.depth());
        assertEquals("INBOX", r.atom());
        r.space();
        r.beginList();
        assertEquals(2, r.depth());
        assertEquals("x", r.atom());
        r.endList();
        r.endList();
        assertEquals(0, r.depth());
        r.space();
        r.beginList();
        r.endList();
        r.end();
        assertThrows(ImapSyntaxException.class, r::endList);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a", "(a  b)", "( a)", "(a )", "(a)b", "a)", "(\"x)", "({3})"})
    void badLists(String line) {
        assertThrows(ImapSyntaxException.class, () -> {
            ImapReader r = new ImapReader(line);
            r.list();
            r.end();
        });
    }

    @Test
    void flagList() throws Exception {
        assertEquals(List.of("\\Seen", "\\Flagged", "$Junk"), new ImapReader("(\\Seen \\Flagged $Junk)").list());
        assertEquals(List.of(), new ImapReader("()").list());
        assertThrows(ImapSyntaxException.class, () -> new ImapReader(")").endList());
    }

    @Test
    void literalMarkers() throws Exception {
        ImapReader r = new ImapReader("A003 APPEND saved-messages (\\Seen) {310}");
        r.atom();
        r.space();
        r.atom();
        r.space();
        assertFalse(r.atLiteral());
        r.astring();
        r.space();
        r.list();
        r.space();
        assertTrue(r.atLiteral());
        assertEquals(new LiteralMarker(310, false), r.literalMarker());
        assertTrue(r.atEnd());

        assertEquals(new LiteralMarker(0, true), new ImapReader("{0+}").literalMarker());
        assertEquals("{5+}", new ImapReader("{5+}").literalMarker().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{+}", "{12", "{12+", "{-1}", "{1 }", "{1}x", "{1} ", "{1++}", "{x}",
        "{99999999999999999999}"})
    void badLiteralMarkers(String line) {
        ImapReader r = new ImapReader(line);
        assertFalse(r.atLiteral());
        assertThrows(ImapSyntaxException.class, r::literalMarker);
        assertEquals(0, r.position());
    }

    @Test
    void sequenceSetErrorsAreSyntaxErrors() throws Exception {
        ImapReader r = new ImapReader("1:0 FLAGS");
        assertThrows(ImapSyntaxException.class, r::sequenceSet);
        assertEquals("$", new ImapReader("$").sequenceSet().toString());
    }

    @Test
    void lineMustNotContainCrlf() {
        assertThrows(IllegalArgumentException.class, () -> new ImapReader("a\r\n"));
    }

    private static Literal lit(String s) {
        return Literal.of(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void walksACommandTextAcrossLiterals() throws Exception {
        CommandText text = new CommandText(List.of("a X {3}", " (\\Seen {2+}", " b) NIL ~{4}", ")"),
                List.of(lit("foo"), lit("é"), lit("a\u0000bc")));
        ImapReader r = new ImapReader(text);
        assertEquals("a", r.atom());
        r.space();
        assertEquals("X", r.atom());
        r.space();
        assertTrue(r.literalAvailable());
        assertEquals("foo", r.astring());
        assertEquals(1, r.lineIndex());
        assertEquals(0, r.position());
        r.space();
        assertEquals(List.of("\\Seen", "é", "b"), r.list());
        r.space();
        assertEquals(null, r.nstring());
        r.space();
        assertThrows(ImapSyntaxException.class, () -> r.literal(false));
        Literal binary = r.literal(true);
        assertEquals(4, binary.size());
        assertEquals(3, r.lineIndex());
        r.expect(')');
        r.end();
    }

    @Test
    void endNeedsTheLastLine() throws Exception {
        ImapReader r = new ImapReader(new CommandText(List.of("{1}", ""), List.of(lit("x"))));
        r.literalMarker();
        assertTrue(r.atEnd());
        assertThrows(ImapSyntaxException.class, r::end);
    }

    @Test
    void stringsAndNstrings() throws Exception {
        ImapReader r = new ImapReader("\"a\" nil NIL \"NIL\" x NILS");
        assertEquals("a", r.string());
        r.space();
        assertEquals(null, r.nstring());
        r.space();
        assertEquals(null, r.nstring());
        r.space();
        assertEquals("NIL", r.nstring());
        r.space();
        assertThrows(ImapSyntaxException.class, r::string);
        r.atom();
        r.space();
        assertThrows(ImapSyntaxException.class, r::nstring);
    }

    @Test
    void trailingLiteral() {
        assertEquals(new LiteralMarker(310, false), ImapReader.trailingLiteral("A003 APPEND x (\\Seen) {310}"));
        assertEquals(new LiteralMarker(4, true), ImapReader.trailingLiteral("a LOGIN {4+}"));
        assertEquals(new LiteralMarker(7, false), ImapReader.trailingLiteral("A APPEND x UTF8 (~{7}"));
        assertEquals(null, ImapReader.trailingLiteral("a NOOP"));
        assertEquals(null, ImapReader.trailingLiteral("a X {x}"));
        assertEquals(null, ImapReader.trailingLiteral("a X {-1}"));
        assertEquals(null, ImapReader.trailingLiteral("}"));
        assertEquals(null, ImapReader.trailingLiteral("a X {99999999999999999999}"));
    }

    @Test
    void peekAtomAndListMailbox() throws Exception {
        ImapReader r = new ImapReader("RETURN (x) %/a*] \"a b\"");
        assertEquals("RETURN", r.peekAtom());
        assertEquals(0, r.position());
        r.atom();
        assertEquals(null, r.peekAtom());
        r.space();
        r.list();
        r.space();
        assertEquals("%/a*]", r.listMailbox());
        r.space();
        assertEquals("a b", r.listMailbox());
        r.end();
        assertThrows(ImapSyntaxException.class, () -> new ImapReader("(x)").listMailbox());
    }
}
