package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrlfInputStreamTest {

    /** The rule, an octet at a time: a LF not preceded by CR becomes CRLF; at most rawLimit stored octets. */
    private static byte[] reference(byte[] stored, int rawLimit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1;
        for (int i = 0; i < Math.min(rawLimit, stored.length); i++) {
            byte c = stored[i];
            if (c == '\n' && prev != '\r') out.write('\r');
            out.write(c);
            prev = c;
        }
        return out.toByteArray();
    }

    @Test
    void convertsLikeTheOctetRuleWhateverTheReadSizesLimitsAndLineEnds() throws Exception {
        Random rnd = new Random(11);
        byte[] alphabet = {'a', 'b', '\n', '\r', ' ', 'x', '\n'};
        for (int round = 0; round < 3000; round++) {
            byte[] b = new byte[rnd.nextInt(round % 10 == 0 ? 40_000 : 300)]; // long ones cross the 16 KiB buffer
            for (int i = 0; i < b.length; i++) b[i] = alphabet[rnd.nextInt(alphabet.length)];
            int limit = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length + 1) : Integer.MAX_VALUE;
            CrlfInputStream in = new CrlfInputStream(new ByteArrayInputStream(b), limit);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] chunk = new byte[1 + rnd.nextInt(100)];
            while (true) {
                if (rnd.nextInt(8) == 0) { // an octet at a time now and then: a CR LF may be split
                    int c = in.read();
                    if (c < 0) break;
                    got.write(c);
                    continue;
                }
                int n = in.read(chunk, 0, 1 + rnd.nextInt(chunk.length));
                if (n < 0) break;
                got.write(chunk, 0, n);
            }
            final int at = round;
            assertArrayEquals(reference(b, limit), got.toByteArray(), () -> "round " + at);
        }
    }
}
