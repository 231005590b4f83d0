package org.mailroom.daemon.submit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header block of one submission over {@code submit.sock} (see the package documentation).
 *
 * @param sender     envelope sender as given with {@code -f}; "" for the null sender; null: the daemon
 *                   uses {@code <unix user>@<hostname>}
 * @param fullName   {@code -F}, for a From: field the daemon adds; or null
 * @param recipients envelope recipients (already taken from the header by the client for {@code -t})
 * @param size       octets of message that follow the empty line (LF line ends)
 */
public record SubmitRequest(String sender, String fullName, List<String> recipients, long size) {
    public static final String GREETING = "submit 1";
    /** Longest header-block line, LF included. */
    public static final int MAX_LINE = 2048;

    /** A header block the daemon refuses, with the reply to give. */
    public static final class Bad extends Exception {
        public final int code;
        public final String status;

        public Bad(int code, String status, String message) {
            super(message);
            this.code = code;
            this.status = status;
        }
    }

    /** The block as the client writes it: greeting, fields, empty line. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(GREETING).append('\n');
        if (sender != null) sb.append("sender ").append(sender.isEmpty() ? "<>" : sender).append('\n');
        if (fullName != null) sb.append("fullname ").append(fullName).append('\n');
        for (String r : recipients) sb.append("rcpt ").append(r).append('\n');
        sb.append("size ").append(size).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses the lines of a header block (without the empty line that ends it).
     *
     * @throws Bad on anything unexpected, more than {@code maxRecipients} recipients or a size over
     *             {@code maxSize}
     */
    public static SubmitRequest parse(List<String> lines, int maxRecipients, long maxSize) throws Bad {
        if (lines.isEmpty() || !lines.get(0).equals(GREETING)) throw new Bad(500, "5.5.2", "expected \"" + GREETING + "\"");
        String sender = null, fullName = null;
        long size = -1;
        List<String> rcpts = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            int sp = l.indexOf(' ');
            String k = sp < 0 ? l : l.substring(0, sp), v = sp < 0 ? "" : l.substring(sp + 1);
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) < ' ' || v.charAt(i) == 127) throw new Bad(501, "5.5.2", "control character in " + k);
            }
            switch (k) {
                case "sender" -> {
                    if (sender != null) throw new Bad(501, "5.5.2", "two senders");
                    sender = v.equals("<>") ? "" : requireAddress(v, 553, "sender");
                }
                case "fullname" -> fullName = v;
                case "rcpt" -> {
                    if (rcpts.size() >= maxRecipients) throw new Bad(452, "4.5.3", "too many recipients (at most " + maxRecipients + ")");
                    rcpts.add(requireAddress(v, 553, "recipient"));
                }
                case "size" -> {
                    try {
                        size = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        throw new Bad(501, "5.5.2", "bad size");
                    }
                    if (size < 0) throw new Bad(501, "5.5.2", "bad size");
                    if (size > maxSize) throw new Bad(552, "5.3.4", "message too big (" + size + " octets; at most " + maxSize + ")");
                }
                default -> throw new Bad(500, "5.5.2", "unknown field \"" + k + "\"");
            }
        }
        if (size < 0) throw new Bad(501, "5.5.2", "no size");
        if (rcpts.isEmpty()) throw new Bad(554, "5.5.1", "no recipients");
        return new SubmitRequest(sender, fullName, List.copyOf(rcpts), size);
    }

    /** An address as {@code sendmail} takes it: no spaces or angle brackets, at most one '@' side empty never. */
    static String requireAddress(String a, int code, String what) throws Bad {
        if (a.isEmpty() || a.length() > 320 || a.startsWith("@") || a.endsWith("@")
                || a.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == ',' || c == 127)) {
            throw new Bad(code, what.equals("sender") ? "5.1.7" : "5.1.3", "bad " + what + " address: " + a);
        }
        return a;
    }
}
