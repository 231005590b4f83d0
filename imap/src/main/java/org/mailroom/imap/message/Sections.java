package org.mailroom.imap.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.mailroom.imap.wire.Section;

/**
 * The octets of a FETCH {@code BODY[section]} and {@code BINARY[part]} (RFC 9051 6.4.5, RFC 3516),
 * always in the CRLF view. Apply {@code <start.count>} with {@link SectionContent#partial}.
 *
 * <ul>
 *   <li>{@code []} the whole message; {@code [HEADER]} the header with its empty line;
 *       {@code [TEXT]} the body; {@code [HEADER.FIELDS (a b)]} / {@code .NOT}: the matching fields
 *       (names compared case-insensitively, folded lines kept, in message order) and an empty line.</li>
 *   <li>{@code [1.2]} the body of part 1.2; {@code [1.2.MIME]} its MIME header;
 *       {@code [1.2.HEADER]}, {@code [1.2.TEXT]}, {@code [1.2.HEADER.FIELDS ...]} only for a
 *       message/rfc822 part: the encapsulated message's header or body.</li>
 *   <li>A section naming no part, or HEADER/TEXT of a part that is not a message, is the empty
 *       string (RFC 9051 6.4.5 asks for no error; Dovecot answers the same).</li>
 * </ul>
 * Reads are blocking; the returned {@link SectionContent} reads the store only when opened, except
 * HEADER.FIELDS (read here, headers are small) and BINARY (decoded once here to learn its size).
 */
public final class Sections {

    /** Decoded BINARY content up to this size is kept in memory rather than decoded twice. */
    static final int KEEP_DECODED = 1024 * 1024;

    private Sections() {}

    /** {@code BODY[section]}; see the class comment. */
    public static SectionContent body(MessageStructure s, MessageSource src, Section section) throws IOException {
        int[] path = section.part();
        MessagePart root = s.root();
        switch (section.kind()) {
            case NONE: {
                if (path.length == 0) {
                    return range(s, src, root.headerOffset, root.endOffset, root.rawHeaderOffset, root.rawEndOffset);
                }
                MessagePart p = s.part(path);
                return p == null ? SectionContent.EMPTY : bodyOf(s, src, p);
            }
            case MIME: {
                MessagePart p = path.length == 0 ? null : s.part(path);
                return p == null ? SectionContent.EMPTY : headerOf(s, src, p);
            }
            default:
                break;
        }
        MessagePart msg = root;
        if (path.length > 0) {
            MessagePart p = s.part(path);
            msg = p != null && p.kind == MessagePart.Kind.MESSAGE ? p.message : null;
        }
        if (msg == null) {
            return SectionContent.EMPTY;
        }
        return switch (section.kind()) {
            case HEADER -> headerOf(s, src, msg);
            case TEXT -> bodyOf(s, src, msg);
            case HEADER_FIELDS -> SectionContent.of(fields(headerOf(s, src, msg), section.fields(), false));
            case HEADER_FIELDS_NOT -> SectionContent.of(fields(headerOf(s, src, msg), section.fields(), true));
            default -> throw new IllegalStateException(section.kind().toString());
        };
    }

    /**
     * {@code BODY[section]} of the message itself ({@code []}, {@code [HEADER]}, {@code [TEXT]},
     * {@code [HEADER.FIELDS ...]}, {@code .NOT}) without its MIME structure: the whole message needs
     * nothing but its sizes, the others only a read of its header. The same octets as
     * {@link #body} with a parsed structure; null for a section that needs the structure (one
     * naming a part, or MIME).
     *
     * @param storedSize the stored octets of the message
     * @param viewSize   its size in the CRLF view (RFC822.SIZE)
     */
    public static SectionContent topLevel(MessageSource src, Section section, long storedSize, long viewSize)
            throws IOException {
        if (section.part().length != 0 || section.kind() == Section.Kind.MIME) {
            return null;
        }
        if (section.kind() == Section.Kind.NONE) {
            return plain(src, 0, viewSize, 0, storedSize, storedSize == viewSize);
        }
        long[] body;
        try (InputStream in = src.open()) {
            body = MimeParser.bodyStart(in);
        }
        boolean crlf = storedSize == viewSize;
        return switch (section.kind()) {
            case HEADER -> plain(src, 0, body[0], 0, body[1], crlf);
            case TEXT -> plain(src, body[0], viewSize, body[1], storedSize, crlf);
            case HEADER_FIELDS -> SectionContent.of(fields(plain(src, 0, body[0], 0, body[1], crlf), section.fields(), false));
            case HEADER_FIELDS_NOT -> SectionContent.of(fields(plain(src, 0, body[0], 0, body[1], crlf), section.fields(), true));
            default -> throw new IllegalStateException(section.kind().toString());
        };
    }

    /**
     * Octets {@code [start, end)} of the CRLF view from stored {@code [rawStart, rawEnd)} without
     * seek marks: a partial of it reads from {@code start}, except in a message stored with CRLF
     * throughout ({@code crlf}), where offsets coincide and it seeks.
     */
    private static SectionContent plain(MessageSource src, long start, long end, long rawStart, long rawEnd, boolean crlf) {
        if (end <= start) {
            return SectionContent.EMPTY;
        }
        return new SectionContent() {
            @Override
            public long size() { return end - start; }

            @Override
            public InputStream open() throws IOException {
                InputStream in = src.open(rawStart);
                return new ExactInputStream(crlf ? in : new CrlfInputStream(in, rawEnd - rawStart), end - start);
            }

            @Override
            public SectionContent partial(long offset, long count) {
                if (!crlf || offset < 0 || count < 0) {
                    return SectionContent.super.partial(offset, count);
                }
                if (offset >= size() || count == 0) {
                    return SectionContent.EMPTY;
                }
                return plain(src, start + offset, Math.min(end, start + offset + count), rawStart + offset,
                        Math.min(rawEnd, rawStart + offset + count), true);
            }
        };
    }

    /**
     * {@code BINARY[part]} (RFC 3516 4.2): the part's body with base64 or quoted-printable removed;
     * 7bit, 8bit, binary and absent encodings, multipart and message parts come unchanged; the
     * empty part is the whole message. {@code BINARY.SIZE} is {@code binary(...).size()}.
     *
     * @throws UnknownCteException for any other Content-Transfer-Encoding
     */
    public static SectionContent binary(MessageStructure s, MessageSource src, int[] part)
            throws IOException, UnknownCteException {
        if (part.length == 0) {
            return body(s, src, Section.WHOLE);
        }
        MessagePart p = s.part(part);
        if (p == null) {
            return SectionContent.EMPTY;
        }
        SectionContent raw = bodyOf(s, src, p);
        if (p.kind != MessagePart.Kind.BASIC || p.encoding == null || MimeParser.isIdentity(p.encoding)) {
            return raw;
        }
        String enc = p.encoding.toLowerCase(Locale.ROOT);
        if (!enc.equals("base64") && !enc.equals("quoted-printable")) {
            throw new UnknownCteException(p.encoding);
        }
        return decoded(raw, enc.equals("base64"));
    }

    private static SectionContent decoded(SectionContent raw, boolean base64) throws IOException {
        long size = 0;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = decoder(raw.open(), base64)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (kept != null) {
                    kept.write(buf, 0, n);
                    if (kept.size() > KEEP_DECODED) {
                        kept = null;
                    }
                }
                size += n;
            }
        }
        if (kept != null) {
            return SectionContent.of(kept.toByteArray());
        }
        long total = size;
        return new SectionContent() {
            @Override
            public long size() { return total; }

            @Override
            public InputStream open() throws IOException {
                return new ExactInputStream(decoder(raw.open(), base64), total);
            }
        };
    }

    private static InputStream decoder(InputStream in, boolean base64) {
        // XXX lenient decoding (DecodeMonitor.SILENT): invalid characters are skipped, as Dovecot does
        return base64 ? new Base64InputStream(in, DecodeMonitor.SILENT)
                : new QuotedPrintableInputStream(in, DecodeMonitor.SILENT);
    }

    static SectionContent headerOf(MessageStructure s, MessageSource src, MessagePart p) {
        return range(s, src, p.headerOffset, p.bodyOffset, p.rawHeaderOffset, p.rawBodyOffset);
    }

    static SectionContent bodyOf(MessageStructure s, MessageSource src, MessagePart p) {
        return range(s, src, p.bodyOffset, p.endOffset, p.rawBodyOffset, p.rawEndOffset);
    }

    private static SectionContent range(MessageStructure s, MessageSource src, long start, long end, long rawStart,
            long rawEnd) {
        return end == start ? SectionContent.EMPTY : new Range(s, src, start, end, rawStart, rawEnd);
    }

    /**
     * Octets {@code [start, end)} of the CRLF view, read from stored {@code [rawStart, rawEnd)}
     * (both at line starts). A partial seeks to the nearest seek mark of the structure, so reading
     * a large part in chunks costs each chunk, not everything before it.
     */
    private record Range(MessageStructure s, MessageSource src, long start, long end, long rawStart, long rawEnd)
            implements SectionContent {

        @Override
        public long size() { return end - start; }

        @Override
        public InputStream open() throws IOException {
            return from(start, rawStart, end - start);
        }

        private InputStream from(long view, long raw, long n) throws IOException {
            InputStream in = src.open(raw);
            if (s.size() == s.storedSize()) {
                // stored with CRLF throughout: nothing to convert
                return new ExactInputStream(in, n);
            }
            return new ExactInputStream(new CrlfInputStream(in, rawEnd - raw), n);
        }

        @Override
        public SectionContent partial(long offset, long count) {
            if (offset < 0 || count < 0) {
                throw new IllegalArgumentException("partial <" + offset + "." + count + ">");
            }
            if (offset >= size() || count == 0) {
                return SectionContent.EMPTY;
            }
            long n = Math.min(count, size() - offset);
            long target = start + offset;
            long[] mark = s.seek(target, start, rawStart);
            return new SectionContent() {
                @Override
                public long size() { return n; }

                @Override
                public InputStream open() throws IOException {
                    InputStream in = from(mark[0], mark[1], target - mark[0] + n);
                    try {
                        in.skipNBytes(target - mark[0]);
                    } catch (IOException | RuntimeException e) {
                        in.close();
                        throw e;
                    }
                    return in;
                }
            };
        }
    }

    /**
     * RFC 9051 6.4.5 HEADER.FIELDS / HEADER.FIELDS.NOT over a header in the CRLF view: whole fields
     * (with their continuation lines) whose name is (not) listed, then the empty line. A line
     * before the first field that is no field at all only counts for {@code .NOT}.
     */
    static byte[] fields(SectionContent header, List<String> names, boolean not) throws IOException {
        Set<String> wanted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        wanted.addAll(names);
        return fields(header.toByteArray(), (h, start, len) -> wanted.contains(new String(h, start, len, StandardCharsets.ISO_8859_1)) != not, not);
    }

    /** Which header fields {@link #fields(byte[], Wanted, boolean)} keeps, by the name at {@code h[start, start + len)}. */
    @FunctionalInterface
    interface Wanted {
        boolean test(byte[] h, int start, int len);
    }

    /**
     * The lines of the fields of header {@code h} that {@code wanted} names (folds included, CRLF
     * line ends), then an empty line; a line without a colon is kept when {@code keepNameless}.
     */
    static byte[] fields(byte[] h, Wanted wanted, boolean keepNameless) {
        byte[] out = new byte[Math.min(h.length, 1024) + 2];
        int n = 0;
        int i = 0;
        boolean keep = false;
        while (i < h.length) {
            int eol = i;
            while (eol < h.length && h[eol] != '\n') {
                eol++;
            }
            int next = Math.min(eol + 1, h.length);
            int contentEnd = eol > i && h[eol - 1] == '\r' ? eol - 1 : eol;
            if (contentEnd == i) {
                break; // the empty line ends the header
            }
            byte first = h[i];
            if (first != ' ' && first != '\t') {
                int colon = i;
                while (colon < contentEnd && h[colon] != ':') {
                    colon++;
                }
                if (colon == contentEnd) {
                    keep = keepNameless;
                } else {
                    int nameEnd = colon;
                    while (nameEnd > i && (h[nameEnd - 1] == ' ' || h[nameEnd - 1] == '\t')) {
                        nameEnd--;
                    }
                    keep = wanted.test(h, i, nameEnd - i);
                }
            }
            if (keep) {
                int len = contentEnd - i;
                if (n + len + 4 > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, n + len + 4));
                System.arraycopy(h, i, out, n, len);
                n += len;
                out[n++] = '\r';
                out[n++] = '\n';
            }
            i = next;
        }
        out[n++] = '\r';
        out[n++] = '\n';
        return Arrays.copyOf(out, n);
    }
}
