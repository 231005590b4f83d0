package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.SearchKey;

/**
 * Differential test: our in-place MIME scan against Mime4j's MimeTokenStream. For random
 * messages, BODY must match exactly when the text decoded by Mime4j from the text parts (charset
 * chosen by the same policy) contains the needle.
 */
class MimeOracleTest {

    private static String oracleBody(byte[] raw) throws Exception {
        MimeTokenStream ts = new MimeTokenStream(MimeConfig.PERMISSIVE);
        ts.parse(new ByteArrayInputStream(raw));
        StringBuilder text = new StringBuilder();
        for (EntityState s = ts.getState(); s != EntityState.T_END_OF_STREAM; s = ts.next()) {
            if (s == EntityState.T_BODY) {
                BodyDescriptor bd = ts.getBodyDescriptor();
                if (bd.getMimeType().startsWith("text/")) {
                    byte[] decoded = ts.getDecodedInputStream().readAllBytes();
                    text.append(new String(decoded, Charsets.forName(bd.getCharset()))).append('\u0001');
                }
            }
        }
        return CaseFold.fold(text.toString().replace("\r\n", "\n"));
    }

    @Test
    void bodyAgreesWithMime4j() throws Exception {
        RandomMessages gen = new RandomMessages(20261123L);
        List<String> needles = new ArrayList<>();
        for (String w : RandomMessages.WORDS) {
            needles.add(w);
            needles.add(w.toUpperCase(java.util.Locale.ROOT));
        }
        needles.add("alpha bravo");
        needles.add("o d");
        needles.add("preamble");
        needles.add("epilogue");
        needles.add("<p>");
        List<SearchProgram> programs = new ArrayList<>();
        for (String n : needles) {
            programs.add(SearchProgram.compile(new SearchKey.Body(n)));
        }
        int checked = 0;
        int hits = 0;
        for (int i = 0; i < 400; i++) {
            byte[] raw = gen.next();
            String oracle = oracleBody(raw);
            TestMessage m = new TestMessage().bytes(raw);
            for (int k = 0; k < needles.size(); k++) {
                boolean expected = oracle.contains(CaseFold.fold(needles.get(k)));
                boolean actual = programs.get(k).matches(m);
                assertEquals(expected, actual, () -> "message:\n" + new String(raw, StandardCharsets.ISO_8859_1));
                checked++;
                hits += expected ? 1 : 0;
            }
        }
        // The corpus must exercise both outcomes, or the comparison proves nothing.
        org.junit.jupiter.api.Assertions.assertTrue(hits > checked / 20 && hits < checked * 19 / 20,
                "hits " + hits + " of " + checked);
    }
}
