package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.imap.message.Mail.lf;
import static org.mailroom.imap.message.Mail.s;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.Section;

class CacheFormTest {

    static List<String> corpus() {
        List<String> out = new ArrayList<>();
        out.add(SectionsTest.NESTED);
        out.add(MessageStructureTest.rfcSampleMessage());
        out.add("Subject: no ct\n\nline1\nline2");
        out.add("Subject: digest\nContent-Type: multipart/digest; boundary=\"d\"\n\n--d\n\nSubject: inner\n"
                + "From: i@j\n\ninner body\n--d\nContent-Type: text/plain\n\nplain\n--d--\n");
        out.add("Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; Name=\"a b\"\nContent-Transfer-Encoding: QUOTED-PRINTABLE\n"
                + "Content-ID: <id1>\nContent-Description: desc\nContent-Disposition: attachment; filename=foo.txt\n"
                + "Content-Language: en, de\nContent-Location: http://x/y\nContent-MD5: abc=\n\nbody=\nline\n");
        out.add("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nAAAA\n");
        out.add("Content-Type: multipart/mixed\n\nhello\n");
        return out;
    }

    @Test
    void roundTripRendersAndLocatesTheSame() throws IOException {
        for (String text : corpus()) {
            byte[] stored = lf(text);
            MessageStructure m = MessageStructure.parse(stored);
            byte[] bytes = m.toBytes();
            MessageStructure back = MessageStructure.fromBytes(bytes);
            assertEquals(s(m.bodyStructure()), s(back.bodyStructure()));
            assertEquals(s(m.body()), s(back.body()));
            assertEquals(s(m.envelopeImap()), s(back.envelopeImap()));
            assertEquals(m.size(), back.size());
            assertEquals(m.storedSize(), back.storedSize());
            for (int[] path : new int[][] {{}, {1}, {2}, {1, 1}, {1, 2}, {3}}) {
                for (Section.Kind k : Section.Kind.values()) {
                    if (k == Section.Kind.HEADER_FIELDS || k == Section.Kind.HEADER_FIELDS_NOT) {
                        continue;
                    }
                    Section sec = new Section(path, k, List.of());
                    assertEquals(s(Sections.body(m, MessageSource.of(stored), sec).toByteArray()),
                            s(Sections.body(back, MessageSource.of(stored), sec).toByteArray()), sec.toString());
                }
            }
            assertTrue(bytes.length < 40 + stored.length / 2 + 200, "cache form of " + bytes.length + " octets");
        }
    }

    @Test
    void everyTruncationIsRejected() {
        for (String text : corpus()) {
            byte[] bytes = MessageStructure.parse(lf(text)).toBytes();
            for (int n = 0; n < bytes.length; n++) {
                byte[] cut = Arrays.copyOf(bytes, n);
                assertThrows(StructureFormatException.class, () -> MessageStructure.fromBytes(cut), "cut at " + n);
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThrows(StructureFormatException.class, () -> MessageStructure.fromBytes(longer));
        }
    }

    @Test
    void corruptInputFailsOnlyWithTheDocumentedException() {
        Random rnd = new Random(42);
        int rejected = 0;
        int tries = 0;
        for (String text : corpus()) {
            byte[] good = MessageStructure.parse(lf(text)).toBytes();
            for (int i = 0; i < 3000; i++) {
                byte[] bad = good.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
                }
                tries++;
                try {
                    MessageStructure m = MessageStructure.fromBytes(bad);
                    m.bodyStructure();
                    m.body();
                    m.envelopeImap();
                } catch (StructureFormatException expected) {
                    rejected++;
                }
            }
        }
        assertTrue(rejected > tries / 10, rejected + " of " + tries + " rejected");
        // huge lengths and counts are refused before any allocation
        assertThrows(StructureFormatException.class, () -> MessageStructure.fromBytes(
                new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}));
        assertThrows(StructureFormatException.class, () -> MessageStructure.fromBytes(new byte[0]));
    }
}
