package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mailroom.imap.wire.Wire.parse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.imap.wire.FetchItem.Simple;

/** FETCH, STORE, COPY, MOVE, EXPUNGE and their UID forms. */
class MessageCommandsTest {

    private static SequenceSet set(String s) throws ImapSyntaxException {
        return SequenceSet.parse(s);
    }

    private static Command.Fetch fetch(String wire) throws ImapSyntaxException {
        return (Command.Fetch) parse(wire);
    }

    private static FetchItem.Body body(int[] part, Section.Kind kind, List<String> fields, boolean peek) {
        return new FetchItem.Body(new Section(part, kind, fields), peek, -1, 0);
    }

    @Test
    void fetchRfcExamples() throws Exception {
        // RFC 9051 6.4.5 example.
        assertEquals(new Command.Fetch(false, set("2:4"), List.of(Simple.FLAGS,
                        body(new int[0], Section.Kind.HEADER_FIELDS, List.of("DATE", "FROM"), false)), -1, false),
                parse("A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])"));
        // RFC 9051 6.4.9 example.
        assertEquals(new Command.Fetch(true, set("4827313:4828442"), List.of(Simple.FLAGS), -1, false),
                parse("A999 UID FETCH 4827313:4828442 FLAGS"));
        // RFC 7162 3.1.4.2 and 3.2.6 examples.
        assertEquals(new Command.Fetch(true, set("1:*"), List.of(Simple.FLAGS), 12345, false),
                parse("s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)"));
        assertEquals(new Command.Fetch(true, set("300:500"), List.of(Simple.FLAGS), 12345, true),
                parse("s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)"));
        assertEquals(new Command.Fetch(false, set("1"), List.of(Simple.MODSEQ), -1, false),
                parse("a FETCH 1 (MODSEQ)"));
        // RFC 3501 6.4.5 example.
        assertEquals(new Command.Fetch(false, set("2"), List.of(Simple.RFC822_HEADER, Simple.RFC822_TEXT,
                        Simple.RFC822, Simple.RFC822_SIZE), -1, false),
                parse("A FETCH 2 (RFC822.HEADER rfc822.text RFC822 RFC822.SIZE)"));
    }

    @Test
    void macros() throws Exception {
        assertEquals(List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.ENVELOPE),
                fetch("a FETCH 1 ALL").items());
        assertEquals(List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE), fetch("a FETCH 1 fast").items());
        assertEquals(List.of(Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.ENVELOPE, Simple.BODY),
                fetch("a FETCH 12 FULL").items());
        assertEquals(List.of(Simple.UID), fetch("a UID FETCH 1 UID").items());
        assertThrows(ImapSyntaxException.class, () -> parse("a FETCH 1 (ALL)"));
        assertThrows(ImapSyntaxException.class, () -> parse("a FETCH 1 (FAST FLAGS)"));
    }

    @Test
    void everyItem() throws Exception {
        Command.Fetch f = fetch("a FETCH 1:* (ENVELOPE FLAGS INTERNALDATE RFC822.SIZE BODY BODYSTRUCTURE UID MODSEQ"
                + " RFC822 RFC822.HEADER RFC822.TEXT)");
        assertEquals(List.of(Simple.ENVELOPE, Simple.FLAGS, Simple.INTERNALDATE, Simple.RFC822_SIZE, Simple.BODY,
                Simple.BODYSTRUCTURE, Simple.UID, Simple.MODSEQ, Simple.RFC822, Simple.RFC822_HEADER,
                Simple.RFC822_TEXT), f.items());
        assertEquals(List.of(new FetchItem.Body(Section.WHOLE, false, -1, 0)), fetch("a FETCH 1 BODY[]").items());
        assertEquals(List.of(new FetchItem.Body(Section.WHOLE, true, 0, 1024)),
                fetch("a FETCH 1 BODY.PEEK[]<0.1024>").items());
        assertEquals(List.of(body(new int[0], Section.Kind.HEADER, List.of(), false)),
                fetch("a FETCH 1 BODY[HEADER]").items());
        assertEquals(List.of(body(new int[0], Section.Kind.TEXT, List.of(), true)),
                fetch("a FETCH 1 body.peek[text]").items());
        assertEquals(List.of(body(new int[] {1, 2}, Section.Kind.NONE, List.of(), false)),
                fetch("a FETCH 1 BODY[1.2]").items());
        assertEquals(List.of(body(new int[] {4, 2, 2}, Section.Kind.MIME, List.of(), false)),
                fetch("a FETCH 1 BODY[4.2.2.MIME]").items());
        assertEquals(List.of(body(new int[] {3}, Section.Kind.HEADER, List.of(), false)),
                fetch("a FETCH 1 BODY[3.HEADER]").items());
        assertEquals(List.of(body(new int[] {3}, Section.Kind.TEXT, List.of(), false)),
                fetch("a FETCH 1 BODY[3.TEXT]").items());
        assertEquals(List.of(body(new int[0], Section.Kind.HEADER_FIELDS_NOT, List.of("Received", "x y"), true)),
                fetch("a FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Received \"x y\")]").items());
        assertEquals(List.of(body(new int[] {2}, Section.Kind.HEADER_FIELDS, List.of("Subject", "From"), false)),
                fetch("a FETCH 1 (BODY[2.HEADER.FIELDS ({7}\r\nSubject From)])").items());
        FetchItem.Body partial = (FetchItem.Body) fetch("a FETCH 1 BODY[TEXT]<500.9223372036854775807>").items().get(0);
        assertEquals(500, partial.partialStart());
        assertEquals(Long.MAX_VALUE, partial.partialCount());

        // RFC 3516 / RFC 9051 BINARY items.
        List<FetchItem> bin = fetch("a FETCH 1 (BINARY[1]<0.100> BINARY.PEEK[1.2] BINARY.SIZE[1] BINARY[])").items();
        FetchItem.Binary b0 = (FetchItem.Binary) bin.get(0);
        assertArrayEquals(new int[] {1}, b0.part());
        assertEquals(false, b0.peek());
        assertEquals(0, b0.partialStart());
        assertEquals(100, b0.partialCount());
        FetchItem.Binary b1 = (FetchItem.Binary) bin.get(1);
        assertArrayEquals(new int[] {1, 2}, b1.part());
        assertEquals(true, b1.peek());
        assertEquals(-1, b1.partialStart());
        assertArrayEquals(new int[] {1}, ((FetchItem.BinarySize) bin.get(2)).part());
        assertArrayEquals(new int[0], ((FetchItem.Binary) bin.get(3)).part());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a FETCH", "a FETCH 1", "a FETCH 1 ", "a FETCH 1 FOO", "a FETCH 1 ()", "a FETCH 1 (FLAGS", "a FETCH 1 FLAGS)",
        "a FETCH 1 (FLAGS )", "a FETCH x FLAGS", "a FETCH 0 FLAGS", "a FETCH 1:2: FLAGS", "a FETCH 1 BODY[",
        "a FETCH 1 BODY[FOO]", "a FETCH 1 BODY[MIME]", "a FETCH 1 BODY[0]", "a FETCH 1 BODY[1.]",
        "a FETCH 1 BODY[HEADER.FIELDS]", "a FETCH 1 BODY[HEADER.FIELDS ()]", "a FETCH 1 BODY[HEADER.FIELDS (a]",
        "a FETCH 1 BODY[]<0>", "a FETCH 1 BODY[]<0.0>", "a FETCH 1 BODY[]<.5>", "a FETCH 1 BODY[]<1.2",
        "a FETCH 1 BODY.PEEK", "a FETCH 1 BINARY", "a FETCH 1 BINARY[TEXT]", "a FETCH 1 BINARY.SIZE[1]<0.1>",
        "a FETCH 1 BINARY[1.MIME]", "a FETCH 1 BODY[1.2.]", "a FETCH 1 FLAGS (CHANGEDSINCE)",
        "a FETCH 1 FLAGS (CHANGEDSINCE 0)", "a FETCH 1 FLAGS (FOO)", "a FETCH 1 FLAGS ()",
        "a FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)", "a UID FETCH 1 FLAGS (VANISHED)",
        "a UID FETCH 1 FLAGS (CHANGEDSINCE 1 CHANGEDSINCE 2)", "a FETCH 1 FLAGS (CHANGEDSINCE 1) x",
        "a FETCH 1 BODY[1.4294967296]", "a FETCH 1 RFC822.FOO", "a UID", "a UID FOO 1", "a UID NOOP",
    })
    void fetchErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void fetchBounds() throws Exception {
        String ok = "a FETCH 1 (" + "UID ".repeat(ImapCommandParser.MAX_FETCH_ITEMS - 1) + "UID)";
        assertEquals(ImapCommandParser.MAX_FETCH_ITEMS, fetch(ok).items().size());
        assertThrows(ImapSyntaxException.class,
                () -> parse("a FETCH 1 (" + "UID ".repeat(ImapCommandParser.MAX_FETCH_ITEMS) + "UID)"));
    }

    @Test
    void store() throws Exception {
        // RFC 9051 6.4.6 example.
        assertEquals(new Command.Store(false, set("2:4"), -1, Command.StoreMode.ADD, false, List.of("\\Deleted")),
                parse("A003 STORE 2:4 +FLAGS (\\Deleted)"));
        // RFC 7162 3.1.3 examples.
        assertEquals(new Command.Store(true, set("4,6,8"), 12121230045L, Command.StoreMode.ADD, true,
                        List.of("\\Deleted")),
                parse("a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)"));
        assertEquals(new Command.Store(false, set("5,7,9"), 320162338L, Command.StoreMode.ADD, true,
                        List.of("\\Deleted")),
                parse("d105 STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)"));
        assertEquals(new Command.Store(false, set("1"), 0, Command.StoreMode.REPLACE, false, List.of()),
                parse("a STORE 1 (unchangedsince 0) FLAGS ()"));
        assertEquals(new Command.Store(false, set("1:*"), -1, Command.StoreMode.REMOVE, true,
                        List.of("\\Seen", "$Junk", "foo")),
                parse("a STORE 1:* -flags.silent \\Seen $Junk foo"));
        assertEquals(new Command.Store(true, set("$"), -1, Command.StoreMode.REPLACE, false, List.of("\\Flagged")),
                parse("a UID STORE $ FLAGS \\Flagged"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a STORE", "a STORE 1", "a STORE 1 FLAGS", "a STORE 1 FLAGS ", "a STORE 1 +FLAGS (\\Seen",
        "a STORE 1 *FLAGS (\\Seen)", "a STORE 1 FLAG (\\Seen)", "a STORE 1 +FLAGS.LOUD (\\Seen)",
        "a STORE 1 (UNCHANGEDSINCE) FLAGS ()", "a STORE 1 (FOO 1) FLAGS ()", "a STORE 1 FLAGS \\Seen ",
        "a STORE 1 FLAGS (\\)", "a STORE 1 FLAGS ((\\Seen))", "a STORE 1 FLAGS (\"x\")", "a STORE 1 +FLAGS\\Seen",
        "a STORE 1 (UNCHANGEDSINCE 5)FLAGS ()",
    })
    void storeErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void storeFlagBound() throws Exception {
        String ok = "a STORE 1 FLAGS (" + "x ".repeat(ImapCommandParser.MAX_FLAGS - 1) + "x)";
        assertEquals(ImapCommandParser.MAX_FLAGS, ((Command.Store) parse(ok)).flags().size());
        assertThrows(ImapSyntaxException.class,
                () -> parse("a STORE 1 FLAGS (" + "x ".repeat(ImapCommandParser.MAX_FLAGS) + "x)"));
        assertThrows(ImapSyntaxException.class,
                () -> parse("a STORE 1 FLAGS " + "x ".repeat(ImapCommandParser.MAX_FLAGS) + "x"));
    }

    @Test
    void copyMoveExpunge() throws Exception {
        // RFC 9051 6.4.7, 6.4.8, 6.4.3, 6.4.9 examples.
        assertEquals(new Command.Copy(false, set("2:4"), "MEETING"), parse("A003 COPY 2:4 MEETING"));
        assertEquals(new Command.Move(false, set("2:4"), "MEETING"), parse("a MOVE 2:4 MEETING"));
        assertEquals(new Command.Move(true, set("42:69"), "foo"), parse("a UID MOVE 42:69 foo"));
        assertEquals(new Command.Copy(true, set("1:*"), "a b"), parse("a uid copy 1:* \"a b\""));
        assertEquals(new Command.Expunge(null), parse("A202 EXPUNGE"));
        // RFC 4315 2.1 example.
        assertEquals(new Command.Expunge(set("3000:3002")), parse("A003 UID EXPUNGE 3000:3002"));
        assertThrows(ImapSyntaxException.class, () -> parse("a COPY 1"));
        assertThrows(ImapSyntaxException.class, () -> parse("a COPY x y"));
        assertThrows(ImapSyntaxException.class, () -> parse("a MOVE 1 y z"));
        assertThrows(ImapSyntaxException.class, () -> parse("a EXPUNGE 1"));
        assertThrows(ImapSyntaxException.class, () -> parse("a UID EXPUNGE"));
        assertThrows(ImapSyntaxException.class, () -> parse("a UID EXPUNGE 1:"));
    }
}
