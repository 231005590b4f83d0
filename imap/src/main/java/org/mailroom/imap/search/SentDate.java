package org.mailroom.imap.search;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The calendar date written in a Date: field (RFC 5322 3.3), for SENTBEFORE/SENTON/SENTSINCE,
 * which compare "disregarding time and timezone" (RFC 9051 6.4.4): the day, month and year as
 * the sender wrote them, not converted to any zone.
 *
 * <p>Lenient: comments and the day of week are ignored; obsolete forms are accepted (RFC 5322
 * 4.3: two- and three-digit years, any zone); so are the month-first asctime form
 * ({@code Tue Jan  9 23:40:00 2001}) and ISO 8601 ({@code 2001-01-09...}) that broken clients
 * write. Anything else is "no date".
 */
final class SentDate {

    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";
    private static final int MAX_TOKENS = 12;

    private SentDate() {}

    /** The date, or {@code null} if none can be read. */
    static LocalDate parse(String value) {
        String[] tokens = new String[MAX_TOKENS];
        int count = tokenize(value, tokens);
        int monthAt = -1;
        int month = 0;
        for (int i = 0; i < count; i++) {
            month = month(tokens[i]);
            if (month > 0) {
                monthAt = i;
                break;
            }
        }
        try {
            if (monthAt < 0) {
                return iso(tokens, count);
            }
            // RFC 5322 3.3: day month year.
            if (monthAt > 0 && isNumber(tokens[monthAt - 1], 1, 2) && monthAt + 1 < count
                    && isNumber(tokens[monthAt + 1], 2, 4)) {
                return LocalDate.of(year(tokens[monthAt + 1]), month,
                        Integer.parseInt(tokens[monthAt - 1]));
            }
            // asctime: month day [time] year.
            if (monthAt + 1 < count && isNumber(tokens[monthAt + 1], 1, 2)) {
                int day = Integer.parseInt(tokens[monthAt + 1]);
                for (int i = monthAt + 2; i < count; i++) {
                    if (isNumber(tokens[i], 4, 4)) {
                        return LocalDate.of(Integer.parseInt(tokens[i]), month, day);
                    }
                }
            }
        } catch (DateTimeException e) {
            return null; // 31 Feb and the like
        }
        return null;
    }

    private static LocalDate iso(String[] tokens, int count) {
        if (count >= 3 && isNumber(tokens[0], 4, 4) && isNumber(tokens[1], 1, 2)
                && isNumber(tokens[2], 1, 2)) {
            return LocalDate.of(Integer.parseInt(tokens[0]), Integer.parseInt(tokens[1]),
                    Integer.parseInt(tokens[2]));
        }
        return null;
    }

    /** RFC 5322 4.3: 00-49 are 2000-2049, 50-99 are 1950-1999, three digits add 1900. */
    private static int year(String token) {
        int y = Integer.parseInt(token);
        if (token.length() == 2) {
            return y < 50 ? 2000 + y : 1900 + y;
        }
        if (token.length() == 3) {
            return 1900 + y;
        }
        return y;
    }

    /** Month 1-12 for an English month name or its three-letter form; 0 otherwise. */
    private static int month(String token) {
        if (token.length() < 3 || !Character.isLetter(token.charAt(0))) {
            return 0;
        }
        String head = token.substring(0, 3).toLowerCase(java.util.Locale.ROOT);
        int at = MONTHS.indexOf(head);
        return at >= 0 && at % 3 == 0 ? at / 3 + 1 : 0;
    }

    private static boolean isNumber(String t, int minLen, int maxLen) {
        if (t.length() < minLen || t.length() > maxLen) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Splits into runs of ASCII letters or of digits, dropping comments and everything else. */
    private static int tokenize(String s, String[] out) {
        int count = 0;
        int depth = 0;
        int i = 0;
        int n = s.length();
        while (i < n && count < out.length) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
                i++;
            } else if (c == '\\' && depth > 0) {
                i += 2;
            } else if (depth == 0 && isDigit(c)) {
                int start = i;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                out[count++] = s.substring(start, i);
            } else if (depth == 0 && isLetter(c)) {
                int start = i;
                while (i < n && isLetter(s.charAt(i))) {
                    i++;
                }
                out[count++] = s.substring(start, i);
            } else {
                i++;
            }
        }
        return count;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
