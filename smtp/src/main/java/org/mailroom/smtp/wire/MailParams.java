package org.mailroom.smtp.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ESMTP parameters after a MAIL or RCPT path (RFC 5321 4.1.2):
 * <pre>
 * esmtp-param   = esmtp-keyword ["=" esmtp-value]
 * esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 * esmtp-value   = 1*(%d33-60 / %d62-126)
 * </pre>
 * Keywords are case-insensitive and kept upper-cased, in the order given; a keyword given twice is
 * a syntax error because the meaning would be ambiguous. Values are kept as written. Which keywords
 * are known is the session's business, not this class's.
 */
public final class MailParams {
    public static final MailParams NONE = new MailParams(Map.of());

    private final Map<String, String> params;

    private MailParams(Map<String, String> params) {
        this.params = params;
    }

    /** Parameters from an ordered map of keyword to value (null for a keyword without value). */
    public static MailParams of(Map<String, String> params) {
        Map<String, String> m = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            checkKeyword(k);
            if (v != null) checkValue(k, v);
            m.put(k.toUpperCase(Locale.ROOT), v);
        });
        return new MailParams(Collections.unmodifiableMap(m));
    }

    /**
     * Parses {@code SIZE=1000 BODY=8BITMIME}. Runs of spaces between parameters are tolerated.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MailParams parse(String s) {
        if (s.isBlank()) return NONE;
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : s.trim().split(" +")) {
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq);
            String v = eq < 0 ? null : p.substring(eq + 1);
            checkKeyword(k);
            if (v != null) checkValue(k, v);
            if (m.put(k.toUpperCase(Locale.ROOT), v) != null || m.size() > 32) {
                throw new IllegalArgumentException("duplicate or too many parameters");
            }
        }
        return new MailParams(Collections.unmodifiableMap(m));
    }

    private static void checkKeyword(String k) {
        if (k.isEmpty()) throw new IllegalArgumentException("empty parameter keyword");
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || c != '-')) throw new IllegalArgumentException("bad parameter keyword");
        }
    }

    private static void checkValue(String k, String v) {
        // TODO(#smtputf8) RFC 6531 3.3 allows UTF-8 in esmtp-value once SMTPUTF8 is offered
        if (v.isEmpty()) throw new IllegalArgumentException("empty value for " + k);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 33 || c > 126 || c == '=') throw new IllegalArgumentException("bad value for " + k);
        }
    }

    public boolean isEmpty() { return params.isEmpty(); }

    public boolean has(String keyword) { return params.containsKey(keyword.toUpperCase(Locale.ROOT)); }

    /** The value, or null when absent or given without value. */
    public String get(String keyword) { return params.get(keyword.toUpperCase(Locale.ROOT)); }

    /** Upper-cased keywords in the order given. */
    public Set<String> keywords() { return params.keySet(); }

    /** The parameters as sent after the path: " SIZE=1000 BODY=8BITMIME", or "" when none. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(' ').append(k).append(v == null ? "" : "=" + v));
        return b.toString();
    }

    @Override
    public String toString() { return encode().trim(); }

    @Override
    public boolean equals(Object o) { return o instanceof MailParams m && m.params.equals(params); }

    @Override
    public int hashCode() { return params.hashCode(); }
}
