package org.mailroom.core.store.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static List<String> sorted(String... s) {
        List<String> l = new ArrayList<>(List.of(s));
        MaildirName.sortByArrival(l);
        return l;
    }
}
