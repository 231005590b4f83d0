package org.mailroom.delivery.queue;

/**
 * Queue ids as file names. The SMTP session makes 12-character base32 ids; the store accepts any
 * {@code [A-Za-z0-9]{6,32}} and nothing else, so an id can never name a path outside its directory
 * ({@code ../}, {@code /}, NUL) nor collide with the store's own suffixes.
 */
public final class QueueId {
    private QueueId() {}

    public static boolean isValid(String id) {
        if (id == null || id.length() < 6 || id.length() > 32) return false;
        for (int i = 0; i < id.length(); i++) { // [A-Za-z0-9]; a loop, not a regex: called per file operation
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) return false;
        }
        return true;
    }

    /** @throws IllegalArgumentException if {@code id} is not a valid queue id */
    public static String require(String id) {
        if (!isValid(id)) throw new IllegalArgumentException("not a queue id: " + printable(id));
        return id;
    }

    private static String printable(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
