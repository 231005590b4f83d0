package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SequenceSetTest {

    private static String show(List<long[]> ranges) {
        StringBuilder sb = new StringBuilder();
        for (long[] r : ranges) {
            sb.append(sb.length() == 0 ? "" : " ").append(r[0]).append('-').append(r[1]);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1:5,7,9:*; 10; 1-5 7-7 9-10",
        "*:4; 2; 2-4",
        "*:4; 10; 4-10",
        "4:*; 2; 2-4",
        "*; 7; 7-7",
        "5:1; 9; 1-5",
        "3,1,2; 9; 1-3",
        "1:3,2:6,8,7; 9; 1-8",
        "4294967295; 1; 4294967295-4294967295",
        "1:*; 0; ''",
        "2,*; 0; 2-2",
    })
    void rangesAreNormalised(String text, long largest, String expected) throws Exception {
        assertEquals(expected, show(SequenceSet.parse(text).ranges(largest)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1:5,7,9:*; 1:5,7,9:*",
        "*:4; 4:*",
        "5:1; 1:5",
        "3:3; 3",
        "*:*; *",
        "7,1:3,2:5,6; 1:7",
        "*,9:*,2:*,2:*; 2:*,9:*,*",
        "$; $",
    })
    void canonicalForm(String text, String canonical) throws Exception {
        SequenceSet set = SequenceSet.parse(text);
        assertEquals(canonical, set.toString());
        assertEquals(set, SequenceSet.parse(canonical));
        assertEquals(canonical, SequenceSet.parse(canonical).toString());
    }

    @Test
    void containsResolvesStar() throws Exception {
        SequenceSet set = SequenceSet.parse("1:5,7,9:*");
        assertTrue(set.contains(1, 10));
        assertTrue(set.contains(5, 10));
        assertFalse(set.contains(6, 10));
        assertTrue(set.contains(7, 10));
        assertFalse(set.contains(8, 10));
        assertTrue(set.contains(10, 10));
        assertFalse(set.contains(11, 10));
        // RFC 9051 9: "*:4" with largest 2 is 2:4
        SequenceSet backwards = SequenceSet.parse("*:4");
        assertTrue(backwards.contains(2, 2));
        assertTrue(backwards.contains(3, 2));
        assertTrue(backwards.contains(4, 2));
        assertFalse(backwards.contains(1, 2));
        assertFalse(SequenceSet.parse("*").contains(1, 0));
        assertTrue(SequenceSet.parse("*").usesStar());
        assertFalse(SequenceSet.parse("1:4").usesStar());
    }

    @Test
    void savedResultIsNotResolvedHere() throws Exception {
        SequenceSet saved = SequenceSet.parse("$");
        assertTrue(saved.isSavedResult());
        assertThrows(IllegalStateException.class, () -> saved.contains(1, 1));
        assertThrows(IllegalStateException.class, () -> saved.ranges(1));
        assertFalse(SequenceSet.parse("1").isSavedResult());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0:4", "1:0", "01", "1:", ":1", ",", "1,", ",1", "1,,2", "a",
        "1:a", "1 2", "1:2:3", "$,1", "1,$", "$$", "**", "-1", "+1", "4294967296", "1:99999999999999999999",
        "1.5"})
    void rejectsMalformed(String text) {
        assertThrows(ImapSyntaxException.class, () -> SequenceSet.parse(text));
    }

    @Test
    void rejectsNull() {
        assertThrows(ImapSyntaxException.class, () -> SequenceSet.parse(null));
    }

    @Test
    void boundedNumberOfRanges() throws Exception {
        StringBuilder ok = new StringBuilder("1");
        for (int i = 2; i <= SequenceSet.MAX_RANGES; i++) {
            ok.append(',').append(i * 2);
        }
        assertEquals(SequenceSet.MAX_RANGES, SequenceSet.parse(ok.toString()).ranges(1).size());
        String tooMany = ok + ",1";
        ImapSyntaxException e = assertThrows(ImapSyntaxException.class, () -> SequenceSet.parse(tooMany));
        assertTrue(e.getMessage().contains("10000"), e.getMessage());
    }

    @Test
    void rangesAreFreshCopies() throws Exception {
        SequenceSet set = SequenceSet.parse("1:3");
        set.ranges(5).get(0)[1] = 99;
        assertArrayEquals(new long[] {1, 3}, set.ranges(5).get(0));
        assertThrows(UnsupportedOperationException.class, () -> set.ranges(5).clear());
    }

    @Test
    void factory() {
        assertEquals("2:9", SequenceSet.of(9, 2).toString());
        assertThrows(IllegalArgumentException.class, () -> SequenceSet.of(0, 2));
        assertThrows(IllegalArgumentException.class, () -> SequenceSet.of(1, SequenceSet.MAX_NUMBER + 1));
    }
}
