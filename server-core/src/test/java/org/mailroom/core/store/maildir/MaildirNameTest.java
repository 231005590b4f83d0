package org.mailroom.core.store.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Arrival order of Maildir names: UIDs are handed out in it. */
class MaildirNameTest {

    @Test
    void sortByArrivalAgreesWithTheComparison() {
        Random r = new Random(3);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            names.add(switch (r.nextInt(4)) {
                case 0 -> (1700000000 + r.nextInt(3)) + ".M" + r.nextInt(1_000_000) + "P1Q" + r.nextInt(50) + ".h,S=1";
                case 1 -> (1700000000 + r.nextInt(3)) + ".P" + r.nextInt(9) + "Q" + r.nextInt(50) + ".other";
                case 2 -> "noprefix" + r.nextInt(100);
                default -> (1700000000 + r.nextInt(3)) + ".M" + r.nextInt(99) + ".x";
            });
        }
        List<String> expected = new ArrayList<>(names);
        expected.sort(MaildirName::compareArrival);
        MaildirName.sortByArrival(names);
        assertEquals(expected, names);
        assertEquals(List.of("5.M999P1Q1.h", "5.M12345P1Q1.h"), sorted("5.M12345P1Q1.h", "5.M999P1Q1.h"));
    }

    @Test
    void sizesAndTimesAreReadFromTheirAsciiDigitsOnly() {
        String n = "1700000000.M12P3Q4.host,S=1234,W=1300";
        assertEquals(1234, MaildirName.field(n, 'S'));
        assertEquals(1300, MaildirName.field(n, 'W'));
        assertEquals(-1, MaildirName.field("1.M1.h,X=1,S=", 'S'), "no digits");
        assertEquals(77, MaildirName.field("1.M1.h,T,S=77", 'S'), "the first comma is not the field");
        assertEquals(-1, MaildirName.field("1.M1.h", 'S'));
        assertEquals(-1, MaildirName.field("1.h,S=1234567890123456789", 'S'), "19 digits do not fit");
        assertEquals(-1, MaildirName.field("1.h,S=\u0661\u0662", 'S'), "Arabic-Indic digits are not Maildir's");
        assertEquals(1700000000, MaildirName.epochSeconds(n));
        assertEquals(-1, MaildirName.epochSeconds("host.1700000000"));
        assertEquals(-1, MaildirName.epochSeconds("1234567890123.x"), "13 digits are no time");
        assertEquals(List.of("5.M9Q2.h", "5.M9Q10.h", "6.M1.h"), sorted("6.M1.h", "5.M9Q10.h", "5.M9Q2.h"));
    }

    @Test
    void canonicalNamesAreTheBaseAndTheFlagLettersInOrderAndNothingElse() {
        int fs = org.mailroom.core.store.Flag.bits(java.util.Set.of(org.mailroom.core.store.Flag.FLAGGED,
                org.mailroom.core.store.Flag.SEEN));
        assertTrue(MaildirName.isCanonical("1.M2.h:2,FS", "1.M2.h", fs));
        assertTrue(MaildirName.isCanonical("1.M2.h:2,", "1.M2.h", 0));
        assertFalse(MaildirName.isCanonical("1.M2.h:2,SF", "1.M2.h", fs), "letters out of order");
        assertFalse(MaildirName.isCanonical("1.M2.h:2,FSa", "1.M2.h", fs), "a keyword letter of another tool");
        assertFalse(MaildirName.isCanonical("1.M2.h:2,F", "1.M2.h", fs), "a flag missing");
        assertFalse(MaildirName.isCanonical("1.M2.h", "1.M2.h", 0), "no info part");
        assertFalse(MaildirName.isCanonical("1.M2.h:1,", "1.M2.h", 0), "experimental info");
        for (String n : List.of("1.M2.h:2,FS", "1.M2.h:2,", "1.M2.h:2,SF", "1.M2.h:2,FSa")) {
            int bits = MaildirName.flagBits(n);
            assertEquals(MaildirName.isCanonical(n, "1.M2.h", bits), MaildirName.withFlagBits("1.M2.h", bits).equals(n), n);
        }
    }

    private static List<String> sorted(String... s) {
        List<String> l = new ArrayList<>(List.of(s));
        MaildirName.sortByArrival(l);
        return l;
    }
}
