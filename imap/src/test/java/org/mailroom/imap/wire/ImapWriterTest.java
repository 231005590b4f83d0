package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.ImapWriter.Status;

/** Byte-exact responses (RFC 9051 7 examples where there are some). */
class ImapWriterTest {

    private static String write(Consumer<ImapWriter> body) {
        ByteBuf buf = Unpooled.buffer(4);
        try {
            body.accept(new ImapWriter(buf));
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void statusLines() {
        // RFC 9051 7.1 and 6.3.2 examples.
        assertEquals("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
                write(w -> w.status(null, Status.OK, "UIDVALIDITY 3857529045", "UIDs valid")));
        assertEquals("A142 OK [READ-WRITE] SELECT completed\r\n",
                write(w -> w.status("A142", Status.OK, "READ-WRITE", "SELECT completed")));
        assertEquals("* BYE Autologout; idle for too long\r\n",
                write(w -> w.status(null, Status.BYE, null, "Autologout; idle for too long")));
        assertEquals("a NO [BADCHARSET (UTF-8 US-ASCII)] charset\r\n",
                write(w -> w.status("a", Status.NO, "BADCHARSET (UTF-8 US-ASCII)", "charset")));
        assertEquals("* PREAUTH x\r\n", write(w -> w.status(null, Status.PREAUTH, null, "x")));
        // A CR or LF in the text would start another response.
        assertEquals("a BAD bad  * OK x\r\n", write(w -> w.status("a", Status.BAD, null, "bad\r\n* OK x")));
        // A code built from tokens, without allocating a String.
        assertEquals("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n",
                write(w -> w.untagged().atom("OK").beginCode().atom("HIGHESTMODSEQ").number(715194045007L)
                        .endCode().text("Highest").crlf()));
        assertEquals("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n",
                write(w -> w.untagged().atom("OK").beginCode().atom("PERMANENTFLAGS")
                        .flags(List.of("\\Deleted", "\\Seen", "\\*")).endCode().text("Limited").crlf()));
    }

    @Test
    void continuation() {
        assertEquals("+ Ready for literal data\r\n", write(w -> w.continuation("Ready for literal data")));
        assertEquals("+ \r\n", write(w -> w.continuation("")));
    }

    @Test
    void fetchLine() {
        // RFC 9051 7.5.2 style.
        assertEquals("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286"
                        + " UID 7 BODY[HEADER.FIELDS (DATE)]<0> {5}\r\nhello MODSEQ (1))\r\n",
                write(w -> w.untagged().number(12).atom("FETCH").open()
                        .atom("FLAGS").flags(List.of("\\Seen"))
                        .atom("INTERNALDATE").string("17-Jul-1996 02:44:25 -0700")
                        .atom(FetchItem.Simple.RFC822_SIZE.wire()).number(4286)
                        .atom("UID").number(7)
                        .atom("BODY").raw('[').raw("HEADER.FIELDS (DATE)").raw("]<").rawNumber(0).raw('>')
                        .literal("hello".getBytes(StandardCharsets.US_ASCII))
                        .atom("MODSEQ").open().number(1).close()
                        .close().crlf()));
        assertEquals("* 1 FETCH (FLAGS ())\r\n",
                write(w -> w.untagged().number(1).atom("FETCH").open().atom("FLAGS").flags(List.of()).close().crlf()));
    }

    @Test
    void numbers() {
        assertEquals("0 9 10 4294967295 9223372036854775807",
                write(w -> w.number(0).number(9).number(10).number(4294967295L).number(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> write(w -> w.number(-1)));
    }

    @Test
    void strings() {
        assertEquals("\"abc\" \"\" \"a\\\"b\\\\c\" NIL \"NIL\"",
                write(w -> w.string("abc").string("").string("a\"b\\c").nstring(null).nstring("NIL")));
        assertEquals("{4}\r\na\r\nb", write(w -> w.string("a\r\nb")));
        assertEquals("{7}\r\nGrüße", write(w -> w.string("Grüße")));
        assertEquals("\"Grüße\"", write(w -> w.string("Grüße", true)));
        assertEquals("{1}\r\n\u007f", write(w -> w.string("\u007f", true)));
        String longValue = "x".repeat(ImapStrings.MAX_QUOTED + 1);
        assertEquals("{" + longValue.length() + "}\r\n" + longValue, write(w -> w.string(longValue)));
        assertEquals("fred \"a b\" \"nil\" \"\" x]", write(w -> w.astring("fred").astring("a b").astring("nil")
                .astring("").astring("x]")));
    }

    @Test
    void mailboxes() {
        // RFC 3501 5.1.3 example: modified UTF-7 unless UTF8=ACCEPT (RFC 6855 3).
        assertEquals("~peter/mail/&U,BTFw-/&ZeVnLIqe-",
                write(w -> w.mailbox("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", false)));
        assertEquals("\"~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e\"",
                write(w -> w.mailbox("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", true)));
        assertEquals("INBOX INBOX Sent \"Sent Items\" \"a%\" A&-B A&B",
                write(w -> w.mailbox("inbox", false).mailbox("INBOX", true).mailbox("Sent", false)
                        .mailbox("Sent Items", false).mailbox("a%", true).mailbox("A&B", false).mailbox("A&B", true)));
        assertEquals("Entw&APw-rfe", write(w -> w.mailbox("Entw\u00fcrfe", false)));
        assertEquals("\"NIL\"", write(w -> w.mailbox("NIL", false)));
    }

    @Test
    void literals() {
        ByteBuf content = Unpooled.copiedBuffer("a\u0000b", StandardCharsets.ISO_8859_1);
        try {
            assertEquals("BINARY[1] ~{3}\r\na\u0000b BODY[] {3}\r\na\u0000b",
                    write(w -> w.atom("BINARY").raw("[1]").literal8(content).atom("BODY").raw("[]").literal(content)));
            assertEquals(3, content.readableBytes());
        } finally {
            content.release();
        }
        assertEquals("BODY[] {10000}\r\n", write(w -> w.atom("BODY").raw("[]").literalPrefix(10_000, false)));
        assertEquals("(~{0}\r\n)", write(w -> w.open().literalPrefix(0, true).close()));
    }

    @Test
    void listsAndSpacing() {
        assertEquals("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n",
                write(w -> w.untagged().atom("LIST").flags(List.of("\\HasNoChildren", "\\Sent")).string("/")
                        .mailbox("Sent", false).crlf()));
        assertEquals("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
                write(w -> w.untagged().atom("STATUS").mailbox("blurdybloop", false).open().atom("MESSAGES")
                        .number(231).atom("UIDNEXT").number(44292).close().crlf()));
        assertEquals("* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n",
                write(w -> w.untagged().atom("ESEARCH").open().atom("TAG").string("A282").close().atom("MIN")
                        .number(2).atom("COUNT").number(3).crlf()));
        assertEquals("(() (NIL))", write(w -> w.open().open().close().open().nil().close().close()));
        SequenceSet set = SequenceSet.of(1, 3);
        assertEquals("* 1:3 x\r\n* y\r\n",
                write(w -> w.untagged().sequenceSet(set).atom("x").crlf().untagged().atom("y").crlf()));
    }
}
