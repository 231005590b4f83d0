package org.mailroom.imap.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.Literal;

/** APPEND literals become the store's LF form: CR LF to LF, bare CR kept, sizes counted right. */
class AppendContentTest {

    private static byte[] readAll(InputStream in, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[chunk];
        int n;
        while ((n = in.read(b, 0, chunk)) >= 0) out.write(b, 0, n);
        return out.toByteArray();
    }

    @Test
    void crlfBecomesLfInEveryChunkSize() throws Exception {
        Random r = new Random(7);
        String alphabet = "\r\n\r\nab";
        for (int round = 0; round < 300; round++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(round < 200 ? 20 : 200_000);
            for (int i = 0; i < len; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            byte[] in = sb.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] want = sb.toString().replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII);
            AppendContent c = new AppendContent(Literal.of(in));
            assertEquals(want.length, c.size(), sb.toString());
            assertEquals(sb.chars().filter(ch -> ch == '\n').count(), c.lines());
            for (int chunk : new int[] {1, 2, 3, 7, 65536}) {
                try (InputStream s = c.open()) {
                    assertArrayEquals(want, readAll(s, chunk), "chunk " + chunk);
                }
            }
        }
    }
}
