package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.util.MimeUtil;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.SearchKey;

/**
 * Differential test of HEADER and TEXT on random headers with encoded-words and folds: the fields
 * as Mime4j's token stream splits them, unfolded by MimeUtil and decoded by DecoderUtil.
 */
class HeaderOracleTest {

    private static final String[] WORDS = {"alpha", "Bravo", "café", "Grüße", "naïve", "ΣΟΦΙΑ", "delta", "x_y", "a=b"};
    private static final String[] NAMES = {"Subject", "From", "X-Note", "subject"};

    private final Random rnd = new Random(11);

    private String encodedWord(String text) {
        Charset cs = rnd.nextBoolean() || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)
                ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        byte[] octets = text.getBytes(cs);
        if (rnd.nextBoolean()) {
            return "=?" + cs.name() + "?B?" + Base64.getEncoder().encodeToString(octets) + "?=";
        }
        StringBuilder q = new StringBuilder("=?" + cs.name() + "?Q?");
        for (byte b : octets) {
            int c = b & 0xff;
            if (c == ' ') {
                q.append('_');
            } else if (c > 32 && c < 127 && c != '=' && c != '?' && c != '_') {
                q.append((char) c);
            } else {
                q.append(String.format("=%02X", c));
            }
        }
        return q.append("?=").toString();
    }

    private String value() {
        StringBuilder v = new StringBuilder();
        int words = 1 + rnd.nextInt(6);
        for (int i = 0; i < words; i++) {
            String w = WORDS[rnd.nextInt(WORDS.length)];
            boolean ascii = w.chars().allMatch(c -> c < 128);
            if (i > 0) {
                v.append(rnd.nextInt(4) == 0 ? (rnd.nextBoolean() ? "\n " : "\n\t") : " ");
            }
            v.append(!ascii || rnd.nextInt(3) == 0 ? encodedWord(rnd.nextBoolean() ? w : w + " " + WORDS[rnd.nextInt(WORDS.length)]) : w);
        }
        return v.toString();
    }

    private static List<String[]> oracleFields(byte[] raw) throws Exception {
        MimeTokenStream ts = new MimeTokenStream(MimeConfig.PERMISSIVE);
        ts.parse(new ByteArrayInputStream(raw));
        List<String[]> fields = new ArrayList<>();
        for (EntityState s = ts.getState(); s != EntityState.T_END_HEADER; s = ts.next()) {
            if (s == EntityState.T_FIELD) {
                Field f = ts.getField();
                String body = MimeUtil.unfold(f.getBody()).replaceFirst("^[ \t]+", "");
                fields.add(new String[] {f.getName(), DecoderUtil.decodeEncodedWords(body, DecodeMonitor.SILENT)});
            }
        }
        return fields;
    }

    @Test
    void headerAndTextAgreeWithMime4j() throws Exception {
        List<String> needles = new ArrayList<>();
        for (String a : WORDS) {
            needles.add(a);
            for (String b : WORDS) {
                needles.add(a + " " + b);
            }
        }
        int hits = 0;
        int checked = 0;
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int fields = 1 + rnd.nextInt(4);
            for (int f = 0; f < fields; f++) {
                sb.append(NAMES[rnd.nextInt(NAMES.length)]).append(": ").append(value()).append('\n');
            }
            sb.append("\nbody\n");
            String lf = sb.toString();
            byte[] raw = (rnd.nextBoolean() ? lf : lf.replace("\n", "\r\n")).getBytes(StandardCharsets.US_ASCII);
            List<String[]> oracle = oracleFields(raw);
            TestMessage m = new TestMessage().bytes(raw);
            for (String needle : needles) {
                String folded = CaseFold.fold(needle);
                boolean inSubject = false;
                boolean inAny = false;
                for (String[] f : oracle) {
                    boolean has = CaseFold.fold(f[1]).contains(folded);
                    inAny |= has;
                    inSubject |= has && f[0].equalsIgnoreCase("subject");
                }
                String shown = new String(raw, StandardCharsets.US_ASCII);
                assertEquals(inSubject, SearchProgram.compile(new SearchKey.Header("Subject", needle)).matches(m),
                        () -> "HEADER Subject \"" + needle + "\" in\n" + shown);
                assertEquals(inAny, SearchProgram.compile(new SearchKey.Text(needle)).matches(m),
                        () -> "TEXT \"" + needle + "\" in\n" + shown);
                checked++;
                hits += inAny ? 1 : 0;
            }
        }
        assertTrue(hits > checked / 50 && hits < checked / 2, "hits " + hits + " of " + checked);
    }
}
