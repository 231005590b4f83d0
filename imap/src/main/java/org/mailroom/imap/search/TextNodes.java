package org.mailroom.imap.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.mailroom.imap.wire.SearchKey;

/** The search nodes that read the message: header fields, the Date: field, body and text. */
final class TextNodes {

    private TextNodes() {}

    /**
     * HEADER (and FROM, TO, CC, BCC, SUBJECT): RFC 9051 6.4.4, some field of that name whose text
     * after the colon contains the string; an empty string matches any message with the field.
     */
    static final class Header extends SearchNode {
        final byte[] lowerName;
        final Needle needle;

        Header(String field, String value) {
            this.lowerName = field.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            this.needle = new Needle(value);
        }

        @Override int cost() { return COST_HEADER; }

        @Override boolean eval(SearchMatcher m) throws IOException {
            m.ensureHeader();
            byte[] b = m.bytes();
            int end = m.headerEnd();
            int[] f = m.field();
            int pos = 0;
            while ((pos = HeaderFields.next(b, pos, end, f)) >= 0) {
                if (!HeaderFields.nameIs(b, f[0], f[1], lowerName)) {
                    continue;
                }
                if (needle.isEmpty()) {
                    return true;
                }
                int vs = f[2];
                int ve = f[3];
                if (needle.ascii != null && !HeaderFields.mayHaveEncodedWords(b, vs, ve)
                        && !needle.hasWhitespace) {
                    // No encoded-words and no WSP in the needle: a hit cannot span a fold, and
                    // the raw octets are the text.
                    if (needle.indexIn(b, vs, ve) >= 0) {
                        return true;
                    }
                } else if (needle.in(HeaderFields.value(b, vs, ve))) {
                    return true;
                }
            }
            return false;
        }

        @Override public String toString() {
            return "HEADER " + new String(lowerName, StandardCharsets.UTF_8) + " \"" + needle.text + "\"";
        }
    }

    /**
     * SENTBEFORE/SENTON/SENTSINCE: the date written in the first Date: field (RFC 9051 6.4.4,
     * "disregarding time and timezone"). Without a readable Date: the internal date's calendar
     * date in the search zone stands in. XXX RFC 9051 does not say what a message without a
     * usable Date: matches; we follow RFC 5256 2.2, which makes the INTERNALDATE the sent date of
     * such a message for SORT, so SEARCH SENTSINCE and SORT (DATE) agree.
     */
    static final class Sent extends SearchNode {
        private static final byte[] DATE = {'d', 'a', 't', 'e'};
        final SearchKey.DateOp op;
        final LocalDate date;
        final ZoneId zone;

        Sent(SearchKey.DateOp op, LocalDate date, ZoneId zone) {
            this.op = op;
            this.date = date;
            this.zone = zone;
        }

        @Override int cost() { return COST_HEADER; }

        @Override boolean eval(SearchMatcher m) throws IOException {
            m.ensureHeader();
            byte[] b = m.bytes();
            int[] f = m.field();
            int pos = 0;
            LocalDate sent = null;
            while ((pos = HeaderFields.next(b, pos, m.headerEnd(), f)) >= 0) {
                if (HeaderFields.nameIs(b, f[0], f[1], DATE)) {
                    sent = SentDate.parse(HeaderFields.value(b, f[2], f[3]));
                    break; // RFC 5322 3.6: exactly one Date:; read the first
                }
            }
            if (sent == null) {
                sent = m.candidate().internalDate().atZone(zone).toLocalDate();
            }
            return compare(op, sent, date);
        }

        @Override public String toString() { return "SENT" + op + " " + date; }
    }

    /** BODY: RFC 9051 6.4.4, the body text contains the string ({@link MessageText}). */
    static final class Body extends SearchNode {
        final Needle needle;

        Body(String text) {
            this.needle = new Needle(text);
        }

        @Override int cost() { return COST_MESSAGE; }

        @Override boolean eval(SearchMatcher m) throws IOException {
            if (needle.isEmpty()) {
                return true;
            }
            m.ensureMessage();
            return m.text().bodyContains(m.bytes(), m.length(), needle, false);
        }

        @Override public String toString() { return "BODY \"" + needle.text + "\""; }
    }

    /**
     * TEXT: RFC 9051 6.4.4, the header "(including MIME header fields)", here the header blocks of
     * all MIME parts, or the body text contains the string.
     */
    static final class Text extends SearchNode {
        final Needle needle;

        Text(String text) {
            this.needle = new Needle(text);
        }

        @Override int cost() { return COST_MESSAGE; }

        @Override boolean eval(SearchMatcher m) throws IOException {
            if (needle.isEmpty()) {
                return true;
            }
            m.ensureMessage();
            byte[] b = m.bytes();
            return m.text().headerContains(b, 0, m.headerEnd(), needle)
                    || m.text().bodyContains(b, m.length(), needle, true);
        }

        @Override public String toString() { return "TEXT \"" + needle.text + "\""; }
    }
}
