package org.mailroom.delivery.queue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailroom.delivery.queue.QueueEntry.Body;
import org.mailroom.delivery.queue.QueueEntry.Origin;
import org.mailroom.delivery.queue.QueueEntry.Recipient;
import org.mailroom.delivery.queue.QueueEntry.Ret;

/**
 * The text form of a {@link QueueEntry}, meant to be read with {@code cat} by a postmaster:
 *
 * <pre>
 * mailroom-queue: 1
 * id: 4XJ2K9ABCD
 * sender: alice@example.org
 * arrival: 2026-11-23T19:00:00Z
 * envid: QQ314159
 * ret: HDRS
 * body: 8BITMIME
 * smtputf8: no
 * listener: submission
 * client: 192.0.2.7
 * helo: laptop.example.org
 * protocol: ESMTPSA
 * auth: alice@example.org
 * attempts: 1
 * next-attempt: 2026-11-23T19:05:00Z
 * rcpt: bob@example.net
 *   orcpt: rfc822;bob@example.net
 *   notify: FAILURE,DELAY
 *   state: DEFERRED
 *   last-attempt: 2026-11-23T19:00:01Z
 *   last-result: 451 4.3.0 mx.example.net[192.0.2.1]: try later
 *   delay-warned: no
 * end: 1
 * </pre>
 *
 * <p>Rules:
 * <ul>
 * <li>UTF-8, LF line ends, the first line names the format version, the last is {@code end: N}
 *     with N the number of recipients, so a truncated file never parses.
 * <li>A line is {@code key: value}, or {@code key:} for an empty value (the null sender). Lines
 *     that start with two spaces belong to the {@code rcpt:} above them. Keys may come in any order
 *     within their block but each at most once; optional keys are absent when the value is null.
 * <li>Values are written as they are (non-ASCII too, for SMTPUTF8 addresses) except that {@code %},
 *     control characters, U+0085, U+2028, U+2029 and leading or trailing spaces are
 *     percent-encoded as UTF-8 octets ({@code %0A}), so a hostile value can never start a line.
 * <li>The parser is strict: an unknown or repeated key, a missing required key, a bad value,
 *     invalid UTF-8 or a raw control character is a {@link CorruptQueueFile}. A new key means a
 *     new version.
 * </ul>
 */
public final class QueueEntryFormat {
    public static final int VERSION = 1;
    static final String MAGIC = "mailroom-queue";

    private QueueEntryFormat() {}

    /** @throws IllegalArgumentException if a value is not a valid Unicode string (unpaired surrogate) */
    public static String write(QueueEntry e) {
        StringBuilder sb = new StringBuilder(512);
        line(sb, "", MAGIC, Integer.toString(VERSION));
        line(sb, "", "id", e.id());
        line(sb, "", "sender", e.reversePath());
        line(sb, "", "arrival", e.arrival().toString());
        line(sb, "", "envid", e.envid());
        line(sb, "", "ret", e.ret() == null ? null : e.ret().name());
        line(sb, "", "body", e.body().keyword());
        line(sb, "", "smtputf8", yesNo(e.smtputf8()));
        Origin o = e.origin();
        line(sb, "", "listener", o.listener());
        line(sb, "", "client", o.client());
        line(sb, "", "helo", o.helo());
        line(sb, "", "protocol", o.protocol());
        line(sb, "", "auth", o.authUser());
        line(sb, "", "attempts", Integer.toString(e.attempts()));
        line(sb, "", "next-attempt", e.nextAttempt().toString());
        for (Recipient r : e.recipients()) {
            line(sb, "", "rcpt", r.address());
            line(sb, "  ", "orcpt", r.orcpt());
            if (!r.notifyOn().isEmpty()) {
                StringBuilder n = new StringBuilder();
                for (Recipient.Notify v : EnumSet.copyOf(r.notifyOn())) n.append(n.length() == 0 ? "" : ",").append(v);
                line(sb, "  ", "notify", n.toString());
            }
            line(sb, "  ", "state", r.state().name());
            line(sb, "  ", "last-attempt", r.lastAttempt() == null ? null : r.lastAttempt().toString());
            line(sb, "  ", "last-result", r.lastResult());
            line(sb, "  ", "delay-warned", yesNo(r.delayWarned()));
        }
        line(sb, "", "end", Integer.toString(e.recipients().size()));
        return sb.toString();
    }

    public static byte[] writeBytes(QueueEntry e) {
        return write(e).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param source names the input in error messages (usually the file name)
     * @throws CorruptQueueFile for anything that {@link #write} would not have produced
     */
    public static QueueEntry parse(byte[] data, String source) throws CorruptQueueFile {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptQueueFile(source, 0, "not UTF-8");
        }
        if (text.isEmpty()) throw new CorruptQueueFile(source, 0, "empty file");
        if (text.charAt(text.length() - 1) != '\n') throw new CorruptQueueFile(source, 0, "truncated: no final line end");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        return new Parser(source, lines).parse();
    }

    private static final class Parser {
        private final String source;
        private final String[] lines;
        private int lineNo; // 1-based number of the line being looked at

        Parser(String source, String[] lines) {
            this.source = source;
            this.lines = lines;
        }

        QueueEntry parse() throws CorruptQueueFile {
            String[] first = split(lines[0], 1);
            if (!first[0].equals(MAGIC)) throw corrupt("not a queue record (first line must be '" + MAGIC + ": N')");
            if (!first[1].equals(Integer.toString(VERSION))) throw corrupt("unsupported version " + first[1]);
            Map<String, String> head = new HashMap<>();
            List<Map<String, String>> rcpts = new ArrayList<>();
            Map<String, String> block = head;
            String end = null;
            for (int i = 1; i < lines.length; i++) {
                lineNo = i + 1;
                if (end != null) throw corrupt("text after 'end:'");
                String l = lines[i];
                boolean inner = l.startsWith("  ");
                String[] kv = split(inner ? l.substring(2) : l, lineNo);
                if (inner) {
                    if (rcpts.isEmpty()) throw corrupt("indented line before the first 'rcpt:'");
                    putOnce(rcpts.get(rcpts.size() - 1), kv, Set.of("orcpt", "notify", "state", "last-attempt",
                            "last-result", "delay-warned"));
                } else if (kv[0].equals("rcpt")) {
                    block = new HashMap<>();
                    block.put("rcpt", kv[1]);
                    rcpts.add(block);
                } else if (kv[0].equals("end")) {
                    end = kv[1];
                } else {
                    if (!rcpts.isEmpty()) throw corrupt("envelope key '" + kv[0] + "' after the recipients");
                    putOnce(head, kv, Set.of("id", "sender", "arrival", "envid", "ret", "body", "smtputf8",
                            "listener", "client", "helo", "protocol", "auth", "attempts", "next-attempt"));
                }
            }
            lineNo = 0;
            if (end == null) throw corrupt("truncated: no 'end:' line");
            if (!end.equals(Integer.toString(rcpts.size()))) {
                throw corrupt("truncated: 'end: " + end + "' but " + rcpts.size() + " recipients");
            }
            List<Recipient> recipients = new ArrayList<>();
            for (Map<String, String> r : rcpts) recipients.add(recipient(r));
            try {
                return new QueueEntry(required(head, "id"), required(head, "sender"),
                        instant(required(head, "arrival")), head.get("envid"),
                        head.containsKey("ret") ? enumValue(Ret.class, head.get("ret")) : null,
                        body(required(head, "body")), yesNo(required(head, "smtputf8")),
                        new Origin(head.get("listener"), head.get("client"), head.get("helo"), head.get("protocol"),
                                head.get("auth")),
                        count(required(head, "attempts")), instant(required(head, "next-attempt")), recipients);
            } catch (IllegalArgumentException e) {
                throw corrupt(e.getMessage());
            }
        }

        private Recipient recipient(Map<String, String> r) throws CorruptQueueFile {
            Set<Recipient.Notify> notify = EnumSet.noneOf(Recipient.Notify.class);
            if (r.containsKey("notify")) {
                for (String v : r.get("notify").split(",", -1)) {
                    if (!notify.add(enumValue(Recipient.Notify.class, v))) throw corrupt("NOTIFY value repeated: " + v);
                }
            }
            String last = r.get("last-attempt");
            try {
                return new Recipient(r.get("rcpt"), r.get("orcpt"), notify,
                        enumValue(Recipient.State.class, required(r, "state")),
                        last == null ? null : instant(last), r.get("last-result"), yesNo(required(r, "delay-warned")));
            } catch (IllegalArgumentException e) {
                throw corrupt("rcpt " + r.get("rcpt") + ": " + e.getMessage());
            }
        }

        /** {@code key: value} or {@code key:}; the value percent-decoded. */
        private String[] split(String l, int n) throws CorruptQueueFile {
            lineNo = n;
            int colon = l.indexOf(':');
            if (colon <= 0) throw corrupt("not a 'key: value' line");
            String key = l.substring(0, colon);
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) throw corrupt("bad key");
            }
            String raw;
            if (colon == l.length() - 1) raw = "";
            else if (l.charAt(colon + 1) == ' ' && colon + 2 < l.length()) raw = l.substring(colon + 2);
            else throw corrupt("expected ': ' and a value, or ':' at the end of the line");
            return new String[] {key, decode(raw)};
        }

        private void putOnce(Map<String, String> m, String[] kv, Set<String> allowed) throws CorruptQueueFile {
            if (!allowed.contains(kv[0])) throw corrupt("unknown key '" + kv[0] + "'");
            if (m.put(kv[0], kv[1]) != null) throw corrupt("repeated key '" + kv[0] + "'");
        }

        private String required(Map<String, String> m, String key) throws CorruptQueueFile {
            String v = m.get(key);
            if (v == null) throw corrupt("missing '" + key + ":'");
            return v;
        }

        private Instant instant(String v) throws CorruptQueueFile {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw corrupt("bad time '" + v + "'");
            }
        }

        private int count(String v) throws CorruptQueueFile {
            if (!v.matches("[0-9]{1,9}")) throw corrupt("bad number '" + v + "'");
            return Integer.parseInt(v);
        }

        private boolean yesNo(String v) throws CorruptQueueFile {
            if (v.equals("yes")) return true;
            if (v.equals("no")) return false;
            throw corrupt("expected yes or no, got '" + v + "'");
        }

        private Body body(String v) throws CorruptQueueFile {
            for (Body b : Body.values()) if (b.keyword().equals(v)) return b;
            throw corrupt("bad body type '" + v + "'");
        }

        private <E extends Enum<E>> E enumValue(Class<E> type, String v) throws CorruptQueueFile {
            for (E e : type.getEnumConstants()) if (e.name().equals(v)) return e;
            throw corrupt("bad " + type.getSimpleName() + " '" + v + "'");
        }

        private String decode(String raw) throws CorruptQueueFile {
            if (raw.startsWith(" ") || raw.endsWith(" ")) throw corrupt("unencoded leading or trailing space");
            if (raw.indexOf('%') < 0) {
                checkRaw(raw);
                return raw;
            }
            StringBuilder out = new StringBuilder(raw.length());
            ByteBuffer octets = ByteBuffer.allocate(raw.length());
            for (int i = 0; i < raw.length(); ) {
                char c = raw.charAt(i);
                if (c != '%') {
                    checkRaw(String.valueOf(c));
                    out.append(c);
                    i++;
                    continue;
                }
                octets.clear();
                while (i < raw.length() && raw.charAt(i) == '%') {
                    if (i + 2 >= raw.length()) throw corrupt("truncated %-escape");
                    int hi = Character.digit(raw.charAt(i + 1), 16), lo = Character.digit(raw.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) throw corrupt("bad %-escape");
                    octets.put((byte) (hi << 4 | lo));
                    i += 3;
                }
                octets.flip();
                try {
                    out.append(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(octets));
                } catch (CharacterCodingException e) {
                    throw corrupt("%-escapes are not UTF-8");
                }
            }
            return out.toString();
        }

        private void checkRaw(String s) throws CorruptQueueFile {
            for (int i = 0; i < s.length(); i++) {
                if (mustEncode(s.charAt(i))) throw corrupt("raw control character in value");
            }
        }

        private CorruptQueueFile corrupt(String problem) {
            return new CorruptQueueFile(source, lineNo, problem);
        }
    }

    private static void line(StringBuilder sb, String indent, String key, String value) {
        if (value == null) return;
        sb.append(indent).append(key).append(':');
        if (!value.isEmpty()) {
            sb.append(' ');
            encode(sb, value);
        }
        sb.append('\n');
    }

    private static void encode(StringBuilder sb, String v) {
        int last = v.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = v.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i < last && Character.isLowSurrogate(v.charAt(i + 1))) {
                    sb.append(c).append(v.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException("unpaired surrogate in queue record value");
            }
            if (c == '%' || mustEncode(c) || c == ' ' && (i == 0 || i == last)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Characters that would break a line or hide from a postmaster's terminal. */
    private static boolean mustEncode(char c) {
        return c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
