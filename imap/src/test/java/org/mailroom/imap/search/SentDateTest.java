package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mailroom.imap.wire.SearchKey;

class SentDateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // RFC 5322 A.1.1 and A.1.2
        "Fri, 21 Nov 1997 09:55:06 -0600|1997-11-21",
        "Tue, 1 Jul 2003 10:52:37 +0200|2003-07-01",
        // RFC 5322 A.6.3 (obsolete: comments, spaces, two-digit year)
        "21 Nov 97 09(comment):   55  :  06 -0600|1997-11-21",
        "Tue,  9 Jan 01 23:40:00 EST|2001-01-09",
        "Mon, 12 Jul 49 18:32:01 GMT|2049-07-12",
        "Mon, 12 Jul 50 18:32:01 GMT|1950-07-12",
        "9 Jan 101 00:00 +0000|2001-01-09",
        "Tue (weekday), 9 (nine) jan 2001 23:40:00 -0800|2001-01-09",
        "09 January 2001|2001-01-09",
        "Sunday, 31 December 2023 23:59:59 -1200|2023-12-31",
        "Tue Jan  9 23:40:00 2001|2001-01-09",
        "2001-01-09T23:40:00Z|2001-01-09",
    })
    void readsTheWrittenCalendarDate(String value, LocalDate expected) {
        assertEquals(expected, SentDate.parse(value));
    }

    @Test
    void rfc5322ObsoleteFoldedExample() {
        // RFC 5322 A.6.3 (the value as unfolding leaves it).
        assertEquals(LocalDate.of(1969, 2, 13), SentDate.parse(
                "Thu,      13        Feb          1969      23:32               -0330 (Newfoundland Time)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "31 Feb 2001 10:00", "Tue, 9 2001", "1234"})
    void unreadableDatesAreNull(String value) {
        assertNull(SentDate.parse(value));
    }

    private static boolean sent(SearchKey.DateOp op, LocalDate date, TestMessage m, ZoneId zone) throws IOException {
        return SearchProgram.compile(new SearchKey.Date(SearchKey.DateField.SENT, op, date), zone, SavedResult.EMPTY)
                .matches(m);
    }

    @Test
    void sentKeysIgnoreTheTimeAndZone() throws IOException {
        // 23:30 -0800 on the 10th is the 11th in UTC; RFC 9051 6.4.4 disregards time and timezone.
        TestMessage m = TestMessage.of("Date: Sun, 10 Mar 2024 23:30:00 -0800\nSubject: s\n\nx\n");
        LocalDate tenth = LocalDate.of(2024, 3, 10);
        LocalDate eleventh = LocalDate.of(2024, 3, 11);
        assertEquals(true, sent(SearchKey.DateOp.ON, tenth, m, ZoneOffset.UTC));
        assertEquals(false, sent(SearchKey.DateOp.ON, eleventh, m, ZoneOffset.UTC));
        assertEquals(true, sent(SearchKey.DateOp.BEFORE, eleventh, m, ZoneOffset.UTC));
        assertEquals(false, sent(SearchKey.DateOp.BEFORE, tenth, m, ZoneOffset.UTC));
        assertEquals(true, sent(SearchKey.DateOp.SINCE, tenth, m, ZoneOffset.UTC));
        assertEquals(false, sent(SearchKey.DateOp.SINCE, eleventh, m, ZoneOffset.UTC));
        assertEquals(0, m.messageOpens.get());
        assertEquals(3 * 2, m.headerOpens.get());
    }

    @Test
    void withoutAReadableDateTheInternalDateStandsIn() throws IOException {
        TestMessage missing = TestMessage.of("Subject: no date\n\nx\n");
        missing.internalDate = Instant.parse("2024-03-10T23:30:00Z");
        TestMessage broken = TestMessage.of("Date: the day after tomorrow\n\nx\n");
        broken.internalDate = Instant.parse("2024-03-10T23:30:00Z");
        for (TestMessage m : new TestMessage[] {missing, broken}) {
            assertEquals(true, sent(SearchKey.DateOp.ON, LocalDate.of(2024, 3, 10), m, ZoneOffset.UTC));
            // The internal date's calendar date is taken in the search zone.
            assertEquals(true, sent(SearchKey.DateOp.ON, LocalDate.of(2024, 3, 11), m, ZoneId.of("Europe/Berlin")));
        }
    }

    @Test
    void theFirstDateFieldCounts() throws IOException {
        TestMessage m = TestMessage.of("Date: 1 Jan 2020 00:00 +0000\nDate: 1 Jan 2030 00:00 +0000\n\nx\n");
        assertEquals(true, sent(SearchKey.DateOp.ON, LocalDate.of(2020, 1, 1), m, ZoneOffset.UTC));
    }
}
