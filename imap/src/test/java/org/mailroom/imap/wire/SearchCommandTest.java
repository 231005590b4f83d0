package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mailroom.imap.wire.Wire.parse;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.imap.wire.Command.SearchReturn;
import org.mailroom.imap.wire.SearchKey.And;
import org.mailroom.imap.wire.SearchKey.Date;
import org.mailroom.imap.wire.SearchKey.DateField;
import org.mailroom.imap.wire.SearchKey.DateOp;
import org.mailroom.imap.wire.SearchKey.Flag;
import org.mailroom.imap.wire.SearchKey.Header;
import org.mailroom.imap.wire.SearchKey.Not;
import org.mailroom.imap.wire.SearchKey.Or;

/** SEARCH and UID SEARCH (RFC 9051 6.4.4, RFC 3501, RFC 4731, RFC 7162 3.1.5, RFC 5182). */
class SearchCommandTest {

    private static Command.Search search(String wire) throws ImapSyntaxException {
        return (Command.Search) parse(wire);
    }

    private static SearchKey key(String keys) throws ImapSyntaxException {
        List<SearchKey> top = ((And) search("a SEARCH " + keys).key()).keys();
        assertEquals(1, top.size(), keys);
        return top.get(0);
    }

    private static And and(SearchKey... keys) {
        return new And(List.of(keys));
    }

    @Test
    void rfcExamples() throws Exception {
        // RFC 9051 6.4.4 examples.
        LocalDate feb1 = LocalDate.of(1994, 2, 1);
        assertEquals(new Command.Search(false, null, EnumSet.of(SearchReturn.MIN, SearchReturn.COUNT),
                        and(new Flag("\\Flagged", true), new Date(DateField.INTERNAL, DateOp.SINCE, feb1),
                                new Not(new Header("From", "Smith")))),
                parse("A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""));
        assertEquals(new Command.Search(false, null, Set.of(SearchReturn.ALL),
                        and(new Flag("\\Flagged", true), new Date(DateField.INTERNAL, DateOp.SINCE, feb1),
                                new Not(new Header("From", "Smith")))),
                parse("A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""));
        assertEquals(new Command.Search(false, null, null, and(new SearchKey.Text("string not in mailbox"))),
                parse("A284 SEARCH TEXT \"string not in mailbox\""));
        String russian = "Русский";
        int n = russian.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(new Command.Search(false, "UTF-8", null, and(new SearchKey.Text(russian))),
                parse("A285 SEARCH CHARSET UTF-8 TEXT {" + n + "}\r\n" + russian));
        // RFC 3501 6.4.4 example.
        assertEquals(new Command.Search(false, null, null,
                        and(new Flag("\\Flagged", true), new Date(DateField.INTERNAL, DateOp.SINCE, feb1),
                                new Not(new Header("From", "Smith")))),
                parse("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""));
        // RFC 9051 6.4.4.1 / RFC 5182 examples: SAVE and $.
        assertEquals(new Command.Search(false, null, EnumSet.of(SearchReturn.SAVE, SearchReturn.MIN),
                        and(new Flag("\\Flagged", true), new Date(DateField.INTERNAL, DateOp.SINCE, feb1),
                                new Not(new Header("From", "Smith")))),
                parse("A283 SEARCH RETURN (SAVE MIN) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\""));
        assertEquals(new Command.Search(false, null, null,
                        and(new SearchKey.Seq(SequenceSet.parse("$")), new SearchKey.Size(false, 4096))),
                parse("A301 SEARCH $ SMALLER 4096"));
        assertEquals(new Command.Search(true, null, EnumSet.of(SearchReturn.COUNT),
                        and(new SearchKey.Uid(SequenceSet.parse("$")))),
                parse("A302 UID SEARCH RETURN (COUNT) UID $"));
        // RFC 4731 example.
        assertEquals(new Command.Search(true, null, EnumSet.of(SearchReturn.MIN, SearchReturn.MAX),
                        and(new SearchKey.Seq(SequenceSet.parse("1:5000")))),
                parse("A285 UID SEARCH RETURN (MIN MAX) 1:5000"));
        // RFC 7162 3.1.5 examples.
        assertEquals(and(new SearchKey.ModSeq(620162338)),
                search("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338").key());
        assertEquals(and(new Or(new Not(new SearchKey.ModSeq(720162338)), new SearchKey.Size(true, 50000))),
                search("t SEARCH OR NOT MODSEQ 720162338 LARGER 50000").key());
    }

    @Test
    void everyKey() throws Exception {
        assertEquals(new SearchKey.All(), key("ALL"));
        assertEquals(new Flag("\\Answered", true), key("answered"));
        assertEquals(new Flag("\\Deleted", true), key("DELETED"));
        assertEquals(new Flag("\\Draft", true), key("DRAFT"));
        assertEquals(new Flag("\\Flagged", true), key("FLAGGED"));
        assertEquals(new Flag("\\Seen", true), key("SEEN"));
        assertEquals(new Flag("\\Answered", false), key("UNANSWERED"));
        assertEquals(new Flag("\\Deleted", false), key("UNDELETED"));
        assertEquals(new Flag("\\Draft", false), key("UNDRAFT"));
        assertEquals(new Flag("\\Flagged", false), key("UNFLAGGED"));
        assertEquals(new Flag("\\Seen", false), key("UNSEEN"));
        assertEquals(SearchKey.Recent.NEW, key("NEW"));
        assertEquals(SearchKey.Recent.OLD, key("OLD"));
        assertEquals(SearchKey.Recent.RECENT, key("RECENT"));
        assertEquals(new SearchKey.Keyword("$Junk", true), key("KEYWORD $Junk"));
        assertEquals(new SearchKey.Keyword("foo", false), key("UNKEYWORD foo"));
        assertEquals(new Header("Bcc", "a"), key("BCC a"));
        assertEquals(new Header("Cc", "b c"), key("CC \"b c\""));
        assertEquals(new Header("From", "x@y"), key("FROM x@y"));
        assertEquals(new Header("To", ""), key("TO \"\""));
        assertEquals(new Header("Subject", "hi"), key("SUBJECT {2}\r\nhi"));
        assertEquals(new Header("List-Id", "dev"), key("HEADER List-Id dev"));
        assertEquals(new SearchKey.Body("x"), key("BODY x"));
        assertEquals(new SearchKey.Text("y"), key("TEXT y"));
        assertEquals(new Date(DateField.INTERNAL, DateOp.BEFORE, LocalDate.of(2024, 12, 31)), key("BEFORE 31-Dec-2024"));
        assertEquals(new Date(DateField.INTERNAL, DateOp.ON, LocalDate.of(2024, 2, 29)), key("ON \"29-feb-2024\""));
        assertEquals(new Date(DateField.INTERNAL, DateOp.SINCE, LocalDate.of(1994, 2, 1)), key("SINCE 01-FEB-1994"));
        assertEquals(new Date(DateField.SENT, DateOp.BEFORE, LocalDate.of(2000, 1, 1)), key("SENTBEFORE 1-Jan-2000"));
        assertEquals(new Date(DateField.SENT, DateOp.ON, LocalDate.of(2000, 1, 1)), key("SENTON 1-jAN-2000"));
        assertEquals(new Date(DateField.SENT, DateOp.SINCE, LocalDate.of(2000, 1, 1)), key("SENTSINCE 1-Jan-2000"));
        assertEquals(new SearchKey.Size(true, 10_000_000_000L), key("LARGER 10000000000"));
        assertEquals(new SearchKey.Size(false, 0), key("SMALLER 0"));
        assertEquals(new SearchKey.Uid(SequenceSet.parse("1:*")), key("UID 1:*"));
        assertEquals(new SearchKey.Seq(SequenceSet.parse("2,4:7,*")), key("2,4:7,*"));
        assertEquals(new Not(new Flag("\\Seen", true)), key("NOT SEEN"));
        assertEquals(new Or(new Flag("\\Seen", true), and(new Flag("\\Draft", true), new SearchKey.All())),
                key("OR SEEN (DRAFT ALL)"));
        assertEquals(new SearchKey.ModSeq(0), key("MODSEQ 0"));
        assertEquals(new SearchKey.ModSeq(5), key("MODSEQ \"/flags/$Junk\" PRIV 5"));
        assertEquals(and(and(new SearchKey.All())), key("((ALL))"));
    }

    @Test
    void charsets() throws Exception {
        assertEquals("US-ASCII", search("a SEARCH CHARSET us-ascii TEXT {3}\r\nabc").charset());
        assertEquals("UTF-8", search("a SEARCH CHARSET \"UTF-8\" ALL").charset());
        assertNull(search("a SEARCH ALL").charset());
        assertEquals(new Command.Search(false, "UTF-8", Set.of(SearchReturn.ALL), and(new SearchKey.All())),
                parse("a SEARCH RETURN (ALL) CHARSET UTF-8 ALL"));
        BadCharsetException e = assertThrows(BadCharsetException.class,
                () -> parse("A286 SEARCH CHARSET WHATEVER TEXT \"x\""));
        assertEquals("WHATEVER", e.charset());
        assertThrows(BadCharsetException.class, () -> parse("a SEARCH CHARSET ISO-8859-1 ALL"));
        // A literal that is not valid in the named charset.
        CommandText nonAscii = new CommandText(List.of("a SEARCH CHARSET US-ASCII TEXT {2}", ""),
                List.of(Literal.of("ä".getBytes(StandardCharsets.UTF_8))));
        ImapSyntaxException bad = assertThrows(ImapSyntaxException.class, () -> ImapCommandParser.parse(nonAscii));
        assertInstanceOf(ImapSyntaxException.class, bad);
        assertEquals(ImapSyntaxException.class, bad.getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a SEARCH", "a SEARCH ", "a SEARCH ALL ", "a SEARCH  ALL", "a SEARCH FOO", "a SEARCH (ALL",
        "a SEARCH ALL)", "a SEARCH ()", "a SEARCH (ALL )", "a SEARCH NOT", "a SEARCH OR ALL", "a SEARCH 0",
        "a SEARCH 1:", "a SEARCH 1,,2", "a SEARCH UID", "a SEARCH UID x", "a SEARCH FROM", "a SEARCH HEADER x",
        "a SEARCH KEYWORD", "a SEARCH KEYWORD \\Seen", "a SEARCH BEFORE 1-Foo-2000", "a SEARCH BEFORE 32-Jan-2000",
        "a SEARCH BEFORE 1-Jan-00", "a SEARCH BEFORE 001-Jan-2000", "a SEARCH ON 30-Feb-2001",
        "a SEARCH ON \"1-Jan-2000", "a SEARCH LARGER", "a SEARCH LARGER -1", "a SEARCH SMALLER x",
        "a SEARCH MODSEQ", "a SEARCH MODSEQ \"/flags/x\" 5", "a SEARCH MODSEQ \"/x\" all 5",
        "a SEARCH MODSEQ \"/flags/x\" some 5", "a SEARCH RETURN (MIN)", "a SEARCH RETURN (FOO) ALL",
        "a SEARCH RETURN MIN ALL", "a SEARCH CHARSET", "a SEARCH CHARSET UTF-8", "a SEARCH ALL CHARSET UTF-8",
        "a SEARCH CHARSET UTF-8 RETURN (MIN) ALL", "a UID SEARCH", "a SEARCH TEXT {3}",
    })
    void syntaxErrors(String line) {
        ImapSyntaxException e = assertThrows(ImapSyntaxException.class, () -> parse(line));
        assertEquals(ImapSyntaxException.class, e.getClass(), line);
    }

    @Test
    void bounds() throws Exception {
        String many = "a SEARCH " + "ALL ".repeat(ImapCommandParser.MAX_SEARCH_KEYS - 1) + "ALL";
        assertEquals(ImapCommandParser.MAX_SEARCH_KEYS, ((And) search(many).key()).keys().size());
        assertThrows(ImapSyntaxException.class, () -> parse(many + " ALL"));

        int depth = ImapCommandParser.MAX_SEARCH_NESTING;
        String ors = "a SEARCH " + "OR SEEN ".repeat(depth) + "ALL";
        SearchKey k = ((And) search(ors).key()).keys().get(0);
        for (int i = 0; i < depth; i++) {
            k = ((Or) k).right();
        }
        assertEquals(new SearchKey.All(), k);
        assertThrows(ImapSyntaxException.class, () -> parse("a SEARCH " + "OR SEEN ".repeat(depth + 1) + "ALL"));
        assertThrows(ImapSyntaxException.class, () -> parse("a SEARCH " + "NOT ".repeat(depth + 1) + "ALL"));

        String lists = "(".repeat(ImapReader.MAX_DEPTH) + "ALL" + ")".repeat(ImapReader.MAX_DEPTH);
        search("a SEARCH " + lists);
        assertThrows(ImapSyntaxException.class, () -> parse("a SEARCH (" + lists + ")"));
    }
}
