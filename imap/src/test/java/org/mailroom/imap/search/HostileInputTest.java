package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.SearchKey;

/** Truncated, mutated and degenerate messages never make evaluation throw. */
class HostileInputTest {

    private static final byte[] SPICE = "\n\r-=?:;\"\\( )boundary=--=_b0_charset=utf-16base64quoted-printable"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void mutatedMessagesAreEvaluatedWithoutExceptions() {
        SearchProgram program = SearchProgram.compile(new SearchKey.Or(
                new SearchKey.Or(new SearchKey.Body("caf\u00e9"), new SearchKey.Text("alpha bravo")),
                new SearchKey.And(List.of(new SearchKey.Header("Subject", "golf"),
                        new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateOp.ON, LocalDate.of(2020, 1, 1)),
                        new SearchKey.Body("zzz")))));
        SearchMatcher matcher = program.matcher();
        RandomMessages gen = new RandomMessages(99);
        Random rnd = new Random(99);
        for (int i = 0; i < 3000; i++) {
            byte[] raw = gen.next();
            int edits = rnd.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(raw.length);
                raw[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : SPICE[rnd.nextInt(SPICE.length)];
            }
            if (rnd.nextInt(3) == 0) {
                raw = Arrays.copyOf(raw, rnd.nextInt(raw.length + 1));
            }
            TestMessage m = new TestMessage().bytes(raw);
            assertDoesNotThrow(() -> matcher.matches(m), () -> new String(m.content, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aHugeHeaderInSmallReadsIsScannedOnce() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append("X-Filler-").append(i).append(": ").append("v".repeat(20)).append('\n');
        }
        sb.append("Subject: needle\n\nbody\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        TestMessage m = new TestMessage() {
            @Override
            public java.io.InputStream openHeader() {
                headerOpens.incrementAndGet();
                return new java.io.InputStream() { // 100 octets per read
                    private int pos;

                    @Override
                    public int read() {
                        return pos < raw.length ? raw[pos++] & 0xff : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (pos >= raw.length) {
                            return -1;
                        }
                        int n = Math.min(Math.min(len, 100), raw.length - pos);
                        System.arraycopy(raw, pos, b, off, n);
                        pos += n;
                        return n;
                    }
                };
            }
        };
        m.bytes(raw);
        // Quadratic rescanning would take minutes here; this is a behaviour test, not a timing.
        org.junit.jupiter.api.Assertions.assertTrue(
                SearchProgram.compile(new SearchKey.Header("Subject", "needle")).matches(m));
    }

    @Test
    void overlongBoundariesAreReadAsText() throws Exception {
        String boundary = "b".repeat(MessageText.MAX_BOUNDARY + 1);
        TestMessage m = TestMessage.of("Content-Type: multipart/mixed; boundary=" + boundary + "\n\n--" + boundary
                + "\nContent-Type: image/png\n\npixelword\n--" + boundary + "--\n");
        org.junit.jupiter.api.Assertions.assertTrue(SearchProgram.compile(new SearchKey.Body("pixelword")).matches(m));
        TestMessage ok = TestMessage.of(new String(m.content, StandardCharsets.US_ASCII).replace(boundary, "b".repeat(70)));
        org.junit.jupiter.api.Assertions.assertFalse(SearchProgram.compile(new SearchKey.Body("pixelword")).matches(ok));
    }

    @Test
    void degenerateMessages() {
        SearchProgram program = SearchProgram.compile(new SearchKey.Or(new SearchKey.Text("x"),
                new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateOp.BEFORE, LocalDate.of(2000, 1, 1))));
        String[] cases = {"", "\n", "\r\n", "\r", ":", "Subject", "Subject:", " folded\n", "\n\n\n",
            "Content-Type: multipart/mixed; boundary=\n\n--\n", "Content-Type: multipart/mixed; boundary=\"\n\n",
            "Content-Type: text/plain; charset=\"\n\nx", "Content-Type: /\n\n", "Content-Type: (((\n\n",
            "Content-Transfer-Encoding: base64\n\n====", "Content-Transfer-Encoding: quoted-printable\n\n=\n=",
            "Content-Type: message/rfc822\n\n", "Content-Type: multipart/digest; boundary=b\n\n--b\n--b--",
            "Date: (\n\n", "Date: 99999999999999999999 Jan 2001\n\n"};
        for (String c : cases) {
            assertDoesNotThrow(() -> program.matches(TestMessage.of(c)), c);
        }
    }
}
