package org.mailroom.smtp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SMTP reply (RFC 5321 4.2): a code, an optional RFC 3463 enhanced status and one or more text
 * lines. Encoded as {@code 250-first} ... {@code 250 last} (RFC 5321 4.2.1); with an enhanced status
 * every line carries it (RFC 2034 3). Text is sanitised on construction: control characters become
 * spaces, so no text (e.g. from a sink outcome) can inject a line end into the reply stream.
 *
 * @param code   three digits, 200 to 599
 * @param status the enhanced status, or null (greeting and EHLO/HELO replies, RFC 2034 3)
 * @param lines  at least one line of text, possibly empty
 */
public record Reply(int code, EnhancedStatus status, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("bad reply code " + code);
        if (status != null && status.statusClass() != code / 100) {
            // RFC 3463 2: the class of the enhanced status matches the reply code's first digit
            throw new IllegalArgumentException("status " + status + " does not match code " + code);
        }
        List<String> clean = new ArrayList<>(Math.max(1, lines.size()));
        for (String l : lines) clean.add(sanitize(l));
        if (clean.isEmpty()) clean.add("");
        lines = List.copyOf(clean);
    }

    public Reply(int code, EnhancedStatus status, String text) {
        this(code, status, List.of(text));
    }

    /** A reply without enhanced status (greeting, EHLO, HELO). */
    public static Reply plain(int code, String... lines) {
        return new Reply(code, null, List.of(lines));
    }

    public boolean isPositive() { return ReplyCode.isPositive(code); }

    public boolean isTransient() { return ReplyCode.isTransient(code); }

    public boolean isPermanent() { return ReplyCode.isPermanent(code); }

    /** The reply as sent, CRLF after every line. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                b.append(status);
                if (!lines.get(i).isEmpty()) b.append(' ');
            }
            b.append(lines.get(i)).append("\r\n");
        }
        return b.toString();
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] bytes = encode().getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /** The first line as a postmaster reads it in a log: {@code 550 5.1.1 text}. */
    public String summary() {
        String text = lines.get(0);
        return code + (status == null ? "" : " " + status) + (text.isEmpty() ? "" : " " + text);
    }

    @Override
    public String toString() { return summary(); }

    private static String sanitize(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) b = new StringBuilder(s.substring(0, i));
                b.append(' ');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
