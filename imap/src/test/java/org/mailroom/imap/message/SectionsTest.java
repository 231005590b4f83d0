package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.imap.message.Mail.crlf;
import static org.mailroom.imap.message.Mail.lf;
import static org.mailroom.imap.message.Mail.s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.imap.wire.Section;

class SectionsTest {

    static final String NESTED = "From: a@b\nSubject: outer\nContent-Type: multipart/mixed; boundary=b\n\n"
            + "preamble\n--b\nContent-Type: message/rfc822\n\nFrom: x@y\nSubject: inner\n\nbody\n"
            + "--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29y\nbGQ=\n"
            + "--b\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nsoft=\n break=3D\n"
            + "--b\nContent-Type: application/x-thing\nContent-Transfer-Encoding: x-uuencode\n\nbegin\n"
            + "--b--\nepilogue\n";

    static Section sec(String kind, List<String> fields, int... part) {
        return new Section(part, Section.Kind.valueOf(kind), fields);
    }

    static Section sec(String kind, int... part) {
        return sec(kind, List.of(), part);
    }

    /** The section from the LF and the CRLF stored form; both must agree. */
    static String get(String text, Section section) throws IOException {
        byte[] a = body(lf(text), section);
        byte[] b = body(crlf(text), section);
        assertEquals(s(b), s(a), "LF and CRLF stored forms differ for " + section);
        return s(a);
    }

    static byte[] body(byte[] stored, Section section) throws IOException {
        MessageStructure m = MessageStructure.parse(stored);
        SectionContent c = Sections.body(m, MessageSource.of(stored), section);
        byte[] out = c.toByteArray();
        assertEquals(c.size(), out.length);
        return out;
    }

    @Test
    void wholeHeaderAndText() throws IOException {
        String msg = "Subject: x\nFrom: a@b\n\nline1\nline2\n";
        assertEquals(s(crlf(msg)), get(msg, Section.WHOLE));
        assertEquals("Subject: x\r\nFrom: a@b\r\n\r\n", get(msg, sec("HEADER")));
        assertEquals("line1\r\nline2\r\n", get(msg, sec("TEXT")));
    }

    @Test
    void nonMultipartPartOneIsTheBody() throws IOException {
        // RFC 9051 6.4.5: every message has a part 1; its MIME header is the message header
        String msg = "Subject: no ct\n\nline1\nline2";
        assertEquals("line1\r\nline2", get(msg, sec("NONE", 1)));
        assertEquals("Subject: no ct\r\n\r\n", get(msg, sec("MIME", 1)));
        assertEquals("", get(msg, sec("HEADER", 1)));
        assertEquals("", get(msg, sec("NONE", 2)));
        assertEquals("", get(msg, sec("NONE", 1, 1)));
    }

    @Test
    void partsOfANestedMessage() throws IOException {
        assertEquals("From: x@y\r\nSubject: inner\r\n\r\nbody", get(NESTED, sec("NONE", 1)));
        assertEquals("Content-Type: message/rfc822\r\n\r\n", get(NESTED, sec("MIME", 1)));
        assertEquals("From: x@y\r\nSubject: inner\r\n\r\n", get(NESTED, sec("HEADER", 1)));
        assertEquals("body", get(NESTED, sec("TEXT", 1)));
        assertEquals("body", get(NESTED, sec("NONE", 1, 1)));
        assertEquals("From: x@y\r\nSubject: inner\r\n\r\n", get(NESTED, sec("MIME", 1, 1)));
        assertEquals("", get(NESTED, sec("HEADER", 1, 1)));
        assertEquals("", get(NESTED, sec("NONE", 1, 2)));
        assertEquals("Subject: inner\r\n\r\n", get(NESTED, sec("HEADER_FIELDS", List.of("subject"), 1)));
        assertEquals("aGVsbG8gd29y\r\nbGQ=", get(NESTED, sec("NONE", 2)));
        assertEquals("", get(NESTED, sec("TEXT", 2)));
        assertEquals("", get(NESTED, sec("NONE", 9)));
        String text = get(NESTED, sec("TEXT"));
        assertEquals("preamble\r\n--b\r\n", text.substring(0, 15));
        assertEquals("--b--\r\nepilogue\r\n", text.substring(text.length() - 17));
    }

    @Test
    void leafPartIsItsOwnPartOneOnceAndNestedMultipartBodies() throws IOException {
        // answers compared with Dovecot 2.3
        assertEquals("aGVsbG8gd29y\r\nbGQ=", get(NESTED, sec("NONE", 2, 1)));
        assertEquals("", get(NESTED, sec("NONE", 2, 1, 1)));
        String inner = "Content-Type: multipart/mixed; boundary=\"abc\"\n\n--abc\n"
                + "Content-Type: multipart/alternative; boundary=\"zz\"\n\n--zz\n\nA\n--zz--\n%s--abc\n\nB\n--abc--\n";
        // an empty epilogue leaves the close delimiter's CRLF in the nested multipart's body
        assertEquals("--zz\r\n\r\nA\r\n--zz--\r\n", get(String.format(inner, ""), sec("NONE", 1)));
        assertEquals("--zz\r\n\r\nA\r\n--zz--\r\nepi", get(String.format(inner, "epi\n"), sec("NONE", 1)));
        assertEquals("A", get(String.format(inner, ""), sec("NONE", 1, 1)));
        assertEquals("B", get(String.format(inner, ""), sec("NONE", 2)));
    }

    @Test
    void headerFieldsAndNot() throws IOException {
        String msg = "Received: from a\n\tby b\nSubject: hello\n  world\nfrom: A <a@b>\nX-Other: 1\nTo: c@d\n\nbody\n";
        assertEquals("Subject: hello\r\n  world\r\nfrom: A <a@b>\r\n\r\n",
                get(msg, sec("HEADER_FIELDS", List.of("FROM", "Subject", "Nope"))));
        assertEquals("Received: from a\r\n\tby b\r\nX-Other: 1\r\nTo: c@d\r\n\r\n",
                get(msg, sec("HEADER_FIELDS_NOT", List.of("SUBJECT", "from"))));
        assertEquals("\r\n", get(msg, sec("HEADER_FIELDS", List.of("absent"))));
    }

    @Test
    void partials() throws IOException {
        String msg = "Subject: x\n\n0123456789\n";
        byte[] stored = lf(msg);
        MessageStructure m = MessageStructure.parse(stored);
        SectionContent text = Sections.body(m, MessageSource.of(stored), sec("TEXT"));
        assertEquals("234", s(text.partial(2, 3).toByteArray()));
        assertEquals("89\r\n", s(text.partial(8, 100).toByteArray()));
        assertEquals(4, text.partial(8, 100).size());
        // RFC 9051 6.4.5: an origin beyond the end gives the empty string
        assertEquals(0, text.partial(12, 5).size());
        assertEquals("", s(text.partial(50, 5).toByteArray()));
        // the CR inserted for a stored bare LF can be cut between CR and LF
        SectionContent whole = Sections.body(m, MessageSource.of(stored), Section.WHOLE);
        assertEquals("x\r", s(whole.partial(9, 2).toByteArray()));
        assertEquals("\n\r\n0", s(whole.partial(11, 4).toByteArray()));
    }

    /** A source that counts the stored octets read, to show that partials seek. */
    static final class CountingSource implements MessageSource {
        final byte[] stored;
        long read;

        CountingSource(byte[] stored) {
            this.stored = stored;
        }

        @Override
        public java.io.InputStream open() {
            return open(0);
        }

        @Override
        public java.io.InputStream open(long off) {
            return new java.io.ByteArrayInputStream(stored, (int) off, stored.length - (int) off) {
                @Override
                public synchronized int read(byte[] b, int o, int l) {
                    int n = super.read(b, o, l);
                    read += Math.max(n, 0);
                    return n;
                }
            };
        }
    }

    @Test
    void partialsDeepInALargeMessageSeek() throws IOException {
        StringBuilder sb = new StringBuilder("Subject: big\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nsmall\n--b\n"
                + "Content-Type: text/plain\n\n");
        Random rnd = new Random(5);
        while (sb.length() < 6_000_000) {
            sb.append("x".repeat(rnd.nextInt(120))).append('\n');
        }
        sb.append("--b--\n");
        String text = sb.toString();
        for (byte[] stored : new byte[][] {lf(text), crlf(text)}) {
            MessageStructure m = MessageStructure.parse(stored);
            MessageStructure cached = MessageStructure.fromBytes(m.toBytes());
            byte[] view = crlf(text);
            MessagePart two = m.part(new int[] {2});
            for (long off : new long[] {0, 1, 65_535, 65_536, 65_537, 1_000_000, 4_999_999, two.bodySize() - 3}) {
                for (MessageStructure st : new MessageStructure[] {m, cached}) {
                    CountingSource src = new CountingSource(stored);
                    SectionContent part = Sections.body(st, src, sec("NONE", 2)).partial(off, 1000);
                    byte[] got = part.toByteArray();
                    int from = (int) (two.bodyOffset() + off);
                    int to = (int) Math.min(two.endOffset(), from + 1000L);
                    assertEquals(s(java.util.Arrays.copyOfRange(view, from, to)), s(got), "at " + off);
                    assertTrue(src.read < 200_000, "read " + src.read + " stored octets for <" + off + ".1000>");
                }
            }
        }
    }

    @Test
    void binaryDecodesBase64AndQuotedPrintable() throws Exception {
        for (byte[] stored : new byte[][] {lf(NESTED), crlf(NESTED)}) {
            MessageStructure m = MessageStructure.parse(stored);
            MessageSource src = MessageSource.of(stored);
            SectionContent b64 = Sections.binary(m, src, new int[] {2});
            assertEquals("hello world", s(b64.toByteArray()));
            assertEquals(11, b64.size());
            assertEquals("wor", s(b64.partial(6, 3).toByteArray()));
            assertEquals("soft break=", s(Sections.binary(m, src, new int[] {3}).toByteArray()));
            // a message part comes unchanged
            assertEquals("From: x@y\r\nSubject: inner\r\n\r\nbody",
                    s(Sections.binary(m, src, new int[] {1}).toByteArray()));
            assertEquals(0, Sections.binary(m, src, new int[] {7}).size());
            UnknownCteException e = assertThrows(UnknownCteException.class,
                    () -> Sections.binary(m, src, new int[] {4}));
            assertEquals("x-uuencode", e.encoding());
        }
    }

    @Test
    void largeBinaryIsStreamedWithExactSize() throws Exception {
        byte[] raw = new byte[3 * 1024 * 1024];
        new java.util.Random(3).nextBytes(raw);
        String b64 = java.util.Base64.getMimeEncoder().encodeToString(raw);
        byte[] stored = lf("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n");
        MessageStructure m = MessageStructure.parse(stored);
        SectionContent c = Sections.binary(m, MessageSource.of(stored), new int[] {1});
        assertEquals(raw.length, c.size());
        assertArrayEquals(raw, c.toByteArray());
    }

    @Test
    void fileSourceSeeksToStoredOffsets(@TempDir Path dir) throws IOException {
        byte[] stored = lf(NESTED);
        Path f = dir.resolve("1.msg");
        Files.write(f, stored);
        MessageStructure m = MessageStructure.parse(MessageSource.of(f));
        assertEquals("aGVsbG8gd29y\r\nbGQ=", s(Sections.body(m, MessageSource.of(f), sec("NONE", 2)).toByteArray()));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Sections.body(m, MessageSource.of(f), Section.WHOLE).writeTo(out);
        assertArrayEquals(crlf(NESTED), out.toByteArray());
    }

    @Test
    void shortenedFileFailsInsteadOfAShortLiteral(@TempDir Path dir) throws IOException {
        byte[] stored = lf(NESTED);
        Path f = dir.resolve("1.msg");
        Files.write(f, stored);
        MessageStructure m = MessageStructure.parse(stored);
        Files.write(f, java.util.Arrays.copyOf(stored, 40));
        SectionContent c = Sections.body(m, MessageSource.of(f), Section.WHOLE);
        assertThrows(java.io.EOFException.class, c::toByteArray);
    }
}
