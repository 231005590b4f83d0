package org.mailroom.imap.search;

/**
 * A lenient byte-level reader of Content-Type (RFC 2045 5.1) and Content-Transfer-Encoding
 * (RFC 2045 6.1) values, for {@link MessageText}. Comments and folds are skipped; an unquoted
 * parameter value runs to the next ';' or whitespace (real mail writes {@code boundary==_x}
 * unquoted). Only {@code boundary} and {@code charset} are reported.
 */
final class ContentType {

    private ContentType() {}

    /**
     * Parses {@code b[from, to)}; reports the media type, then the parameters, to {@code sink}.
     * An invalid value (no "type/subtype") reports nothing, which leaves the RFC 2045 5.2 default.
     */
    static void parse(byte[] b, int from, int to, MessageText sink) {
        int i = skipCfws(b, from, to);
        int typeStart = i;
        int typeEnd = tokenEnd(b, i, to);
        i = skipCfws(b, typeEnd, to);
        if (typeEnd == typeStart || i >= to || b[i] != '/') {
            return;
        }
        i = skipCfws(b, i + 1, to);
        int subStart = i;
        int subEnd = tokenEnd(b, i, to);
        if (subEnd == subStart) {
            return;
        }
        sink.mediaType(b, typeStart, typeEnd, subStart, subEnd);
        i = subEnd;
        while (true) {
            i = skipCfws(b, i, to);
            if (i >= to) {
                return;
            }
            if (b[i] != ';') {
                i++; // junk between parameters: skip it
                continue;
            }
            i = skipCfws(b, i + 1, to);
            int nameStart = i;
            int nameEnd = tokenEnd(b, i, to);
            i = skipCfws(b, nameEnd, to);
            if (i >= to || b[i] != '=') {
                continue;
            }
            i = skipCfws(b, i + 1, to);
            boolean isBoundary = equalsIgnoreCase(b, nameStart, nameEnd, "boundary");
            boolean isCharset = equalsIgnoreCase(b, nameStart, nameEnd, "charset");
            if (i < to && b[i] == '"') {
                int s = i + 1;
                int e = s;
                boolean escaped = false;
                while (e < to && b[e] != '"') {
                    if (b[e] == '\\' && e + 1 < to) {
                        escaped = true;
                        e++;
                    }
                    e++;
                }
                i = Math.min(e + 1, to);
                if (isBoundary) {
                    if (escaped) {
                        byte[] copy = unescape(b, s, e);
                        sink.boundary(copy, 0, copy.length);
                    } else {
                        sink.boundary(b, s, e - s);
                    }
                } else if (isCharset) {
                    sink.charset(s, e - s);
                }
            } else {
                int s = i;
                while (i < to && b[i] != ';' && b[i] != ' ' && b[i] != '\t' && b[i] != '\r'
                        && b[i] != '\n') {
                    i++;
                }
                if (isBoundary) {
                    sink.boundary(b, s, i - s);
                } else if (isCharset) {
                    sink.charset(s, i - s);
                }
            }
        }
    }

    private static byte[] unescape(byte[] b, int s, int e) {
        byte[] out = new byte[e - s];
        int n = 0;
        for (int i = s; i < e; i++) {
            if (b[i] == '\\' && i + 1 < e) {
                i++;
            }
            out[n++] = b[i];
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Skips whitespace, line breaks (folds) and comments (RFC 5322 3.2.2, nested, with quoting). */
    static int skipCfws(byte[] b, int i, int to) {
        while (i < to) {
            byte c = b[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                int depth = 0;
                while (i < to) {
                    c = b[i];
                    if (c == '\\') {
                        i++;
                    } else if (c == '(') {
                        depth++;
                    } else if (c == ')' && --depth == 0) {
                        i++;
                        break;
                    }
                    i++;
                }
            } else {
                break;
            }
        }
        return Math.min(i, to);
    }

    /** The end of an RFC 2045 token starting at {@code i}. */
    static int tokenEnd(byte[] b, int i, int to) {
        while (i < to) {
            int c = b[i] & 0xff;
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Whether {@code b[s, e)} equals the lower-case ASCII {@code lower}, ignoring case. */
    static boolean equalsIgnoreCase(byte[] b, int s, int e, String lower) {
        if (e - s != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = b[s + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
