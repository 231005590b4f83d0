package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.imap.message.Mail.crlf;
import static org.mailroom.imap.message.Mail.lf;
import static org.mailroom.imap.message.Mail.s;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    static String env(String header) {
        String a = s(Envelope.parse(lf(header)).toImap());
        assertEquals(s(Envelope.parse(crlf(header)).toImap()), a);
        // the header-only path and the full parse agree
        assertEquals(s(MessageStructure.parse(lf(header)).envelopeImap()), a);
        return a;
    }

    @Test
    void addressForms() {
        // values compared with Dovecot 2.3 for the same header
        String from = "((\"Doe, John\" NIL \"john\" \"ex.com\")(\"Mary\" NIL \"mary\" \"x\")"
                + "(\"Bob B\" NIL \"bob\" \"y\")(NIL NIL \"a b\" \"c\")(NIL NIL \"foo\" \"MISSING_DOMAIN\")"
                + "(NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\"))";
        assertEquals("(NIL NIL " + from + " " + from + " " + from + " NIL NIL NIL NIL NIL)",
                env("From: \"Doe, John\" <john@ex.com>, Mary (comment) <mary@x>, bob@y (Bob B), \"a b\"@c,"
                        + " foo, <>\n\n"));
    }

    @Test
    void groupsRoutesAndLiterals() {
        // RFC 9051 7.5.2: group start (NIL NIL "name" NIL), end (NIL NIL NIL NIL)
        assertEquals("(NIL NIL ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)) ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL))"
                + " ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)) ((NIL NIL \"undisclosed-recipients\" NIL)"
                + "(NIL NIL NIL NIL)(NIL NIL \"grp\" NIL)(NIL NIL \"a\" \"b\")(NIL NIL \"c\" \"d\")(NIL NIL NIL NIL))"
                + " ((\"Some One\" \"@route1,@route2\" \"user\" \"host\")) ((NIL NIL \"user\" \"[1.2.3.4]\")) NIL NIL)",
                env("From: group: ;\nTo: undisclosed-recipients:;, grp: a@b, c@d;\n"
                        + "Cc: Some One <@route1,@route2:user@host>\nBcc: user@[1.2.3.4]\n\n"));
    }

    @Test
    void senderAndReplyToDefaultToFrom() {
        // RFC 9051 7.5.2: absent or empty Sender / Reply-To take the From value
        assertEquals("(NIL NIL ((NIL NIL \"f\" \"x\")) ((NIL NIL \"s\" \"x\")) ((NIL NIL \"f\" \"x\")) NIL NIL NIL NIL NIL)",
                env("From: f@x\nSender: s@x\nReply-To: \n\nbody"));
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", env("X-Nothing: 1\n\n"));
        assertEquals("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", env("Cc:\n\n"));
    }

    @Test
    void rawValuesFoldedTabsAndLiterals() {
        String e = env("Subject: =?utf-8?q?J=C3=B6rg?=\n\tnext\tline\nMessage-ID:   <x@y>  \n"
                + "In-Reply-To: <a@b>\n <c@d>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n");
        assertEquals("(\"Mon, 1 Jan 2024 00:00:00 +0000\" {31}\r\n=?utf-8?q?J=C3=B6rg?= next line NIL NIL NIL NIL"
                + " NIL NIL \"<a@b> <c@d>\" \"<x@y>  \")", e);
        // quotes, backslashes and 8-bit octets go out as literals of the raw octets
        assertEquals("(NIL {9}\r\na \"q\" b\\c NIL NIL NIL NIL NIL NIL NIL NIL)", env("Subject: a \"q\" b\\c\n\n"));
        assertEquals("(NIL {7}\r\n8bit \u00c3\u00a4 (({5}\r\nJ\u00c3\u00b6rg NIL \"j\" \"x\")) (({5}\r\nJ\u00c3\u00b6rg NIL"
                + " \"j\" \"x\")) (({5}\r\nJ\u00c3\u00b6rg NIL \"j\" \"x\")) NIL NIL NIL NIL NIL)",
                env("Subject: 8bit \u00c3\u00a4\nFrom: J\u00c3\u00b6rg <j@x>\n\nb\n"));
    }

    @Test
    void stringFormsFollowDovecot() {
        // subject and names "for humans": white space runs become one SP, ends trimmed, then a literal
        assertEquals("(NIL {9}\r\nlong long NIL NIL NIL NIL NIL NIL NIL NIL)", env("Subject: long\n  long \n\n"));
        assertEquals("(NIL \"plain\" NIL NIL NIL NIL NIL NIL NIL NIL)",
                env("Subject: plain\n\n"));
        // a fold inside a quoted display name is unfolded by the address parser: quoted again
        assertEquals("(NIL NIL ((\"Carol, C.\" NIL \"c\" \"x\")) ((\"Carol, C.\" NIL \"c\" \"x\"))"
                + " ((\"Carol, C.\" NIL \"c\" \"x\")) NIL NIL NIL NIL NIL)", env("From: \"Carol,\n C.\" <c@x>\n\n"));
        // other strings: folds removed, quotes escaped up to four, then a literal
        MessageStructure m = MessageStructure.parse(lf("Content-Type: text/plain\n"
                + "Content-Description: desc \"quoted\" 0\nContent-ID: <a\"\"\"\"\"b>\n\nx"));
        assertEquals("(\"text\" \"plain\" (\"charset\" \"us-ascii\") {9}\r\n<a\"\"\"\"\"b> \"desc \\\"quoted\\\" 0\""
                + " \"7bit\" 1 0)", s(m.body()));
    }

    @Test
    void firstInstanceWins() {
        assertEquals("(NIL \"one\" NIL NIL NIL NIL NIL NIL NIL NIL)", env("Subject: one\nSubject: two\n\n"));
    }

    @Test
    void headerOnlyParseStopsAtTheEmptyLine() throws IOException {
        byte[] header = lf("Subject: big one\nFrom: a@b\n\n");
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    long p = served[0]++;
                    b[off + n++] = p < header.length ? header[(int) p] : (byte) 'x';
                }
                return n;
            }
        };
        Envelope e = Envelope.parse(endless);
        assertEquals("big one", e.subject());
        assertTrue(served[0] <= 8192, "read " + served[0] + " octets for a " + header.length + "-octet header");
    }

    @Test
    void cacheFormRoundTripAndCorruption() throws StructureFormatException {
        Envelope e = Envelope.parse(lf("Subject: s\nFrom: A <a@b>\nTo: c@d\nMessage-ID: <m@x>\n\n"));
        Envelope back = Envelope.fromBytes(e.toBytes());
        assertEquals(e, back);
        assertEquals(s(e.toImap()), s(back.toImap()));
        byte[] bytes = e.toBytes();
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, n);
            assertThrows(StructureFormatException.class, () -> Envelope.fromBytes(cut));
        }
        bytes[0] = 99;
        byte[] wrongVersion = bytes;
        assertThrows(StructureFormatException.class, () -> Envelope.fromBytes(wrongVersion));
    }

    @Test
    void parseKeepingGivesTheSameEnvelopeAndEveryInstanceOfTheSearchFields() throws IOException {
        String msg = "Received: x\nSubject: first\n  folded\nFrom: a@b.example\nX-Other: no\nsubject: second\n"
                + "Date: Mon, 7 Feb 1994 21:52:25 -0800\nMessage-ID: <1@x>\n\nSubject: in the body\n";
        for (byte[] stored : new byte[][] {lf(msg), crlf(msg)}) {
            Envelope.WithFields w = Envelope.parseKeeping(new java.io.ByteArrayInputStream(stored));
            assertEquals(s(Envelope.parse(stored).toImap()), s(w.envelope().toImap()));
            assertEquals("Subject: first\r\n  folded\r\nFrom: a@b.example\r\nsubject: second\r\n"
                    + "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\n", s(w.searchFields()));
        }
        // a message that is all header, and one with an empty header
        assertEquals("Subject: x\r\n\r\n", s(Envelope.parseKeeping(new java.io.ByteArrayInputStream(lf("Subject: x\n"))).searchFields()));
        assertEquals("\r\n", s(Envelope.parseKeeping(new java.io.ByteArrayInputStream(lf("\nSubject: body\n"))).searchFields()));
    }

    @Test
    void aHeaderTooLongToKeepStillGivesItsEnvelope() throws IOException {
        String msg = "Subject: s\n" + "X-Long: " + "y".repeat(Envelope.MAX_KEPT_HEADER) + "\nFrom: late@x.example\n\nbody\n";
        Envelope.WithFields w = Envelope.parseKeeping(new java.io.ByteArrayInputStream(lf(msg)));
        assertEquals(null, w.searchFields());
        assertEquals(s(Envelope.parse(lf(msg)).toImap()), s(w.envelope().toImap()));
        assertTrue(s(w.envelope().toImap()).contains("late"));
    }
}
