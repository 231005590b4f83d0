package org.mailroom.imap.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The ENVELOPE of one message (RFC 9051 7.5.2, RFC 3501 7.4.2): the raw values of its Date,
 * Subject, From, Sender, Reply-To, To, Cc, Bcc, In-Reply-To and Message-ID header fields (first
 * instance of each), rendered on demand by {@link #toImap()}.
 *
 * <p>{@link #parse(InputStream)} reads the header only (up to the first empty line), so listing
 * ENVELOPE for a whole folder never reads bodies. Values are raw octets, one char per octet
 * (ISO-8859-1) with leading white space dropped and folds kept as CRLF (the accessors return them
 * so; {@link #toImap()} unfolds); RFC 2047 encoded words stay encoded.
 * Immutable and thread-safe.
 */
public final class Envelope {

    private static final byte VERSION = 1;

    private final String[] fields;

    Envelope(String[] fields) {
        this.fields = Arrays.copyOf(fields, Fields.ENVELOPE_COUNT);
    }

    /**
     * Reads a message's header from its stored octets (LF or CRLF line ends) up to the first empty
     * line; reads at most one 4 KiB buffer past it (the stream's position is then unspecified).
     * Does not close {@code stored}. Blocking.
     */
    public static Envelope parse(InputStream stored) throws IOException {
        return new Envelope(MimeParser.headerOnly(stored));
    }

    /** {@link #parse(InputStream)} over a header or whole message in memory. */
    public static Envelope parse(byte[] stored) {
        try {
            return parse(new ByteArrayInputStream(stored));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The header fields SEARCH asks for most (SUBJECT, FROM, TO, CC, BCC and the Date: of SENT*),
     * lower case: {@link #parseKeeping} keeps them so that a search need not open the message.
     */
    public static final java.util.Set<String> SEARCH_FIELDS = java.util.Set.of("subject", "from", "to", "cc", "bcc", "date");

    /** {@link #SEARCH_FIELDS} by {@link Fields} index. */
    private static final boolean[] SEARCH_INDEXES = new boolean[Fields.COUNT];

    static {
        for (String name : SEARCH_FIELDS) {
            byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            SEARCH_INDEXES[Fields.index(b, b.length)] = true; // each is one of Fields' names
        }
    }

    /** Headers longer than this are not kept for search (the message is read instead). */
    static final int MAX_KEPT_HEADER = 64 * 1024;

    /** An envelope and the {@link #SEARCH_FIELDS} lines of the header it came from. */
    public record WithFields(Envelope envelope, byte[] searchFields) {}

    /**
     * Reads the header like {@link #parse(InputStream)} and also returns its {@link #SEARCH_FIELDS}
     * lines (every instance, folds kept, in order, CRLF line ends, then an empty line), or null
     * fields when the header is longer than {@link #MAX_KEPT_HEADER}. Blocking.
     */
    public static WithFields parseKeeping(InputStream stored) throws IOException {
        byte[] buf = new byte[4096];
        int len = 0, scanned = 0, end = -1;
        while (end < 0 && len < MAX_KEPT_HEADER) {
            if (len == buf.length) buf = Arrays.copyOf(buf, Math.min(MAX_KEPT_HEADER, buf.length * 2));
            int n = stored.read(buf, len, buf.length - len);
            if (n < 0) break;
            len += n;
            end = emptyLineEnd(buf, Math.max(0, scanned - 2), len);
            scanned = len;
            if (len > 0 && buf[0] == '\n') end = 1;
            else if (len > 1 && buf[0] == '\r' && buf[1] == '\n') end = 2;
        }
        if (end < 0 && len >= MAX_KEPT_HEADER) {
            // too long to keep: the envelope alone, from what was read and the rest of the stream
            return new WithFields(parse(new java.io.SequenceInputStream(new ByteArrayInputStream(buf, 0, len), stored)), null);
        }
        int headerLen = end < 0 ? len : end;
        byte[] header = Arrays.copyOf(buf, headerLen);
        Envelope e = parse(header);
        byte[] fields = Sections.fields(header, (h, off, n) -> {
            int i = Fields.index(h, off, n);
            return i >= 0 && SEARCH_INDEXES[i];
        }, false);
        return new WithFields(e, fields);
    }

    /**
     * Just past the first empty line (LF LF or LF CR LF) that starts from an LF in {@code b[from, len)},
     * or -1: where a header ends.
     */
    private static int emptyLineEnd(byte[] b, int from, int len) {
        int i = from;
        while (i < len) {
            // to the next LF eight octets at a time (a header line is some 50 octets long)
            for (; i + 8 <= len; i += 8) {
                long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
                long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (zero != 0) {
                    i += Long.numberOfTrailingZeros(zero) >>> 3; // the first LF of the eight
                    break;
                }
            }
            for (; i < len && b[i] != '\n'; i++) {}
            if (i >= len) return -1;
            if (i + 1 < len && b[i + 1] == '\n') return i + 2;
            if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
            i++;
        }
        return -1;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Raw Date value or null. */
    public String date() { return fields[Fields.DATE]; }

    /** Raw Subject value or null. */
    public String subject() { return fields[Fields.SUBJECT]; }

    /** Raw Message-ID value or null. */
    public String messageId() { return fields[Fields.MESSAGE_ID]; }

    /** Raw In-Reply-To value or null. */
    public String inReplyTo() { return fields[Fields.IN_REPLY_TO]; }

    /**
     * The parenthesised {@code envelope} as IMAP octets (RFC 9051 9), e.g.
     * {@code ("date" "subject" (("Name" NIL "box" "host")) ... NIL "<id@host>")}. Strings are
     * quoted or literals; absent fields and empty address lists are NIL.
     */
    public byte[] toImap() {
        ImapOut out = new ImapOut();
        write(out);
        return out.toByteArray();
    }

    void write(ImapOut out) {
        out.c('(');
        out.nolf(fields[Fields.DATE]).c(' ');
        out.humans(fields[Fields.SUBJECT]).c(' ');
        String from = fields[Fields.FROM];
        String sender = fields[Fields.SENDER], replyTo = fields[Fields.REPLY_TO];
        int mark = out.size();
        Addresses.write(out, from);
        // RFC 9051 7.5.2: Sender and Reply-To absent or empty default to From (written once, copied)
        byte[] fromList = blank(sender) || blank(replyTo) ? out.copyFrom(mark) : null;
        out.c(' ');
        if (blank(sender)) out.bytes(fromList);
        else Addresses.write(out, sender);
        out.c(' ');
        if (blank(replyTo)) out.bytes(fromList);
        else Addresses.write(out, replyTo);
        out.c(' ');
        Addresses.write(out, fields[Fields.TO]);
        out.c(' ');
        Addresses.write(out, fields[Fields.CC]);
        out.c(' ');
        Addresses.write(out, fields[Fields.BCC]);
        out.c(' ');
        out.nolf(fields[Fields.IN_REPLY_TO]).c(' ');
        out.nolf(fields[Fields.MESSAGE_ID]).c(')');
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }

    /**
     * A compact, versioned form for the folder cache; {@link #fromBytes} reads it back to an equal
     * envelope.
     */
    public byte[] toBytes() {
        Codec.Writer w = new Codec.Writer();
        w.u8(VERSION);
        writeFields(w);
        return w.toByteArray();
    }

    /**
     * Reads what {@link #toBytes()} wrote.
     *
     * @throws StructureFormatException on a wrong version, truncated or otherwise corrupt input
     */
    public static Envelope fromBytes(byte[] bytes) throws StructureFormatException {
        Codec.Reader r = new Codec.Reader(bytes);
        int v = r.u8();
        if (v != VERSION) {
            throw new StructureFormatException("envelope: unknown version " + v);
        }
        Envelope e = readFields(r);
        r.requireEnd();
        return e;
    }

    void writeFields(Codec.Writer w) {
        for (String f : fields) {
            w.nstr(f);
        }
    }

    static Envelope readFields(Codec.Reader r) throws StructureFormatException {
        String[] f = new String[Fields.ENVELOPE_COUNT];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nstr();
        }
        return new Envelope(f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && Arrays.equals(fields, e.fields);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(fields); }

    @Override
    public String toString() {
        return new String(toImap(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
