package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.imap.wire.SearchKey;

/** HEADER/BODY/TEXT semantics: decoding, folding, charsets, MIME structure, LF and CRLF. */
class TextSearchTest {

    private static boolean body(String needle, TestMessage m) throws IOException {
        return SearchProgram.compile(new SearchKey.Body(needle)).matches(m);
    }

    private static boolean text(String needle, TestMessage m) throws IOException {
        return SearchProgram.compile(new SearchKey.Text(needle)).matches(m);
    }

    private static boolean header(String field, String needle, TestMessage m) throws IOException {
        return SearchProgram.compile(new SearchKey.Header(field, needle)).matches(m);
    }

    /** Both line-end conventions of the same message. */
    private static TestMessage[] both(String lfText) {
        return new TestMessage[] {TestMessage.of(lfText), TestMessage.of(lfText).crlf()};
    }

    private static TestMessage[] both(String lfText, Charset octets) {
        return new TestMessage[] {new TestMessage().content(lfText, octets), new TestMessage().content(lfText, octets).crlf()};
    }

    private static String b64(byte[] data) {
        return Base64.getMimeEncoder(20, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
    }

    // ---- header fields

    @Test
    void encodedWordsAreDecodedBeforeMatching() throws IOException {
        for (TestMessage m : both("Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?=\nFrom: =?UTF-8?B?"
                + Base64.getEncoder().encodeToString("Jürgen Groß".getBytes(StandardCharsets.UTF_8))
                + "?= <jg@example.de>\n\nbody\n")) {
            assertTrue(header("Subject", "café crème", m));
            assertTrue(header("subject", "CAFÉ CRÈME", m));
            assertFalse(header("Subject", "Caf=E9", m));
            assertTrue(header("From", "jürgen", m));
            assertTrue(header("From", "JÜRGEN GROSS".replace("SS", "ß"), m));
            assertTrue(header("From", "jg@example.de", m));
            assertTrue(text("crème", m));
            assertFalse(text("Caf=E9", m));
        }
    }

    @Test
    void rfc2047Section8Examples() throws IOException {
        // RFC 2047 8: adjacent encoded-words are joined without the whitespace between them.
        TestMessage m = TestMessage.of("Subject: (=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)\n"
                + "X-Two: (=?ISO-8859-1?Q?a_b?=)\nX-Three: (=?ISO-8859-1?Q?a?= b)\n\nx\n");
        assertTrue(header("Subject", "(ab)", m));
        assertTrue(header("X-Two", "(a b)", m));
        assertTrue(header("X-Three", "(a b)", m));
    }

    @Test
    void foldedFieldsAreUnfolded() throws IOException {
        for (TestMessage m : both("Subject: a rather long\n subject line\nTo: x@example.com,\n\ty@example.com\n\nbody\n")) {
            assertTrue(header("Subject", "long subject", m), "a match across the fold");
            assertTrue(header("Subject", "subject line", m));
            assertTrue(header("To", "y@example.com", m));
            assertTrue(header("To", ",\ty@", m));
            assertTrue(text("long subject", m));
            assertFalse(text("long\nsubject", m));
        }
    }

    @Test
    void headerWithEmptyStringMatchesPresence() throws IOException {
        // RFC 9051 6.4.4: a zero-length string matches every message that has the field.
        TestMessage with = TestMessage.of("X-Spam-Flag:\nSubject: s\n\nbody\n");
        TestMessage without = TestMessage.of("Subject: s\n\nX-Spam-Flag: in the body\n");
        assertTrue(header("X-Spam-Flag", "", with));
        assertTrue(header("x-spam-FLAG", "", with));
        assertFalse(header("X-Spam-Flag", "", without));
        assertFalse(header("X-Spam", "", with), "the whole name, not a prefix");
    }

    @Test
    void headerMatchesOnlyTheValueOfThatField() throws IOException {
        TestMessage m = TestMessage.of("From: alice@example.com\nTo: bob@example.com\nCc: carol@example.com\n"
                + "Bcc: dave@example.com\nSubject: lunch\n\nbob is in the body\n");
        assertTrue(header("From", "ALICE", m));
        assertFalse(header("From", "bob", m));
        assertTrue(header("To", "bob", m));
        assertTrue(header("Cc", "carol", m));
        assertTrue(header("Bcc", "dave", m));
        assertFalse(header("Subject", "subject", m), "the field name is not its text");
        assertFalse(header("Subject", "bob", m));
        assertTrue(text("subject: lunch", m), "TEXT sees the whole field");
    }

    @Test
    void textSeesFieldsAsWrittenOnBothPaths() throws IOException {
        TestMessage plain = TestMessage.of("Subject:tight\nX-A: folded\n value\n\nx\n");
        TestMessage encoded = TestMessage.of("Subject:tight\nX-A: folded\n value\nX-E: =?utf-8?q?caf=C3=A9?=\n\nx\n");
        for (TestMessage m : new TestMessage[] {plain, encoded}) {
            assertTrue(text("subject:tight", m));
            assertFalse(text("subject: tight", m));
            assertTrue(text("x-a: folded value", m));
        }
        assertTrue(text("x-e: café", encoded));
    }

    @Test
    void repeatedFieldsAreEachSearched() throws IOException {
        TestMessage m = TestMessage.of("Received: from a\nReceived: from b.example\nSubject: s\n\nx\n");
        assertTrue(header("Received", "b.example", m));
    }

    @Test
    void rawUtf8HeadersAreText() throws IOException {
        // RFC 6532 3.2: header field values may be UTF-8.
        TestMessage m = new TestMessage().content("Subject: Grüße aus Köln\n\nx\n", StandardCharsets.UTF_8);
        assertTrue(header("Subject", "KÖLN", m));
        assertTrue(header("Subject", "köln", m));
        assertTrue(text("GRÜßE", m));
    }

    @Test
    void aMessageWithoutBodyHasAHeaderOnly() throws IOException {
        TestMessage m = TestMessage.of("Subject: only a header\n");
        assertTrue(header("Subject", "header", m));
        assertFalse(body("header", m));
        assertTrue(text("header", m));
    }

    // ---- single-part bodies

    @Test
    void bodyIsCaseInsensitiveAndExcludesTheHeader() throws IOException {
        for (TestMessage m : both("Subject: needle in header\n\nThe Quick Brown Fox\njumps\n")) {
            assertTrue(body("quick brown", m));
            assertTrue(body("QUICK BROWN FOX", m));
            assertFalse(body("needle", m));
            assertTrue(text("needle", m));
            assertTrue(text("fox", m));
            assertTrue(body("fox\njumps", m), "a line break matches LF and CRLF alike");
            assertTrue(body("fox\r\nJUMPS", m));
            assertFalse(body("fox jumps", m));
            assertTrue(body("", m));
            assertTrue(text("", m));
        }
    }

    @Test
    void quotedPrintableIsDecoded() throws IOException {
        for (TestMessage m : both("Content-Type: text/plain; charset=iso-8859-1\n"
                + "Content-Transfer-Encoding: quoted-printable\n\nCaf=E9 au lait with a soft=\nbreak and =3D sign\n")) {
            assertTrue(body("café", m));
            assertTrue(body("CAFÉ AU LAIT", m));
            assertTrue(body("softbreak", m), "soft line breaks are removed");
            assertTrue(body("= sign", m));
            assertFalse(body("caf=E9", m));
            assertFalse(body("=3D", m));
        }
    }

    @Test
    void base64UtfEightIsDecoded() throws IOException {
        String encoded = b64("Zürich meeting at noon, ΟΔΥΣΣΕΥΣ".getBytes(StandardCharsets.UTF_8));
        for (TestMessage m : both("Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: BASE64\n\n"
                + encoded + "\n")) {
            assertTrue(body("zürich", m));
            assertTrue(body("MEETING AT", m));
            assertTrue(body("οδυσσευς", m), "final sigma folds like sigma");
            assertFalse(body(encoded.substring(0, 8), m));
        }
    }

    @Test
    void eightBitCharsets() throws IOException {
        String text = "Content-Type: text/plain; charset=%s\nContent-Transfer-Encoding: 8bit\n\n%s\n";
        TestMessage latin1 = TestMessage.of(String.format(text, "iso-8859-1", "Voilà déjà l'été"));
        assertTrue(body("DÉJÀ", latin1));
        assertTrue(body("voilà", latin1));
        assertTrue(body("l'été", latin1));
        TestMessage utf8 = new TestMessage().content(String.format(text, "utf-8", "Voilà déjà l'été"), StandardCharsets.UTF_8);
        assertTrue(body("DÉJÀ", utf8));
        assertFalse(body("dã©jã", utf8), "not read as Latin-1");
        TestMessage cp1252 = new TestMessage().content(String.format(text, "windows-1252", "\u201cquoted\u201d costs 5 \u20ac"),
                Charset.forName("windows-1252"));
        assertTrue(body("\u201cquoted\u201d", cp1252));
        assertTrue(body("5 €", cp1252));
        assertTrue(body("QUOTED", cp1252));
        // XXX-documented: ISO-8859-1 is read as windows-1252, so 0x80 is the euro sign.
        TestMessage mislabelled = new TestMessage().content(String.format(text, "ISO-8859-1", "costs 5 \u20ac"),
                Charset.forName("windows-1252"));
        assertTrue(body("5 €", mislabelled));
    }

    @Test
    void asciiNeedleInAnAsciiIncompatibleCharset() throws IOException {
        String utf16 = b64("hello world".getBytes(StandardCharsets.UTF_16BE));
        TestMessage m = TestMessage.of("Content-Type: text/plain; charset=utf-16be\nContent-Transfer-Encoding: base64\n\n"
                + utf16 + "\n");
        assertTrue(body("WORLD", m));
        assertFalse(body("dlrow", m));
        TestMessage unknown = new TestMessage().content("Content-Type: text/plain; charset=x-no-such\n\nnaïve\n",
                StandardCharsets.UTF_8);
        assertTrue(body("naïve", unknown), "unknown charsets read as UTF-8");
    }

    @Test
    void noContentTypeIsPlainText() throws IOException {
        TestMessage m = new TestMessage().content("Subject: x\n\nplain ünlabelled text\n", StandardCharsets.UTF_8);
        assertTrue(body("ÜNLABELLED", m));
        assertTrue(body("plain", m));
    }

    @Test
    void nonTextSinglePartIsNotSearched() throws IOException {
        TestMessage m = TestMessage.of("Content-Type: application/octet-stream\n\nsecretword\n");
        assertFalse(body("secretword", m));
        assertFalse(text("secretword", m));
        assertTrue(text("octet-stream", m), "its header is");
    }

    // ---- MIME structure

    private static final String MIXED = "From: a@example.com\nSubject: report\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
            + "preamble preambleword\n"
            + "--outer\n"
            + "Content-Type: multipart/alternative; boundary=\"inner\"\n\n"
            + "--inner\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
            + "plain part r=E9sum=E9\n"
            + "--inner\nContent-Type: text/html\n\n<p>html <b>bold</b> part</p>\n"
            + "--inner--\n"
            + "--outer\nContent-Type: application/pdf; name=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\n"
            + b64("pdfword inside".getBytes(StandardCharsets.US_ASCII)) + "\n"
            + "--outer\nContent-Type: application/octet-stream\n\nrawattachmentword\n"
            + "--outer\nContent-Type: text/plain; name=\"notes.txt\"\nContent-Disposition: attachment; filename=\"notes.txt\"\n"
            + "Content-Transfer-Encoding: base64\n\n" + b64("notes attachment text".getBytes(StandardCharsets.US_ASCII)) + "\n"
            + "--outer\n\nuntyped part text\n"
            + "--outer--\n"
            + "epilogue epilogueword\n";

    @Test
    void multipartTextPartsAreSearchedAttachmentsAreNot() throws IOException {
        for (TestMessage m : both(MIXED)) {
            assertTrue(body("résumé", m));
            assertTrue(body("html <b>bold", m), "HTML is searched as written");
            assertTrue(body("notes attachment", m), "a text attachment is text");
            assertTrue(body("untyped part", m), "RFC 2045 5.2 default text/plain");
            assertFalse(body("pdfword", m));
            assertFalse(body("rawattachmentword", m));
            assertFalse(body("preambleword", m));
            assertFalse(body("epilogueword", m));
            assertFalse(body("Content-Type", m), "part headers are not body text");
            assertFalse(body("notes.txt", m));
            assertTrue(text("filename=\"notes.txt\"", m), "TEXT includes MIME part headers");
            assertTrue(text("application/pdf", m));
            assertFalse(body("outer", m));
            assertTrue(text("report", m));
            assertFalse(text("pdfword", m));
        }
    }

    @Test
    void multipartSyntaxVariants() throws IOException {
        TestMessage unquoted = TestMessage.of("Content-Type: MULTIPART/Mixed (comment); Boundary==_b1; x=y\n\n"
                + "--=_b1\nContent-Type: text/plain\n\nfirst\n--=_b1  \n\nsecond part\n--=_b1--\n");
        assertTrue(body("first", unquoted));
        assertTrue(body("second part", unquoted), "transport padding after the delimiter");
        TestMessage unclosed = TestMessage.of("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo unclosed\n");
        assertTrue(body("two unclosed", unclosed));
        TestMessage prefix = TestMessage.of("Content-Type: multipart/mixed; boundary=\"ab\"\n\n--ab\n"
                + "Content-Type: multipart/mixed; boundary=\"abcd\"\n\n--abcd\n\ninner text\n--abcd--\n--ab\n\nafter\n--ab--\n");
        assertTrue(body("inner text", prefix));
        assertTrue(body("after", prefix));
        TestMessage notAtLineStart = TestMessage.of("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                + "Content-Type: image/png\n\nx --b\nhiddenword\n--b\n\nvisible\n--b--\n");
        assertFalse(body("hiddenword", notAtLineStart));
        assertTrue(body("visible", notAtLineStart));
        TestMessage noBoundary = TestMessage.of("Content-Type: multipart/mixed\n\nstray text\n");
        assertTrue(body("stray", noBoundary), "a multipart without boundary is read as text");
        TestMessage escaped = TestMessage.of("Content-Type: multipart/mixed; boundary=\"a\\\"b\"\n\n--a\"b\n\nquoted boundary\n--a\"b--\n");
        assertTrue(body("quoted boundary", escaped));
    }

    @Test
    void attachedMessagesAreSearchedWithTheirHeader() throws IOException {
        String inner = "From: inner@example.org\nSubject: =?utf-8?q?Inner_subj=C3=A9ct?=\n"
                + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\ninner b=C3=B6dy\n";
        for (TestMessage m : both("Subject: outer\nContent-Type: multipart/mixed; boundary=m\n\n--m\n\ncover note\n"
                + "--m\nContent-Type: message/rfc822\n\n" + inner + "--m--\n")) {
            assertTrue(body("cover note", m));
            assertTrue(body("inner subjéct", m));
            assertTrue(body("INNER BÖDY", m));
            assertTrue(body("inner@example.org", m));
            assertFalse(header("Subject", "inner", m), "HEADER looks at the top-level header only");
            assertTrue(text("böd", m));
        }
    }

    @Test
    void digestPartsDefaultToMessages() throws IOException {
        // RFC 2046 5.1.5: in multipart/digest the default Content-Type is message/rfc822.
        TestMessage m = TestMessage.of("Content-Type: multipart/digest; boundary=d\n\n--d\n\n"
                + "Subject: digest one\n\nfirst digest body\n--d\n\nSubject: digest two\n\nsecond\n--d--\n");
        assertTrue(body("first digest body", m));
        assertTrue(body("digest two", m), "the embedded header is searched");
    }

    @Test
    void absurdNestingStopsWithoutFailing() throws IOException {
        StringBuilder sb = new StringBuilder();
        int depth = 200;
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        sb.append("\ndeepword\n");
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("--\n");
        }
        TestMessage m = TestMessage.of(sb.toString());
        assertFalse(body("deepword", m));
        TestMessage shallow = TestMessage.of(sb.toString().replace("b10", "x10"));
        assertFalse(body("nothing", shallow));
    }

    @ParameterizedTest
    @ValueSource(strings = {"benchword7", "Quarterly", "mx1.example.net", "=_alt"})
    void generatedBenchmarkShape(String needle) throws IOException {
        String msg = "Received: from mx1.example.net (mx1.example.net [192.0.2.1])\n\tby mx.bench.local (Postfix)\n"
                + "From: Alice <alice@example.com>\nSubject: Quarterly report #7\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/alternative; boundary=\"=_alt_1f\"\n\n"
                + "This is a multi-part message in MIME format.\n--=_alt_1f\nContent-Type: text/plain; charset=utf-8\n\n"
                + "words words\nbenchword7\n--=_alt_1f\nContent-Type: text/html; charset=utf-8\n\n<html>x</html>\n--=_alt_1f--\n";
        TestMessage m = TestMessage.of(msg);
        boolean inBody = needle.equals("benchword7");
        boolean inHeader = !inBody;
        if (needle.equals("=_alt")) {
            assertTrue(text(needle, m), "boundary parameter is header text");
            assertFalse(body(needle, m));
            return;
        }
        assertTrue(text(needle, m));
        if (inHeader) {
            assertFalse(body(needle, m));
        } else {
            assertTrue(body(needle, m));
        }
    }
}
