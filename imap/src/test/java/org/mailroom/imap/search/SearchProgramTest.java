package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailroom.core.store.Flag;
import org.mailroom.imap.wire.ImapSyntaxException;
import org.mailroom.imap.wire.SearchKey;
import org.mailroom.imap.wire.SequenceSet;

/** Attribute keys, boolean structure, evaluation order and laziness. */
class SearchProgramTest {

    private static boolean matches(SearchKey key, TestMessage m) throws IOException {
        return SearchProgram.compile(key, ZoneOffset.UTC, SavedResult.EMPTY).matches(m);
    }

    private static SearchKey.And and(SearchKey... keys) {
        return new SearchKey.And(List.of(keys));
    }

    private static SequenceSet set(String s) throws ImapSyntaxException {
        return SequenceSet.parse(s);
    }

    @Test
    void allMatchesEverythingWithoutReading() throws IOException {
        TestMessage m = new TestMessage();
        assertTrue(matches(new SearchKey.All(), m));
        assertTrue(matches(and(), m));
        assertEquals(0, m.opens());
    }

    @ParameterizedTest
    @CsvSource({"\\Seen,SEEN", "\\Answered,ANSWERED", "\\Flagged,FLAGGED", "\\Deleted,DELETED",
        "\\Draft,DRAFT", "\\SEEN,SEEN", "\\flagged,FLAGGED"})
    void systemFlagsAndTheirUnForms(String imapName, Flag flag) throws IOException {
        TestMessage with = new TestMessage().flag(flag);
        TestMessage without = new TestMessage();
        assertTrue(matches(new SearchKey.Flag(imapName, true), with));
        assertFalse(matches(new SearchKey.Flag(imapName, true), without));
        assertFalse(matches(new SearchKey.Flag(imapName, false), with));
        assertTrue(matches(new SearchKey.Flag(imapName, false), without));
        assertEquals(0, with.opens() + without.opens());
    }

    @Test
    void keywordAndUnkeyword() throws IOException {
        TestMessage m = new TestMessage().keyword("$Important");
        assertTrue(matches(new SearchKey.Keyword("$Important", true), m));
        assertFalse(matches(new SearchKey.Keyword("$Junk", true), m));
        assertFalse(matches(new SearchKey.Keyword("$Important", false), m));
        assertTrue(matches(new SearchKey.Keyword("$Junk", false), m));
    }

    @Test
    void newOldRecent() throws IOException {
        TestMessage recentUnseen = new TestMessage();
        recentUnseen.recent = true;
        TestMessage recentSeen = new TestMessage().flag(Flag.SEEN);
        recentSeen.recent = true;
        TestMessage old = new TestMessage();
        // RFC 3501 6.4.4: NEW = RECENT UNSEEN, OLD = NOT RECENT.
        assertTrue(matches(SearchKey.Recent.NEW, recentUnseen));
        assertFalse(matches(SearchKey.Recent.NEW, recentSeen));
        assertFalse(matches(SearchKey.Recent.NEW, old));
        assertTrue(matches(SearchKey.Recent.RECENT, recentSeen));
        assertFalse(matches(SearchKey.Recent.RECENT, old));
        assertTrue(matches(SearchKey.Recent.OLD, old));
        assertFalse(matches(SearchKey.Recent.OLD, recentUnseen));
        assertTrue(matches(new SearchKey.Flag("\\Recent", true), recentSeen));
        assertTrue(matches(new SearchKey.Flag("\\Recent", false), old));
    }

    @ParameterizedTest
    @CsvSource({
        "1:3, 2, 10, true", "1:3, 4, 10, false", "'2,4:5', 4, 10, true", "'2,4:5', 3, 10, false",
        "*, 10, 10, true", "*, 9, 10, false", "8:*, 9, 10, true", "8:*, 7, 10, false",
        // RFC 9051 9: *:4 with 2 as the largest number is 2:4.
        "*:4, 3, 2, true", "*:4, 1, 2, false", "*, 1, 0, false"})
    void sequenceNumbersWithStar(String text, long seq, long largest, boolean expected) throws Exception {
        TestMessage m = new TestMessage().at(seq, 1000 + seq, largest, 1000 + largest);
        assertEquals(expected, matches(new SearchKey.Seq(set(text)), m));
    }

    @Test
    void starFollowsTheCandidatesLargestNumberOnAReusedProgram() throws Exception {
        SearchProgram p = SearchProgram.compile(new SearchKey.Uid(set("*")));
        SearchMatcher matcher = p.matcher();
        assertTrue(matcher.matches(new TestMessage().at(1, 7, 3, 7)));
        assertFalse(matcher.matches(new TestMessage().at(1, 7, 3, 9)));
        assertTrue(matcher.matches(new TestMessage().at(1, 9, 3, 9)));
        assertTrue(matcher.matches(new TestMessage().at(1, 7, 3, 7)));
    }

    @ParameterizedTest
    @CsvSource({"100:200, 150, true", "100:200, 99, false", "100:*, 500, true", "5, 5, true", "5, 6, false",
        // RFC 9051 6.4.8: 559:* includes the last UID even when 559 is above every UID.
        "559:*, 500, true", "559:*, 499, false"})
    void uids(String text, long uid, boolean expected) throws Exception {
        TestMessage m = new TestMessage().at(1, uid, 3, 500);
        assertEquals(expected, matches(new SearchKey.Uid(set(text)), m));
    }

    @Test
    void dollarIsTheSavedResultByUidForSequenceAndUidSets() throws Exception {
        // RFC 5182 2.1: "$" names the messages of the saved result, in SEARCH $ and UID SEARCH UID $.
        SavedResult saved = SavedResult.of(List.of(7L, 3L, 7L));
        SearchProgram seq = SearchProgram.compile(new SearchKey.Seq(set("$")), ZoneOffset.UTC, saved);
        SearchProgram uid = SearchProgram.compile(new SearchKey.Uid(set("$")), ZoneOffset.UTC, saved);
        TestMessage three = new TestMessage().at(1, 3, 5, 9);
        TestMessage five = new TestMessage().at(3, 5, 5, 9);
        TestMessage seven = new TestMessage().at(7, 8, 5, 9); // seq 7 is not uid 7
        assertTrue(seq.matches(three));
        assertTrue(uid.matches(three));
        assertFalse(seq.matches(five));
        assertFalse(uid.matches(seven));
        assertFalse(seq.matches(seven));
        assertEquals(2, saved.size());
        // RFC 5182 2.1: with no saved result $ is the empty set.
        assertFalse(SearchProgram.compile(new SearchKey.Uid(set("$"))).matches(three));
    }

    @Test
    void usesSavedResultFindsDollarAtAnyDepth() throws Exception {
        assertTrue(SearchProgram.usesSavedResult(new SearchKey.Seq(set("$"))));
        assertTrue(SearchProgram.usesSavedResult(and(new SearchKey.All(),
                new SearchKey.Not(new SearchKey.Or(new SearchKey.Text("x"), new SearchKey.Uid(set("$")))))));
        assertFalse(SearchProgram.usesSavedResult(and(new SearchKey.Uid(set("1:*")), new SearchKey.Body("$"))));
    }

    @Test
    void largerAndSmallerAreStrict() throws IOException {
        TestMessage m = new TestMessage();
        m.size = 1000;
        assertTrue(matches(new SearchKey.Size(true, 999), m));
        assertFalse(matches(new SearchKey.Size(true, 1000), m));
        assertTrue(matches(new SearchKey.Size(false, 1001), m));
        assertFalse(matches(new SearchKey.Size(false, 1000), m));
    }

    @Test
    void modSeqIsAtLeast() throws IOException {
        TestMessage m = new TestMessage();
        m.modSeq = 620162338L;
        // RFC 7162 3.1.5: mod-sequence equal to or greater than the argument.
        assertTrue(matches(new SearchKey.ModSeq(620162338L), m));
        assertTrue(matches(new SearchKey.ModSeq(1), m));
        assertFalse(matches(new SearchKey.ModSeq(620162339L), m));
    }

    @ParameterizedTest
    @CsvSource({
        "2024-03-10T00:00:00Z, BEFORE, 2024-03-10, false", "2024-03-09T23:59:59Z, BEFORE, 2024-03-10, true",
        "2024-03-10T00:00:00Z, ON, 2024-03-10, true", "2024-03-10T23:59:59Z, ON, 2024-03-10, true",
        "2024-03-11T00:00:00Z, ON, 2024-03-10, false", "2024-03-10T00:00:00Z, SINCE, 2024-03-10, true",
        "2024-03-09T23:59:59Z, SINCE, 2024-03-10, false"})
    void internalDateComparesTheCalendarDateInTheZone(Instant at, SearchKey.DateOp op, LocalDate date,
            boolean expected) throws IOException {
        TestMessage m = new TestMessage();
        m.internalDate = at;
        assertEquals(expected, matches(new SearchKey.Date(SearchKey.DateField.INTERNAL, op, date), m));
        assertEquals(0, m.opens());
    }

    @Test
    void theZoneDecidesTheInternalCalendarDate() throws IOException {
        TestMessage m = new TestMessage();
        m.internalDate = Instant.parse("2024-03-10T23:30:00Z"); // 11 March in Berlin
        SearchKey on10 = new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON, LocalDate.of(2024, 3, 10));
        assertTrue(SearchProgram.compile(on10, ZoneOffset.UTC, SavedResult.EMPTY).matches(m));
        assertFalse(SearchProgram.compile(on10, ZoneId.of("Europe/Berlin"), SavedResult.EMPTY).matches(m));
        // A 23-hour DST day: 31 March 2024 in Berlin runs 22:00Z (30th) to 22:00Z (31st).
        SearchKey on31 = new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON, LocalDate.of(2024, 3, 31));
        m.internalDate = Instant.parse("2024-03-31T21:59:59Z");
        assertTrue(SearchProgram.compile(on31, ZoneId.of("Europe/Berlin"), SavedResult.EMPTY).matches(m));
        m.internalDate = Instant.parse("2024-03-31T22:00:00Z");
        assertFalse(SearchProgram.compile(on31, ZoneId.of("Europe/Berlin"), SavedResult.EMPTY).matches(m));
    }

    @Test
    void orNotAndNesting() throws IOException {
        TestMessage seenFlagged = new TestMessage().flag(Flag.SEEN, Flag.FLAGGED);
        TestMessage seen = new TestMessage().flag(Flag.SEEN);
        TestMessage none = new TestMessage();
        SearchKey seenKey = new SearchKey.Flag("\\Seen", true);
        SearchKey flaggedKey = new SearchKey.Flag("\\Flagged", true);
        SearchKey or = new SearchKey.Or(flaggedKey, new SearchKey.Not(seenKey));
        assertTrue(matches(or, seenFlagged));
        assertFalse(matches(or, seen));
        assertTrue(matches(or, none));
        SearchKey nested = and(seenKey, new SearchKey.Not(new SearchKey.Or(flaggedKey, new SearchKey.Flag("\\Deleted", true))));
        assertFalse(matches(nested, seenFlagged));
        assertTrue(matches(nested, seen));
        assertFalse(matches(nested, none));
        assertTrue(matches(new SearchKey.Not(new SearchKey.Not(seenKey)), seen));
        assertFalse(matches(new SearchKey.Not(new SearchKey.All()), seen));
        SearchKey deepOr = new SearchKey.Or(new SearchKey.Or(new SearchKey.Flag("\\Draft", true), flaggedKey),
                new SearchKey.Or(new SearchKey.Flag("\\Deleted", true), new SearchKey.Size(true, 5000)));
        assertTrue(matches(deepOr, seenFlagged));
        assertFalse(matches(deepOr, seen));
    }

    @Test
    void rfc9051ExampleFlaggedSinceNotFromSmith() throws IOException {
        // RFC 9051 6.4.4 example: SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith".
        SearchKey key = and(new SearchKey.Flag("\\Flagged", true),
                new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE, LocalDate.of(1994, 2, 1)),
                new SearchKey.Not(new SearchKey.Header("From", "Smith")));
        TestMessage fromSmith = TestMessage.of("From: John Smith <js@example.com>\n\nhi\n").flag(Flag.FLAGGED);
        TestMessage fromJones = TestMessage.of("From: Ann Jones <aj@example.com>\n\nhi\n").flag(Flag.FLAGGED);
        TestMessage unflagged = TestMessage.of("From: Ann Jones <aj@example.com>\n\nhi\n");
        TestMessage old = TestMessage.of("From: Ann Jones <aj@example.com>\n\nhi\n").flag(Flag.FLAGGED);
        old.internalDate = Instant.parse("1994-01-31T12:00:00Z");
        assertFalse(matches(key, fromSmith));
        assertTrue(matches(key, fromJones));
        assertFalse(matches(key, unflagged));
        assertFalse(matches(key, old));
        assertEquals(0, unflagged.opens() + old.opens(), "decided by flag and date without the header");
        // RFC 9051 6.4.4 example: SEARCH TEXT "string not in mailbox".
        assertFalse(matches(new SearchKey.Text("string not in mailbox"), fromJones));
    }

    @Test
    void cheapKeysDecideBeforeTheBodyIsRead() throws IOException {
        // The body key is written first; the flag decides, so the message is never opened.
        SearchKey key = and(new SearchKey.Body("anything"), new SearchKey.Flag("\\Flagged", true));
        TestMessage unflagged = TestMessage.of("Subject: x\n\nanything\n");
        assertFalse(matches(key, unflagged));
        assertEquals(0, unflagged.opens());
        TestMessage flagged = TestMessage.of("Subject: x\n\nanything\n").flag(Flag.FLAGGED);
        assertTrue(matches(key, flagged));
        assertEquals(1, flagged.messageOpens.get());

        SearchKey or = new SearchKey.Or(new SearchKey.Text("zzz"), new SearchKey.Flag("\\Seen", true));
        TestMessage seen = TestMessage.of("Subject: x\n\nbody\n").flag(Flag.SEEN);
        assertTrue(matches(or, seen));
        assertEquals(0, seen.opens());

        SearchKey not = and(new SearchKey.Not(new SearchKey.Body("x")), new SearchKey.Uid(SequenceSet.of(5, 6)));
        TestMessage uid1 = TestMessage.of("Subject: x\n\nbody\n");
        assertFalse(matches(not, uid1));
        assertEquals(0, uid1.opens());
    }

    @Test
    void headerKeysReadOnlyTheHeaderAndOnlyOnce() throws IOException {
        SearchKey key = and(new SearchKey.Header("Subject", "hello"), new SearchKey.Header("From", "alice"),
                new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateOp.SINCE, LocalDate.of(2020, 1, 1)));
        TestMessage m = TestMessage.of("From: Alice <a@example.com>\nSubject: Hello there\n"
                + "Date: Mon, 2 Mar 2020 10:00:00 +0000\n\nbody\n");
        assertTrue(matches(key, m));
        assertEquals(1, m.headerOpens.get());
        assertEquals(0, m.messageOpens.get());
    }

    @Test
    void headerThenBodyReadsTheMessageOnce() throws IOException {
        SearchKey key = and(new SearchKey.Text("body"), new SearchKey.Header("Subject", "hello"));
        TestMessage m = TestMessage.of("Subject: Hello\n\nthe body\n");
        assertTrue(matches(key, m));
        assertEquals(1, m.headerOpens.get());
        assertEquals(1, m.messageOpens.get());
        TestMessage other = TestMessage.of("Subject: Goodbye\n\nthe body\n");
        assertFalse(matches(key, other));
        assertEquals(0, other.messageOpens.get(), "the subject decided");
    }

    @Test
    void operandsAreOrderedByCostAndConstantsFolded() throws Exception {
        SearchKey key = and(new SearchKey.Text("t"), new SearchKey.Header("Subject", "s"),
                new SearchKey.Flag("\\Seen", true), new SearchKey.All(),
                new SearchKey.Or(new SearchKey.Body("b"), new SearchKey.Uid(set("1:5"))));
        SearchProgram p = SearchProgram.compile(key);
        assertEquals("AND[SEEN, HEADER subject \"s\", TEXT \"t\", OR[UID 1:5, BODY \"b\"]]", p.toString());
        assertTrue(p.readsHeader());
        assertTrue(p.readsMessage());
        SearchProgram cheap = SearchProgram.compile(and(new SearchKey.Flag("\\Seen", true), new SearchKey.Size(true, 3)));
        assertFalse(cheap.readsHeader());
        assertFalse(cheap.readsMessage());
        assertEquals("FALSE", SearchProgram.compile(and(new SearchKey.Not(new SearchKey.All()), new SearchKey.Text("x"))).toString());
    }

    @Test
    void ioErrorsOfTheCandidateReachTheCaller() {
        TestMessage gone = new TestMessage() {
            @Override
            public java.io.InputStream openMessage() throws IOException {
                throw new java.nio.file.NoSuchFileException("expunged");
            }
        };
        org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
                () -> matches(new SearchKey.Body("x"), gone));
    }
}
