package org.mailroom.imap.search;

/**
 * Case folding for SEARCH text comparison, in the spirit of {@code i;unicode-casemap} (RFC 5051),
 * the comparator RFC 9051 6.4.4 names as the default for SEARCH.
 *
 * <p>Each code point is mapped to {@code toLowerCase(toUpperCase(cp))}: one code point in, one
 * out, so {@code ς} and {@code σ} and {@code Σ} all fold to {@code σ}, {@code ſ} folds to {@code s},
 * and the length never changes (unlike {@link String#toLowerCase}, which turns {@code İ} into two
 * code points).
 *
 * <p>XXX RFC 5051 also decomposes (NFKD) and titlecases; we do not normalise, so a precomposed
 * {@code é} and {@code e}+U+0301 do not match each other. Clients send NFC in practice.
 */
final class CaseFold {

    private CaseFold() {}

    static int fold(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    /** The folded form of {@code s}; {@code s} itself when nothing changes. */
    static String fold(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n);
        sb.append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            sb.appendCodePoint(fold(cp));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }
}
