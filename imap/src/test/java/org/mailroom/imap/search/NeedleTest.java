package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte matchers against a naive case-insensitive search, on texts full of near misses. */
class NeedleTest {

    private static int naive(String hay, String needle, int from, int to) {
        String h = hay.substring(0, to).toLowerCase(Locale.ROOT);
        int at = h.indexOf(needle.toLowerCase(Locale.ROOT), from);
        return at;
    }

    @Test
    void agreesWithANaiveSearch() {
        Random rnd = new Random(5);
        String alphabet = "abAB 7-\n";
        for (int round = 0; round < 20_000; round++) {
            int m = 1 + rnd.nextInt(9); // both the single-octet (< 4) and the pair matcher
            StringBuilder n = new StringBuilder();
            for (int i = 0; i < m; i++) {
                n.append(alphabet.charAt(rnd.nextInt(6)));
            }
            StringBuilder h = new StringBuilder();
            int len = rnd.nextInt(60);
            for (int i = 0; i < len; i++) {
                h.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String hay = h.toString();
            String needle = n.toString();
            Needle compiled = new Needle(needle);
            int from = len == 0 ? 0 : rnd.nextInt(len + 1);
            int to = from + rnd.nextInt(len - from + 1);
            byte[] bytes = hay.getBytes(StandardCharsets.US_ASCII);
            int expected = naive(hay, needle, from, to);
            if (expected >= 0 && expected + m > to) {
                expected = -1;
            }
            assertEquals(expected, compiled.indexIn(bytes, from, to), () -> "'" + needle + "' in '" + hay + "'");
        }
    }

    @Test
    void asciiCoreOfNonAsciiNeedles() {
        assertEquals("nchword", new Needle("B\u00e9nchWord").asciiCore.text);
        assertEquals(null, new Needle("\u00e9\u00e9").asciiCore);
        assertEquals(null, new Needle("benchword").asciiCore, "an ASCII needle is its own core");
    }
}
