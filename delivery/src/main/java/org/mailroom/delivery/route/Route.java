package org.mailroom.delivery.route;

/** The routing decision for one recipient address, after alias expansion. */
public sealed interface Route {

    /** A local account; {@code account} is its canonical address (plus tag removed). */
    record Local(String account) implements Route {}

    /** A local domain without such an account or alias (RFC 3463 5.1.1). */
    record UnknownLocal(String address) implements Route {}

    /** Any other domain: the queue delivers it. */
    record Remote(String address, String domain) implements Route {}

    /**
     * An alias target that is not delivered: a command, a file, an include, or an expansion that
     * loops or nests too deep. {@code reason} says which, for the log and the bounce.
     */
    record Refused(String target, String reason) implements Route {}

    /**
     * A {@code |command} or {@code /file} target of a Unix user's {@code ~/.forward}, to be run or
     * written as that user ({@code local.forwardPrograms}, issue 8). {@code account} is the user's
     * {@code user@<hostname>}; {@code target} starts with {@code |} (the rest is a shell command)
     * or {@code /} (a file to append to).
     *
     * <p>In the queue such a recipient is written as {@link #queueAddress()},
     * {@code ~user:|command} or {@code ~user:/file}: a Unix name holds no {@code :}, and no
     * address a client can give starts that way (RFC 5321 4.1.2: {@code :} is not in an unquoted
     * local part), so the form cannot be forged through RCPT.
     */
    record UserTarget(String account, String target) implements Route {
        public UserTarget {
            if (target.isEmpty() || (target.charAt(0) != '|' && target.charAt(0) != '/')) {
                throw new IllegalArgumentException("not a command or file target: " + target);
            }
        }

        /** The Unix user: {@code account}'s local part. */
        public String user() {
            return account.substring(0, account.lastIndexOf('@'));
        }

        public boolean isCommand() {
            return target.charAt(0) == '|';
        }

        /** The command without its {@code |}, or the file's path. */
        public String value() {
            return isCommand() ? target.substring(1).strip() : target;
        }

        public String queueAddress() {
            return "~" + user() + ":" + target;
        }

        /**
         * The user and target of a {@link #queueAddress()}, as {@code {user, target}}, or null
         * when {@code address} is not one.
         */
        public static String[] parseQueueAddress(String address) {
            if (!address.startsWith("~")) return null;
            int colon = address.indexOf(':');
            if (colon < 2 || colon + 1 >= address.length()) return null;
            char t = address.charAt(colon + 1);
            if (t != '|' && t != '/') return null;
            return new String[] {address.substring(1, colon), address.substring(colon + 1)};
        }
    }
}
