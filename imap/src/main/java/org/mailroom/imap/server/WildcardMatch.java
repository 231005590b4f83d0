package org.mailroom.imap.server;

/**
 * LIST patterns (RFC 9051 6.3.9): {@code *} matches any characters, {@code %} any but the hierarchy
 * delimiter {@code /}. INBOX (as the first level) matches case-insensitively. Linear in the name
 * for each pattern character (a table, no backtracking), so hostile patterns cost nothing extra.
 */
final class WildcardMatch {
    private WildcardMatch() {}

    static boolean matches(String pattern, String name) {
        if (name.equals("INBOX") || name.startsWith("INBOX/")) {
            if (pattern.length() >= 5 && pattern.substring(0, 5).equalsIgnoreCase("INBOX")) {
                pattern = "INBOX" + pattern.substring(5);
            }
        }
        int n = name.length(), m = pattern.length();
        // can[j]: pattern[0..i) matches name[0..j)
        boolean[] can = new boolean[n + 1], next = new boolean[n + 1];
        can[0] = true;
        for (int i = 0; i < m; i++) {
            char p = pattern.charAt(i);
            java.util.Arrays.fill(next, false);
            if (p == '*' || p == '%') {
                boolean reach = false;
                for (int j = 0; j <= n; j++) {
                    if (can[j]) reach = true;
                    else if (p == '%' && j > 0 && name.charAt(j - 1) == '/') reach = false;
                    next[j] = reach;
                }
            } else {
                for (int j = 0; j < n; j++) if (can[j] && name.charAt(j) == p) next[j + 1] = true;
            }
            boolean[] t = can;
            can = next;
            next = t;
        }
        return can[n];
    }
}
