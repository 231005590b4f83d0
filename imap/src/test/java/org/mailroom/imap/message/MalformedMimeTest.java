package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.imap.message.Mail.lf;
import static org.mailroom.imap.message.Mail.s;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.Section;

/**
 * A seeded mutation loop over the MIME parser (STYLE.md 1.5): whatever the input, parsing does not
 * throw, offsets nest, every section yields exactly the octets it announced, and the cache form
 * reads back to the same answers.
 */
class MalformedMimeTest {

    private static final String[] SNIPPETS = {
        "\n", "\r\n", "\r", "--b\n", "--b--\n", "--q\n", "--q--\n", "\n\n", "Content-Type: multipart/mixed; boundary=b\n",
        "Content-Type: message/rfc822\n", "Content-Type: multipart/digest; boundary=q\n", ":", " ", "\t", "\"", "(",
        "Content-Transfer-Encoding: base64\n", "=\n", "\u0000", "\u00ff", "From: a <b@c>, (x\n", "Subject: x\n",
    };

    @Test
    void mutatedMessagesNeverBreakTheInvariants() throws IOException {
        Random rnd = new Random(7);
        List<String> seeds = CacheFormTest.corpus();
        for (int round = 0; round < 1500; round++) {
            StringBuilder sb = new StringBuilder(seeds.get(rnd.nextInt(seeds.size())));
            int edits = 1 + rnd.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(sb.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.insert(at, SNIPPETS[rnd.nextInt(SNIPPETS.length)]);
                    case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + rnd.nextInt(20)));
                    default -> sb.setLength(at);
                }
            }
            check(lf(sb.toString()));
        }
    }

    static void check(byte[] stored) throws IOException {
        MessageStructure m = MessageStructure.parse(stored);
        String bs = s(m.bodyStructure());
        String env = s(m.envelopeImap());
        assertEquals(0, balance(bs), bs);
        assertEquals(0, balance(env), env);
        nests(m.root(), 0, m.size());
        MessageSource src = MessageSource.of(stored);
        MessageStructure back = MessageStructure.fromBytes(m.toBytes());
        assertEquals(bs, s(back.bodyStructure()));
        for (int[] path : paths(m)) {
            for (Section.Kind k : Section.Kind.values()) {
                Section sec = new Section(path, k, k.name().startsWith("HEADER_FIELDS") ? List.of("subject") : List.of());
                SectionContent c = Sections.body(m, src, sec);
                assertEquals(c.size(), c.toByteArray().length, sec.toString());
                assertEquals(s(c.toByteArray()), s(Sections.body(back, src, sec).toByteArray()));
            }
            try {
                SectionContent b = Sections.binary(m, src, path);
                assertEquals(b.size(), b.toByteArray().length);
            } catch (UnknownCteException expected) {
                // a mutated encoding name
            }
        }
    }

    private static void nests(MessagePart p, long from, long to) {
        assertTrue(from <= p.headerOffset() && p.headerOffset() <= p.bodyOffset() && p.bodyOffset() <= p.endOffset()
                && p.endOffset() <= to, p + " outside [" + from + "," + to + ")");
        for (MessagePart c : p.children()) {
            nests(c, p.bodyOffset(), p.endOffset());
        }
        if (p.message() != null) {
            nests(p.message(), p.bodyOffset(), p.endOffset());
        }
    }

    private static List<int[]> paths(MessageStructure m) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        for (int a = 1; a <= 4; a++) {
            out.add(new int[] {a});
            for (int b = 1; b <= 3; b++) {
                out.add(new int[] {a, b});
            }
        }
        return out;
    }

    /** Parentheses outside quoted strings and literals must balance. */
    private static int balance(String imap) {
        int depth = 0;
        for (int i = 0; i < imap.length(); i++) {
            char c = imap.charAt(i);
            if (c == '"') {
                for (i++; imap.charAt(i) != '"'; i++) {
                    if (imap.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '{') {
                int close = imap.indexOf('}', i);
                int n = Integer.parseInt(imap.substring(i + 1, close));
                i = close + 2 + n;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
        return depth;
    }
}
