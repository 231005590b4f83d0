package org.mailroom.smtp.wire;

/**
 * An RFC 3463 enhanced mail system status code, {@code class.subject.detail}. Constants are named
 * {@code X_<class>_<subject>_<detail>} so that {@code grep 5_1_1} finds them.
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    public EnhancedStatus {
        // RFC 3463 2: class is 2, 4 or 5; subject and detail are 1 to 3 digits
        if ((statusClass != 2 && statusClass != 4 && statusClass != 5)
                || subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("bad enhanced status " + statusClass + "." + subject + "." + detail);
        }
    }

    // RFC 3463 3.1, 3.2: other / undefined
    public static final EnhancedStatus X_2_0_0 = new EnhancedStatus(2, 0, 0);
    public static final EnhancedStatus X_4_0_0 = new EnhancedStatus(4, 0, 0);
    public static final EnhancedStatus X_5_0_0 = new EnhancedStatus(5, 0, 0);
    // RFC 3463 3.2: addressing status
    public static final EnhancedStatus X_2_1_0 = new EnhancedStatus(2, 1, 0);
    public static final EnhancedStatus X_5_1_1 = new EnhancedStatus(5, 1, 1);
    public static final EnhancedStatus X_5_1_3 = new EnhancedStatus(5, 1, 3);
    public static final EnhancedStatus X_2_1_5 = new EnhancedStatus(2, 1, 5);
    public static final EnhancedStatus X_5_1_7 = new EnhancedStatus(5, 1, 7);
    // RFC 3463 3.4: mail system status
    public static final EnhancedStatus X_4_3_0 = new EnhancedStatus(4, 3, 0);
    public static final EnhancedStatus X_4_3_2 = new EnhancedStatus(4, 3, 2);
    public static final EnhancedStatus X_5_3_4 = new EnhancedStatus(5, 3, 4);
    // RFC 3463 3.5: network and routing status
    public static final EnhancedStatus X_4_4_2 = new EnhancedStatus(4, 4, 2);
    // RFC 3463 3.6: mail delivery protocol status
    public static final EnhancedStatus X_2_5_2 = new EnhancedStatus(2, 5, 2);
    public static final EnhancedStatus X_4_5_0 = new EnhancedStatus(4, 5, 0);
    public static final EnhancedStatus X_4_5_3 = new EnhancedStatus(4, 5, 3);
    public static final EnhancedStatus X_5_5_0 = new EnhancedStatus(5, 5, 0);
    public static final EnhancedStatus X_5_5_1 = new EnhancedStatus(5, 5, 1);
    public static final EnhancedStatus X_5_5_2 = new EnhancedStatus(5, 5, 2);
    public static final EnhancedStatus X_5_5_4 = new EnhancedStatus(5, 5, 4);
    public static final EnhancedStatus X_5_5_6 = new EnhancedStatus(5, 5, 6);
    // RFC 3463 3.7: message content or media status; RFC 6531 3.5 adds 5.6.7
    public static final EnhancedStatus X_5_6_0 = new EnhancedStatus(5, 6, 0);
    public static final EnhancedStatus X_5_6_7 = new EnhancedStatus(5, 6, 7);
    // RFC 3463 3.8: security or policy status
    public static final EnhancedStatus X_2_7_0 = new EnhancedStatus(2, 7, 0);
    public static final EnhancedStatus X_4_7_0 = new EnhancedStatus(4, 7, 0);
    public static final EnhancedStatus X_5_7_0 = new EnhancedStatus(5, 7, 0);
    public static final EnhancedStatus X_5_7_1 = new EnhancedStatus(5, 7, 1);
    // RFC 4954 6 (registered by RFC 5248): credentials invalid, encryption needed for the mechanism
    public static final EnhancedStatus X_5_7_8 = new EnhancedStatus(5, 7, 8);
    public static final EnhancedStatus X_5_7_11 = new EnhancedStatus(5, 7, 11);

    /**
     * Parses {@code "5.1.1"}.
     *
     * @return the status, or null when {@code s} is null or not of the RFC 3463 form
     */
    public static EnhancedStatus parse(String s) {
        if (s == null) return null;
        String[] p = s.split("\\.", -1);
        if (p.length != 3) return null;
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            if (p[i].isEmpty() || p[i].length() > 3 || !p[i].chars().allMatch(c -> c >= '0' && c <= '9')) return null;
            n[i] = Integer.parseInt(p[i]);
        }
        if (p[0].length() != 1 || (n[0] != 2 && n[0] != 4 && n[0] != 5)) return null;
        return new EnhancedStatus(n[0], n[1], n[2]);
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
