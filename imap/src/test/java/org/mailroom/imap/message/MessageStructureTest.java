package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.imap.message.Mail.crlf;
import static org.mailroom.imap.message.Mail.lf;
import static org.mailroom.imap.message.Mail.s;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageStructureTest {

    /** Parses both stored forms, checks they agree, returns the LF one. */
    static MessageStructure both(String text) {
        MessageStructure a = MessageStructure.parse(lf(text));
        MessageStructure b = MessageStructure.parse(crlf(text));
        assertEquals(s(b.bodyStructure()), s(a.bodyStructure()));
        assertEquals(s(b.body()), s(a.body()));
        assertEquals(s(b.envelopeImap()), s(a.envelopeImap()));
        assertEquals(b.size(), a.size());
        assertEquals(crlf(text).length, a.size());
        assertEquals(lf(text).length, a.storedSize());
        return a;
    }

    @Test
    void rfc3501Section742MultipartExample() {
        // RFC 3501 7.4.2 (BODYSTRUCTURE): "a two part message consisting of a text and a
        // BASE64-encoded text attachment can have a body structure of" the value below.
        String msg = "Subject: diff\n"
                + "Content-Type: MULTIPART/MIXED; BOUNDARY=\"x\"\n\n"
                + "--x\n"
                + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\n"
                + "Content-Transfer-Encoding: 7BIT\n\n"
                + Mail.body(1152, 23, 'a') + "\n"
                + "--x\n"
                + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\n"
                + "Content-ID: <960723163407.20117h@cac.washington.edu>\n"
                + "Content-Description: Compiler diff\n"
                + "Content-Transfer-Encoding: BASE64\n\n"
                + Mail.body(4554, 73, 'Q') + "\n"
                + "--x--\n";
        MessageStructure m = both(msg);
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)"
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\")"
                + " \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\")",
                s(m.body()));
        assertEquals("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23 NIL NIL NIL NIL)"
                + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\")"
                + " \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73"
                + " NIL NIL NIL NIL) \"MIXED\" (\"BOUNDARY\" \"x\") NIL NIL NIL)",
                s(m.bodyStructure()));
    }

    /** The RFC 3501 section 8 / RFC 9051 section 8 sample FETCH response, octet for octet. */
    static String rfcSampleMessage() {
        String head = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\n"
                + "From: Terry Gray <gray@cac.washington.edu>\n"
                + "Subject: IMAP4rev1 WG mtg summary and minutes\n"
                + "To: imap@cac.washington.edu\n"
                + "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\n"
                + "Message-Id: <B27397-0100000@cac.washington.edu>\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\n"
                + "Content-Transfer-Encoding: 7BIT\n";
        int headerOctets = 4286 - 3028; // RFC822.SIZE minus the body's size, CRLF view
        int have = crlf(head).length + 2;
        String pad = "X-Pad: " + "p".repeat(headerOctets - have - "X-Pad: ".length() - 2) + "\n";
        return head + pad + "\n" + Mail.body(3028, 92, 't');
    }

    @Test
    void rfcSampleFetchResponse() {
        MessageStructure m = both(rfcSampleMessage());
        assertEquals(4286, m.size());
        assertEquals("(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\""
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"imap\" \"cac.washington.edu\"))"
                + " ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\"))"
                + " NIL NIL \"<B27397-0100000@cac.washington.edu>\")", s(m.envelopeImap()));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)", s(m.body()));
    }

    @Test
    void defaultsWithoutContentType() {
        // RFC 2045 5.2: text/plain; charset=us-ascii; encoding 7bit (RFC 2045 6.1)
        MessageStructure m = both("Subject: no ct\n\nline1\nline2");
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 12 1 NIL NIL NIL NIL)",
                s(m.bodyStructure()));
        // a header without body at all
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)",
                s(both("Subject: hdronly").body()));
    }

    @Test
    void textWithoutCharsetGetsItLast() {
        MessageStructure m = both("Content-Type: text/plain; format=flowed\nContent-Language: en\n\nx\n");
        assertEquals("(\"text\" \"plain\" (\"format\" \"flowed\" \"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 1"
                + " NIL NIL (\"en\") NIL)", s(m.bodyStructure()));
    }

    @Test
    void allExtensionFieldsOfOnePart() {
        MessageStructure m = both("Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; Name=\"a b\"\n"
                + "Content-Transfer-Encoding: QUOTED-PRINTABLE\nContent-ID: <id1>\nContent-Description: desc\n"
                + "Content-Disposition: attachment; filename=foo.txt\nContent-Language: en, de\n"
                + "Content-Location: http://x/y\nContent-MD5: abc=\n\nbody=\nline\n");
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"Name\" \"a b\") \"<id1>\" \"desc\""
                + " \"QUOTED-PRINTABLE\" 13 2 \"abc=\" (\"attachment\" (\"filename\" \"foo.txt\")) (\"en\" \"de\")"
                + " \"http://x/y\")", s(m.bodyStructure()));
    }

    @Test
    void rfc2231ContinuationsJoined() {
        MessageStructure m = both("Content-Type: image/png; name*0=\"a\"; name*1=\"b\"\n"
                + "Content-Disposition: attachment; filename*=utf-8''a%20b\n\nx\n");
        assertEquals("(\"image\" \"png\" (\"name\" \"ab\") NIL NIL \"7bit\" 3 NIL (\"attachment\""
                + " (\"filename*\" \"utf-8''a%20b\")) NIL NIL)", s(m.bodyStructure()));
    }

    @Test
    void digestDefaultsToMessageRfc822() {
        // RFC 2046 5.1.5
        MessageStructure m = both("Subject: digest\nContent-Type: multipart/digest; boundary=\"d\"\n\n"
                + "--d\n\nSubject: inner\nFrom: i@j\n\ninner body\n--d\nContent-Type: text/plain\n\nplain\n"
                + "--d--\nepilogue\n");
        assertEquals("((\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 39 (NIL \"inner\" ((NIL NIL \"i\" \"j\"))"
                + " ((NIL NIL \"i\" \"j\")) ((NIL NIL \"i\" \"j\")) NIL NIL NIL NIL NIL)"
                + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL) 3"
                + " NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 0"
                + " NIL NIL NIL NIL) \"digest\" (\"boundary\" \"d\") NIL NIL NIL)", s(m.bodyStructure()));
    }

    @Test
    void messageRfc822WithNestedMultipart() {
        MessageStructure m = both("Subject: rfc822\nContent-Type: message/rfc822\n\n"
                + "Subject: nested\nContent-Type: multipart/alternative; boundary=q\n\n"
                + "--q\nContent-Type: text/plain\n\nA\n--q\nContent-Type: text/html\n\n<b>B</b>\n--q--\n");
        assertEquals("(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 153 (NIL \"nested\" NIL NIL NIL NIL NIL NIL NIL"
                + " NIL) ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 1 0)(\"text\" \"html\""
                + " (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 8 0) \"alternative\") 12)", s(m.body()));
        MessagePart part = m.part(new int[] {1});
        assertSame(m.root(), part);
        assertEquals("text/html", m.part(new int[] {1, 2}).type() + "/" + m.part(new int[] {1, 2}).subtype());
        assertNull(m.part(new int[] {1, 3}));
        assertNull(m.part(new int[] {2}));
    }

    @Test
    void unterminatedInnerMultipartEndsAtOuterBoundary() {
        MessageStructure m = both("Subject: unterminated\nContent-Type: multipart/mixed; boundary=o\n\n"
                + "--o\nContent-Type: multipart/mixed; boundary=i\n\n--i\n\ninner1\n--o\n\nouter2\n");
        assertEquals("(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 6 0) \"mixed\")"
                + "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 8 1) \"mixed\")", s(m.body()));
    }

    @Test
    void multipartWithoutBoundaryOrPartsShowsOneEmptyPart() {
        String empty = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL)";
        assertEquals("(" + empty + " \"mixed\" NIL NIL NIL NIL)",
                s(both("Content-Type: multipart/mixed\n\nhello\n").bodyStructure()));
        assertEquals("(" + empty + " \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)",
                s(both("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b--\n")
                        .bodyStructure()));
    }

    @Test
    void encodedMessageRfc822IsNotParsed() {
        MessageStructure m = both("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nAAAA\n");
        assertEquals("(\"message\" \"rfc822\" NIL NIL NIL \"base64\" 6 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"
                + " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) 1)", s(m.body()));
    }

    @Test
    void mixedLineEndsCountAsCrlf() {
        byte[] mixed = "Subject: x\r\nFrom: a@b\n\r\nline1\nline2\r\nline3".getBytes();
        MessageStructure m = MessageStructure.parse(mixed);
        assertEquals(mixed.length + 2, m.size());
        assertEquals(19, m.root().bodySize());
        assertEquals(2, m.root().lines());
    }

    @Test
    void deepNestingBecomesOpaqueWithoutFailing() {
        StringBuilder sb = new StringBuilder();
        int depth = 150;
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        sb.append("\nleaf\n");
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("--\n");
        }
        MessageStructure m = both(sb.toString());
        String bs = s(m.bodyStructure());
        assertTrue(bs.contains("\"application\" \"octet-stream\""), bs);
        int[] path = new int[MessageStructure.MAX_DEPTH];
        java.util.Arrays.fill(path, 1);
        assertEquals(MessagePart.Kind.BASIC, m.part(path).kind());

        StringBuilder msgs = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            msgs.append("Subject: level ").append(i).append("\nContent-Type: message/rfc822\n\n");
        }
        msgs.append("\nend\n");
        assertTrue(s(both(msgs.toString()).body()).contains("\"application\" \"octet-stream\""));
    }

    @Test
    void partCountIsBounded() {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < MessageStructure.MAX_PARTS + 500; i++) {
            sb.append("--b\n\n").append(i).append('\n');
        }
        sb.append("--b--\n");
        MessageStructure m = MessageStructure.parse(lf(sb.toString()));
        assertTrue(m.root().children().size() < MessageStructure.MAX_PARTS);
        MessagePart last = m.root().children().get(m.root().children().size() - 1);
        assertEquals(m.size(), m.root().endOffset());
        assertTrue(last.endOffset() < m.size());
    }

    @Test
    void hugeHeaderLineAndBinaryJunkDoNotFail() {
        String longLine = "X-Long: " + "y".repeat(300_000) + "\n";
        MessageStructure m = both("Subject: s\n" + longLine + "Content-Type: text/plain\n\n\u0000\u00ff\r x\n");
        assertEquals("s", m.envelope().subject());
        byte[] junk = new byte[200_000];
        new java.util.Random(1).nextBytes(junk);
        MessageStructure j = MessageStructure.parse(junk);
        assertEquals(junk.length + count(junk), j.size());
    }

    private static int count(byte[] b) {
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                n++;
            }
        }
        return n;
    }

    @Test
    void partNumbersOfANonMultipartMessage() {
        MessageStructure m = both("Subject: x\n\nbody\n");
        assertSame(m.root(), m.part(new int[] {1}));
        assertNull(m.part(new int[] {2}));
        assertNull(m.part(new int[] {1, 1}));
        assertNull(m.part(new int[] {0}));
        assertEquals(List.of(), m.root().children());
    }
}
