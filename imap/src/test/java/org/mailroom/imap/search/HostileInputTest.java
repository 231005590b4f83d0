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
