package org.mailroom.core.store.maildir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasureTest {
    @TempDir
    Path tmp;

    /** The rule, one octet at a time: a first line ending in CR LF makes the file CRLF throughout. */
    private static long[] reference(byte[] b) {
        long bare = 0;
        int prev = -1;
        boolean first = true;
        for (byte c : b) {
            if (c == '\n') {
                if (first && prev == '\r') return new long[] {b.length, b.length};
                first = false;
                if (prev != '\r') bare++;
            }
            prev = c;
        }
        return new long[] {b.length, b.length + bare};
    }

    @Test
    void countsLikeTheOctetRuleWhateverTheChunksAndMixOfLineEnds() throws Exception {
        Random rnd = new Random(7);
        byte[] alphabet = {'a', 'b', '\n', '\r', ' ', '\n', 'x', '\r'};
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[rnd.nextInt(round % 2 == 0 ? 200 : 3000)]; // long ones go 32 octets at a time
            int mix = rnd.nextInt(4); // 0: LF only, 1: mostly CR LF, 2: anything, 3: LF with a rare CR
            for (int i = 0; i < b.length; i++) {
                byte c = alphabet[rnd.nextInt(alphabet.length)];
                if (mix == 0 && c == '\r') c = 'y';
                if (mix == 3 && c == '\r' && rnd.nextInt(50) != 0) c = 'z';
                if (mix == 1 && c == '\n' && i > 0 && rnd.nextBoolean()) b[i - 1] = '\r';
                b[i] = c;
            }
            long[] want = reference(b);
            // fed in random chunks, as the counting stream sees them
            Measure.Counter c = new Measure.Counter();
            int pos = 0;
            while (pos < b.length) {
                int n = 1 + rnd.nextInt(Math.min(round % 3 == 0 ? 40 : 700, b.length - pos));
                byte[] chunk = new byte[n + 5];
                System.arraycopy(b, pos, chunk, 3, n);
                c.add(chunk, 3, n);
                pos += n;
            }
            final int at = round;
            assertArrayEquals(want, c.sizes(), () -> "round " + at + ": " + new String(b));
            Path f = tmp.resolve("m" + round);
            Files.write(f, b);
            assertArrayEquals(want, Measure.sizes(f));
            long[] seen = new long[2];
            try (InputStream in = new Measure.Counting(new ByteArrayInputStream(b), (s, r) -> {
                seen[0] = s;
                seen[1] = r;
            })) {
                in.readNBytes(rnd.nextInt(b.length + 1));
                in.skip(Long.MAX_VALUE);
                in.read();
            }
            assertArrayEquals(want, seen);
        }
    }
}
