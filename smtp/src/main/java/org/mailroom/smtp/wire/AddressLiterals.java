package org.mailroom.smtp.wire;

/**
 * Syntax of the address literals of RFC 5321 4.1.3, checked by hand so that nothing ever
 * reaches {@code InetAddress.getByName} (which would resolve a bad literal through DNS).
 */
final class AddressLiterals {
    private AddressLiterals() {}

    /** IPv4-address-literal = Snum 3("." Snum), Snum = 1*3DIGIT, 0 to 255. */
    static boolean ipv4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) return false;
        for (String n : p) {
            if (n.isEmpty() || n.length() > 3 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (Integer.parseInt(n) > 255) return false;
        }
        return true;
    }

    /** IPv6-addr of RFC 5321 4.1.3: full, compressed ("::"), and with a trailing IPv4 part. */
    static boolean ipv6(String s) {
        int groups = 8;
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) { // IPv6v4-full / IPv6v4-comp
            if (!ipv4(s.substring(lastColon + 1))) return false;
            s = s.substring(0, lastColon + 1) + "0"; // stand-in group for the IPv4 part
            groups = 7;
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) return false;
        if (dc < 0) return hexGroups(s) == groups;
        String head = s.substring(0, dc);
        String tail = s.substring(dc + 2);
        int h = head.isEmpty() ? 0 : hexGroups(head);
        int t = tail.isEmpty() ? 0 : hexGroups(tail);
        // RFC 5321 4.1.3: IPv6-comp leaves out at least one group; at most 6 remain (5 with IPv4)
        return h >= 0 && t >= 0 && h + t <= groups - 2;
    }

    /** Number of colon-separated 1*4HEXDIG groups, or -1. */
    private static int hexGroups(String s) {
        String[] p = s.split(":", -1);
        for (String g : p) {
            if (g.isEmpty() || g.length() > 4) return -1;
            for (int i = 0; i < g.length(); i++) if (Character.digit(g.charAt(i), 16) < 0) return -1;
        }
        return p.length;
    }

    /** General-address-literal = Standardized-tag ":" 1*dcontent (dcontent = %d33-90 / %d94-126). */
    static boolean general(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) return false;
        for (int i = 0; i < colon; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126 || (c >= 91 && c <= 93)) return false;
        }
        return true;
    }
}
