package org.mailroom.core.store.mbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.mailroom.core.store.Flag;

/**
 * The mboxrd format (the "mboxrd" of mbox(5) and Hall's "From_ quoting" note): a message starts with
 * a {@code From sender asctime} separator line; every line of the message that matches
 * {@code ^>*From } gets one more {@code >}; a blank line follows each message. Flags are the
 * {@code Status:} ({@code R} read, {@code O} old) and {@code X-Status:} ({@code A} answered,
 * {@code F} flagged, {@code T} draft, {@code D} deleted) headers mutt and mailx write, keywords
 * Dovecot's {@code X-Keywords:}.
 *
 * <p>What IMAP and POP3 see of a message ({@link #render}) is the stored message without the
 * separator line, without the flag headers (they change; a message's octets must not, RFC 9051
 * 2.3.1.1) and without one level of quoting. Stateless; every method is pure.
 */
final class MboxFormat {
    private MboxFormat() {}

    /** asctime(3), as in the separator line: {@code Mon Nov  3 09:05:01 2025}. */
    static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    private static final byte[] FROM_ = "From ".getBytes(StandardCharsets.US_ASCII);
    /** Headers that carry mutable state and are hidden from clients (Dovecot hides the same). */
    private static final String[] HIDDEN = {"status", "x-status", "x-keywords", "x-uid", "x-imap", "x-imapbase", "x-mailroom-eol"};
    /** The headers {@link #withFlags} replaces. */
    private static final Set<String> FLAG_HEADERS = Set.of("status", "x-status", "x-keywords");
    /**
     * XXX our own hidden header, written only for a message whose last line has no newline (an IMAP
     * APPEND may give one): the mbox needs the newline before the next separator, the client must
     * get the octets it appended (RFC 9051 6.3.12), so the newline is added and marked.
     */
    private static final String NO_FINAL_NEWLINE = "X-Mailroom-EOL: none\n";

    /** What the parser learns of one stored message. */
    record Described(long key, long size, long lines, int flags, Set<String> keywords, Instant date) {}

    // ---- writing --------------------------------------------------------------------------------

    /** The separator line: {@code From <sender> <asctime>\n}; the null sender is MAILER-DAEMON. */
    static byte[] separator(String sender, Instant date, ZoneId zone) {
        String s = sender == null || sender.isEmpty() ? "MAILER-DAEMON" : sender.replaceAll("[\\s]", "_");
        return ("From " + s + " " + ASCTIME.format(LocalDateTime.ofInstant(date, zone)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes one message: separator, the content with every {@code >*From } line quoted once more,
     * flag headers (when {@code flags}/{@code keywords} are not empty) at the end of the header, a
     * final newline if the content lacked one (marked, when {@code finalNewline} says so, so that
     * {@link #render} takes it off again), and the blank line that ends a message.
     */
    static void write(OutputStream out, byte[] separator, InputStream content, int flags, Set<String> keywords,
                      boolean finalNewline) throws IOException {
        out.write(separator);
        LineReader r = new LineReader(content);
        boolean header = true;
        byte[] line;
        boolean endsWithNewline = true;
        while ((line = r.next()) != null) {
            if (header && isBlank(line)) {
                writeFlagHeaders(out, flags, keywords, !finalNewline);
                header = false;
            }
            if (isFromLine(line, true)) out.write('>');
            out.write(line);
            endsWithNewline = line.length > 0 && line[line.length - 1] == '\n';
        }
        if (header) { // a message that is all header: the flag headers go after it
            if (!endsWithNewline) out.write('\n');
            writeFlagHeaders(out, flags, keywords, !finalNewline);
        } else if (!endsWithNewline) {
            out.write('\n');
        }
        out.write('\n');
    }

    private static void writeFlagHeaders(OutputStream out, int flags, Set<String> keywords, boolean noFinalNewline)
            throws IOException {
        if (noFinalNewline) out.write(NO_FINAL_NEWLINE.getBytes(StandardCharsets.US_ASCII));
        if (flags == 0 && keywords.isEmpty()) return;
        // mutt's order: Status (R read, O old), then X-Status
        String status = ((flags & bit(Flag.SEEN)) != 0 ? "R" : "") + "O";
        StringBuilder x = new StringBuilder();
        if ((flags & bit(Flag.ANSWERED)) != 0) x.append('A');
        if ((flags & bit(Flag.FLAGGED)) != 0) x.append('F');
        if ((flags & bit(Flag.DRAFT)) != 0) x.append('T');
        if ((flags & bit(Flag.DELETED)) != 0) x.append('D');
        StringBuilder h = new StringBuilder("Status: ").append(status).append('\n');
        if (x.length() > 0) h.append("X-Status: ").append(x).append('\n');
        if (!keywords.isEmpty()) h.append("X-Keywords: ").append(String.join(" ", keywords)).append('\n');
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A stored message (separator to separator) with its flag headers replaced. */
    static byte[] withFlags(byte[] raw, int flags, Set<String> keywords) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        LineReader r = new LineReader(new java.io.ByteArrayInputStream(raw));
        out.write(r.next()); // separator
        boolean header = true, hiding = false, wrote = false;
        byte[] line;
        while ((line = r.next()) != null) {
            if (header) {
                if (isBlank(line)) {
                    writeFlagHeaders(out, flags, keywords, false);
                    wrote = true;
                    header = false;
                } else {
                    boolean continuation = line[0] == ' ' || line[0] == '\t';
                    if (!continuation) {
                        String name = hiddenName(line);
                        hiding = name != null && FLAG_HEADERS.contains(name);
                    }
                    if (hiding) continue;
                }
            }
            out.write(line);
        }
        if (!wrote) { // all header, no blank line: keep the message's shape
            writeFlagHeaders(out, flags, keywords, false);
        }
        return out.toByteArray();
    }

    // ---- reading --------------------------------------------------------------------------------

    /**
     * What a client sees of a stored message {@code raw} (from its separator line up to the next
     * one): no separator, no trailing blank line, no flag headers, one {@code >} less before
     * {@code From }.
     */
    static void render(byte[] raw, OutputStream out) throws IOException {
        scan(raw, out, null);
    }

    /** Flags, keywords, the rendered size and the identity key of a stored message. */
    static Described describe(byte[] raw) throws IOException {
        MessageDigest sha = sha256();
        CountingStream count = new CountingStream();
        int[] flags = new int[1];
        Set<String> kws = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        sha.update(firstLine(raw));
        scan(raw, count, new Sink() {
            @Override public void header(byte[] line) { sha.update(line); }

            @Override public void hidden(String name, String value) {
                switch (name) {
                    case "status" -> { if (value.indexOf('R') >= 0) flags[0] |= bit(Flag.SEEN); }
                    case "x-status" -> {
                        if (value.indexOf('A') >= 0) flags[0] |= bit(Flag.ANSWERED);
                        if (value.indexOf('F') >= 0) flags[0] |= bit(Flag.FLAGGED);
                        if (value.indexOf('T') >= 0) flags[0] |= bit(Flag.DRAFT);
                        if (value.indexOf('D') >= 0) flags[0] |= bit(Flag.DELETED);
                    }
                    case "x-keywords" -> {
                        // Dovecot writes them space-separated
                        for (String k : value.trim().split("\\s+")) if (!k.isEmpty()) kws.add(k);
                    }
                    default -> { }
                }
            }
        });
        byte[] d = sha.digest();
        long key = 0;
        for (int i = 0; i < 8; i++) key = (key << 8) | (d[i] & 0xff);
        return new Described(key, count.bytes, count.lines, flags[0],
                kws.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(kws), date(raw));
    }

    /** The date of the separator line, or null when it has none we can read. */
    static Instant date(byte[] raw) {
        String l = new String(firstLine(raw), StandardCharsets.UTF_8).trim();
        // "From sender Mon Nov  3 09:05:01 2025", perhaps with a zone or "remote from" after it
        String[] w = l.split(" +");
        for (int i = 2; i + 5 <= w.length; i++) {
            String cand = w[i] + " " + w[i + 1] + " " + pad(w[i + 2]) + " " + w[i + 3] + " " + w[i + 4];
            try {
                return LocalDateTime.parse(cand, ASCTIME).atZone(java.time.ZoneOffset.UTC).toInstant(); // as MboxStore.zone()
            } catch (DateTimeParseException e) {
                // try the next position: a sender with spaces
            }
        }
        return null;
    }

    private static String pad(String day) {
        return day.length() == 1 ? " " + day : day;
    }

    private interface Sink {
        void header(byte[] line);

        void hidden(String name, String value);
    }

    private static void scan(byte[] raw, OutputStream out, Sink sink) throws IOException {
        int end = raw.length;
        // the blank line that ends a message in the file is not part of it
        if (end >= 2 && raw[end - 1] == '\n' && raw[end - 2] == '\n') end--;
        int p = firstLine(raw).length;
        boolean header = true, hiding = false, noFinalNewline = false;
        boolean pendingNewline = false; // held back until a further line shows it is not the last
        String hiddenName = null;
        StringBuilder hiddenValue = new StringBuilder();
        while (p < end) {
            int e = p;
            while (e < end && raw[e] != '\n') e++;
            if (e < end) e++; // include LF
            if (header) {
                if (e - p == 1 || (e - p == 2 && raw[p] == '\r')) {
                    header = false;
                    hiding = false;
                } else {
                    boolean continuation = raw[p] == ' ' || raw[p] == '\t';
                    if (!continuation) {
                        if (hiddenName != null && sink != null) sink.hidden(hiddenName, hiddenValue.toString());
                        hiddenName = hiddenName(raw, p, e);
                        hiddenValue.setLength(0);
                        hiding = hiddenName != null;
                        if ("x-mailroom-eol".equals(hiddenName)) noFinalNewline = true;
                    }
                    if (hiding) {
                        int colon = continuation ? p : indexOf(raw, p, e, (byte) ':') + 1;
                        hiddenValue.append(new String(raw, colon, e - colon, StandardCharsets.UTF_8));
                        p = e;
                        continue;
                    }
                    if (sink != null) sink.header(java.util.Arrays.copyOfRange(raw, p, e));
                }
            }
            if (pendingNewline) out.write('\n');
            int from = isQuotedFrom(raw, p, e) ? p + 1 : p;
            pendingNewline = raw[e - 1] == '\n';
            out.write(raw, from, e - from - (pendingNewline ? 1 : 0));
            p = e;
        }
        if (pendingNewline && !noFinalNewline) out.write('\n');
        if (hiddenName != null && sink != null) sink.hidden(hiddenName, hiddenValue.toString());
    }

    private static String hiddenName(byte[] raw, int p, int e) {
        int colon = indexOf(raw, p, e, (byte) ':');
        if (colon < 0) return null;
        String name = new String(raw, p, colon - p, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
        for (String h : HIDDEN) if (h.equals(name)) return h;
        return null;
    }

    private static String hiddenName(byte[] line) {
        return hiddenName(line, 0, line.length);
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    /** {@code >+From }: a quoted line, shown with one {@code >} less. */
    private static boolean isQuotedFrom(byte[] b, int p, int e) {
        if (p >= e || b[p] != '>') return false;
        int i = p;
        while (i < e && b[i] == '>') i++;
        return startsWith(b, i, e, FROM_);
    }

    /** {@code >*From } (with {@code quoted}) or {@code From } at the start of a line. */
    static boolean isFromLine(byte[] line, boolean quoted) {
        int i = 0;
        if (quoted) while (i < line.length && line[i] == '>') i++;
        return startsWith(line, i, line.length, FROM_);
    }

    private static boolean startsWith(byte[] b, int p, int e, byte[] prefix) {
        if (e - p < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[p + i] != prefix[i]) return false;
        return true;
    }

    static boolean isBlank(byte[] line) {
        return (line.length == 1 && line[0] == '\n') || (line.length == 2 && line[0] == '\r' && line[1] == '\n');
    }

    static byte[] firstLine(byte[] raw) {
        int e = indexOf(raw, 0, raw.length, (byte) '\n');
        return java.util.Arrays.copyOf(raw, e < 0 ? raw.length : e + 1);
    }

    static int bit(Flag f) {
        return 1 << f.ordinal();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingStream extends OutputStream {
        long bytes, lines;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') lines++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; i++) if (b[i] == '\n') lines++;
        }
    }

    /** Lines with their LF (the last one perhaps without); any length. */
    static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[65536];
        private int pos, len;
        private long offset;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Octets consumed so far: the offset of the next line. */
        long offset() { return offset; }

        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        if (line == null || line.size() == 0) return null;
                        byte[] l = line.toByteArray();
                        offset += l.length;
                        return l;
                    }
                }
                int s = pos;
                while (pos < len && buf[pos] != '\n') pos++;
                boolean eol = pos < len;
                if (eol) pos++;
                if (eol && line == null) {
                    offset += pos - s;
                    return java.util.Arrays.copyOfRange(buf, s, pos);
                }
                if (line == null) line = new ByteArrayOutputStream(Math.max(256, (pos - s) * 2));
                line.write(buf, s, pos - s);
                if (eol) {
                    byte[] l = line.toByteArray();
                    offset += l.length;
                    return l;
                }
            }
        }
    }
}
