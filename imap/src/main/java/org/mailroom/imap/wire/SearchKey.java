package org.mailroom.imap.wire;

import java.time.LocalDate;
import java.util.List;

/**
 * A parsed {@code search-key} (RFC 9051 6.4.4, RFC 7162 3.1.5 MODSEQ). Keys that are shorthands are
 * normalised by the parser: {@code ANSWERED} is {@code Flag("\\Answered", true)}, {@code UNSEEN} is
 * {@code Flag("\\Seen", false)}, {@code FROM x} is {@code Header("From", x)}, a list {@code (a b)}
 * and the top-level key sequence are {@code And}, a bare sequence set is {@code Seq}.
 */
public sealed interface SearchKey {

    record All() implements SearchKey {}

    record And(List<SearchKey> keys) implements SearchKey {
        public And { keys = List.copyOf(keys); }
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {}

    record Not(SearchKey key) implements SearchKey {}

    /**
     * A system flag by its IMAP name ({@code \Seen}, {@code \Answered}, {@code \Flagged},
     * {@code \Deleted}, {@code \Draft}); {@code set=false} for the UN- forms.
     */
    record Flag(String name, boolean set) implements SearchKey {}

    /** {@code KEYWORD x} / {@code UNKEYWORD x}. */
    record Keyword(String keyword, boolean set) implements SearchKey {}

    /** {@code NEW} (recent and unseen), {@code OLD} (not recent), {@code RECENT} (RFC 3501). */
    enum Recent implements SearchKey { NEW, OLD, RECENT }

    /** Message sequence numbers (may be {@code $}, RFC 5182). */
    record Seq(SequenceSet set) implements SearchKey {}

    /** {@code UID set} (may be {@code $}). */
    record Uid(SequenceSet set) implements SearchKey {}

    /**
     * {@code HEADER name value}, and FROM/TO/CC/BCC/SUBJECT: the field contains {@code value}
     * (case-insensitive substring of the decoded field; an empty value matches any message that
     * has the field).
     */
    record Header(String field, String value) implements SearchKey {}

    /** {@code BODY x}: the decoded body text contains {@code x}. */
    record Body(String text) implements SearchKey {}

    /** {@code TEXT x}: the header or the decoded body contains {@code x}. */
    record Text(String text) implements SearchKey {}

    enum DateField { INTERNAL, SENT }

    enum DateOp { BEFORE, ON, SINCE }

    /**
     * BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (the Date: field), compared
     * by date only, disregarding time and timezone (RFC 9051 6.4.4).
     */
    record Date(DateField field, DateOp op, LocalDate date) implements SearchKey {}

    /** {@code LARGER n} ({@code larger=true}) or {@code SMALLER n}, by RFC822.SIZE. */
    record Size(boolean larger, long octets) implements SearchKey {}

    /** {@code MODSEQ [entry type] n} (RFC 7162 3.1.5): the message's mod-sequence is at least n. */
    record ModSeq(long modSeq) implements SearchKey {}
}
