package org.mailroom.imap.search;

import java.nio.charset.StandardCharsets;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Header blocks as byte ranges (RFC 5322 2.2): finding the end of a header, walking its fields
 * without allocating, and turning one field value into searchable text. Line ends may be LF (how
 * the store keeps messages) or CRLF (files written by other tools); both are accepted everywhere.
 */
final class HeaderFields {

    /** Indexes into the {@code int[4]} that {@link #next} fills. */
    static final int NAME_START = 0;
    static final int NAME_END = 1;
    static final int VALUE_START = 2;
    static final int VALUE_END = 3;

    private HeaderFields() {}

    /**
     * Where the body of the entity starting at {@code from} begins: just after the empty line that
     * ends the header (RFC 5322 2.1), or -1 if there is none before {@code to}.
     */
    static int bodyStart(byte[] b, int from, int to) {
        int pos = from;
        while (pos < to) {
            byte c = b[pos];
            if (c == '\n') {
                return pos + 1;
            }
            if (c == '\r' && pos + 1 < to && b[pos + 1] == '\n') {
                return pos + 2;
            }
            int nl = indexOfLf(b, pos, to);
            if (nl < 0) {
                return -1;
            }
            pos = nl + 1;
        }
        return -1;
    }

    static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds the next field at or after {@code pos} in the header block {@code b[pos, end)}, where
     * {@code end} is the body start (or the end of the data). Lines without a colon are skipped, as
     * is a continuation line at the start. Fills {@code out} (name range, value range; the value
     * runs from after the colon to before the line end of its last continuation line, folds
     * included).
     *
     * @return the position after the field, or -1 when no field is left
     */
    static int next(byte[] b, int pos, int end, int[] out) {
        while (pos < end) {
            byte c = b[pos];
            if (c == '\n' || (c == '\r' && pos + 1 < end && b[pos + 1] == '\n')) {
                return -1; // the empty line: end of header
            }
            int lineEnd = indexOfLf(b, pos, end);
            int stop = lineEnd < 0 ? end : lineEnd;
            int colon = -1;
            if (c != ' ' && c != '\t') {
                for (int i = pos; i < stop; i++) {
                    if (b[i] == ':') {
                        colon = i;
                        break;
                    }
                }
            }
            if (colon < 0) {
                pos = lineEnd < 0 ? end : lineEnd + 1;
                continue;
            }
            int nameEnd = colon;
            while (nameEnd > pos && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--; // obs-optional (RFC 5322 4.5.3): WSP before the colon
            }
            // RFC 5322 2.2.3: the field goes on while the next line begins with WSP.
            int next = lineEnd < 0 ? end : lineEnd + 1;
            while (next < end && (b[next] == ' ' || b[next] == '\t')) {
                int nl = indexOfLf(b, next, end);
                next = nl < 0 ? end : nl + 1;
            }
            int valueEnd = next;
            if (valueEnd > colon + 1 && b[valueEnd - 1] == '\n') {
                valueEnd--;
            }
            if (valueEnd > colon + 1 && b[valueEnd - 1] == '\r') {
                valueEnd--;
            }
            out[NAME_START] = pos;
            out[NAME_END] = nameEnd;
            out[VALUE_START] = colon + 1;
            out[VALUE_END] = valueEnd;
            return next;
        }
        return -1;
    }

    /** Whether {@code b[start, end)} is {@code lowerName} ignoring ASCII case. */
    static boolean nameIs(byte[] b, int start, int end, byte[] lowerName) {
        if (end - start != lowerName.length) {
            return false;
        }
        for (int i = 0; i < lowerName.length; i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The field value as text: unfolded (RFC 5322 2.2.3: CR and LF removed, the WSP kept), the
     * octets read as UTF-8 (RFC 6532; invalid octets become U+FFFD), leading WSP dropped, and
     * RFC 2047 encoded-words decoded by Mime4j.
     */
    static String value(byte[] b, int start, int end) {
        return value(b, start, end, false);
    }

    /** {@link #value(byte[], int, int)}, keeping leading WSP if asked (TEXT sees the field as written). */
    static String value(byte[] b, int start, int end, boolean keepLeadingSpace) {
        byte[] copy = new byte[end - start];
        int n = 0;
        boolean encoded = false;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (n == 0 && !keepLeadingSpace && (c == ' ' || c == '\t')) {
                continue;
            }
            if (c == '?' && n > 0 && copy[n - 1] == '=') {
                encoded = true;
            }
            copy[n++] = c;
        }
        String s = new String(copy, 0, n, StandardCharsets.UTF_8);
        // RFC 2047 6.1: encoded-words are decoded for display; adjacent ones join without the WSP.
        return encoded ? DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT) : s;
    }

    /** Whether {@code b[from, to)} contains "=?", the start of an RFC 2047 encoded-word. */
    static boolean mayHaveEncodedWords(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '=' && b[i + 1] == '?') {
                return true;
            }
        }
        return false;
    }
}
