package org.mailroom.smtp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads replies as an SMTP client receives them (RFC 5321 4.2): {@code 250-first} ... {@code 250 last},
 * one line at a time, line ends already removed. The enhanced status (RFC 2034 3) is taken from the
 * start of the first line when it is of the RFC 3463 form and its class matches the reply code; it
 * is then removed from every line that carries it.
 *
 * <p>Not sharable: it holds the lines of the reply being read. A malformed line (no three-digit
 * code, a code that changes inside one reply, a separator other than SP or "-") throws
 * {@link IllegalArgumentException} and resets the parser; the caller treats the peer as broken.
 */
public final class ReplyParser {
    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    /**
     * Feeds one line.
     *
     * @return the complete reply when {@code line} was its last line, else null
     */
    public Reply feed(String line) {
        if (line.length() < 3 || !digits(line)) {
            reset();
            throw new IllegalArgumentException("not a reply line: " + abbreviate(line));
        }
        int c = Integer.parseInt(line.substring(0, 3));
        if (c < 200 || c > 599 || (code >= 0 && c != code)) {
            reset();
            throw new IllegalArgumentException("bad reply code in: " + abbreviate(line));
        }
        boolean last;
        String text;
        if (line.length() == 3) { // RFC 5321 4.2: Reply-code [ SP textstring ] CRLF
            last = true;
            text = "";
        } else if (line.charAt(3) == ' ' || line.charAt(3) == '-') {
            last = line.charAt(3) == ' ';
            text = line.substring(4);
        } else {
            reset();
            throw new IllegalArgumentException("bad separator in: " + abbreviate(line));
        }
        code = c;
        lines.add(text);
        if (!last) return null;
        Reply r = build(code, lines);
        reset();
        return r;
    }

    /** True while a multi-line reply has been started but not finished. */
    public boolean inReply() { return code >= 0; }

    /** Parses a whole reply given as lines (CRLF, or LF, between them). */
    public static Reply parse(String text) {
        ReplyParser p = new ReplyParser();
        String[] ls = text.split("\r?\n");
        for (int i = 0; i < ls.length; i++) {
            Reply r = p.feed(ls[i]);
            if (r != null) {
                if (i != ls.length - 1) throw new IllegalArgumentException("text after the last reply line");
                return r;
            }
        }
        throw new IllegalArgumentException("reply not finished");
    }

    private static Reply build(int code, List<String> raw) {
        EnhancedStatus status = null;
        String first = raw.get(0);
        int sp = first.indexOf(' ');
        String candidate = sp < 0 ? first : first.substring(0, sp);
        EnhancedStatus s = EnhancedStatus.parse(candidate);
        // RFC 3463 2: the class must agree with the reply code; 3yz replies carry none
        if (s != null && s.statusClass() == code / 100) status = s;
        List<String> out = new ArrayList<>(raw.size());
        for (String l : raw) {
            if (status != null && (l.equals(candidate) || l.startsWith(candidate + " "))) {
                out.add(l.length() == candidate.length() ? "" : l.substring(candidate.length() + 1));
            } else {
                out.add(l);
            }
        }
        return new Reply(code, status, out);
    }

    private void reset() {
        lines.clear();
        code = -1;
    }

    private static boolean digits(String l) {
        for (int i = 0; i < 3; i++) if (l.charAt(i) < '0' || l.charAt(i) > '9') return false;
        return true;
    }

    private static String abbreviate(String l) {
        return l.length() > 60 ? l.substring(0, 60) + "..." : l;
    }
}
