package org.mailroom.imap.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed structure of one message: its MIME part tree with offsets in the CRLF view, sizes,
 * line counts and envelopes, parsed once (on the blocking executor) and then cached with
 * {@link #toBytes()}. It renders ENVELOPE, BODY and BODYSTRUCTURE and, with {@link Sections},
 * locates every section of RFC 9051 6.4.5.
 *
 * <p>Stored octets may have LF or CRLF line ends (or a mix); every size and offset here is in the
 * CRLF form IMAP counts in (RFC 9051 2.3.4), so both stored forms give identical answers.
 * Malformed MIME never fails the parse (see {@link MimeParser}); only I/O errors do.
 * Immutable and thread-safe.
 */
public final class MessageStructure {

    /** Nesting of multipart and message parts followed; deeper ones are opaque (Dovecot: 100). */
    public static final int MAX_DEPTH = 100;
    /** Parts parsed per message; the rest stays inside the last multipart's body (Dovecot: 10000). */
    public static final int MAX_PARTS = 10_000;

    private static final byte VERSION = 1;

    private final MessagePart root;
    private final long size;
    private final long storedSize;
    /**
     * Line starts about every 64 KiB as {@code view, raw} offset pairs, so that a partial fetch
     * deep into a large LF-stored message seeks instead of converting everything before it
     * (clients fetch big attachments in chunks). Empty when stored and CRLF offsets coincide.
     */
    private final long[] marks;

    MessageStructure(MessagePart root, long size, long storedSize, long[] marks) {
        this.root = root;
        this.size = size;
        this.storedSize = storedSize;
        this.marks = marks;
    }

    /**
     * The nearest known line start at or before CRLF offset {@code view} and not before
     * {@code floorView}/{@code floorRaw} (a line start too), as {@code {view, raw}}.
     */
    long[] seek(long view, long floorView, long floorRaw) {
        if (size == storedSize && marks.length == 0) {
            // stored with CRLF throughout: both offsets are the same
            return new long[] {view, floorRaw + (view - floorView)};
        }
        int lo = 0;
        int hi = marks.length / 2 - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (marks[2 * mid] <= view) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best < 0 || marks[2 * best] < floorView) {
            return new long[] {floorView, floorRaw};
        }
        return new long[] {marks[2 * best], marks[2 * best + 1]};
    }

    /**
     * Parses a message from its stored octets, reading {@code stored} to its end (it is not closed).
     * Blocking; run it off the event loop.
     */
    public static MessageStructure parse(InputStream stored) throws IOException {
        return MimeParser.parse(stored);
    }

    /** {@link #parse(InputStream)} over octets in memory. */
    public static MessageStructure parse(byte[] stored) {
        try {
            return parse(new ByteArrayInputStream(stored));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses what {@code source} opens. */
    public static MessageStructure parse(MessageSource source) throws IOException {
        try (InputStream in = source.open()) {
            return parse(in);
        }
    }

    /** The message itself: header, body, and for multipart its children. */
    public MessagePart root() { return root; }

    public Envelope envelope() { return root.envelope; }

    /** {@code RFC822.SIZE}: octets in the CRLF view. */
    public long size() { return size; }

    /** Octets as stored (LF, CRLF or mixed line ends). */
    public long storedSize() { return storedSize; }

    /** {@code ENVELOPE} value as IMAP octets. */
    public byte[] envelopeImap() {
        return root.envelope.toImap();
    }

    /** {@code BODY} (non-extensible BODYSTRUCTURE) value as IMAP octets. */
    public byte[] body() {
        ImapOut out = new ImapOut();
        BodyStructureWriter.write(out, root, false);
        return out.toByteArray();
    }

    /** {@code BODYSTRUCTURE} value (with extension data) as IMAP octets. */
    public byte[] bodyStructure() {
        ImapOut out = new ImapOut();
        BodyStructureWriter.write(out, root, true);
        return out.toByteArray();
    }

    /**
     * The part a section-part number names (RFC 9051 6.4.5): in a multipart, {@code n} is its n-th
     * part; a non-multipart part has only part 1, itself (its body); below a message/rfc822 part the
     * numbers continue in the encapsulated message. The empty path is the message itself. Parts
     * over a limit are {@link MessagePart.Kind#BASIC} and have no subparts.
     *
     * @return the part, or null when there is no such part
     */
    public MessagePart part(int[] path) {
        MessagePart cur = root;
        boolean stayed = false;
        for (int i = 0; i < path.length; i++) {
            int n = path[i];
            if (n < 1) {
                return null;
            }
            if (i > 0 && cur.kind == MessagePart.Kind.MESSAGE) {
                if (cur.message == null) {
                    return null;
                }
                cur = cur.message;
                stayed = false;
            }
            if (cur.kind == MessagePart.Kind.MULTIPART) {
                if (n > cur.children.size()) {
                    return null;
                }
                cur = cur.children.get(n - 1);
                stayed = false;
            } else if (n != 1 || stayed) {
                // a non-multipart part is its own part 1, once: [2.1] is part 2 but [2.1.1] and,
                // for a non-multipart message, [1.1] are nothing (as Dovecot resolves them)
                return null;
            } else {
                stayed = true;
            }
        }
        return cur;
    }

    // ---------------------------------------------------------------- cache form

    /**
     * A compact, versioned binary form for the folder cache (a few dozen octets for a simple
     * message). {@link #fromBytes} reads it back to a structure that renders identically.
     */
    public byte[] toBytes() {
        Codec.Writer w = new Codec.Writer();
        w.u8(VERSION);
        w.varint(size);
        w.varint(storedSize);
        w.varint(marks.length / 2);
        long pv = 0;
        long pr = 0;
        for (int i = 0; i < marks.length; i += 2) {
            w.varint(marks[i] - pv);
            w.varint(marks[i + 1] - pr);
            pv = marks[i];
            pr = marks[i + 1];
        }
        writePart(w, root);
        return w.toByteArray();
    }

    /**
     * Reads what {@link #toBytes()} wrote. Every count and length is checked against the input and
     * the limits, so corrupt input fails fast.
     *
     * @throws StructureFormatException on another version, truncated or corrupt input
     */
    public static MessageStructure fromBytes(byte[] bytes) throws StructureFormatException {
        Codec.Reader r = new Codec.Reader(bytes);
        int v = r.u8();
        if (v != VERSION) {
            throw new StructureFormatException("structure: unknown version " + v);
        }
        long size = r.varint();
        long stored = r.varint();
        int nm = r.count(LineReader.MAX_MARKS);
        long[] marks = new long[2 * nm];
        long pv = 0;
        long pr = 0;
        for (int i = 0; i < marks.length; i += 2) {
            marks[i] = pv + r.varint();
            marks[i + 1] = pr + r.varint();
            if (marks[i] <= pv && i > 0 || marks[i] > size || marks[i + 1] > stored || marks[i] < 0 || marks[i + 1] < 0
                    || marks[i + 1] > marks[i]) {
                throw new StructureFormatException("structure: bad seek mark " + i / 2);
            }
            pv = marks[i];
            pr = marks[i + 1];
        }
        int[] budget = {MAX_PARTS + 1};
        MessagePart root = readPart(r, 0, budget, size, stored);
        r.requireEnd();
        if (root.envelope == null) {
            throw new StructureFormatException("structure: root without envelope");
        }
        return new MessageStructure(root, size, stored, marks);
    }

    private static final int F_MULTIPART = 1;
    private static final int F_MESSAGE = 2;
    private static final int F_OPAQUE = 4;
    private static final int F_ENVELOPE = 8;
    private static final int F_NESTED = 16;

    private static void writePart(Codec.Writer w, MessagePart p) {
        int flags = (p.kind == MessagePart.Kind.MULTIPART ? F_MULTIPART : 0)
                | (p.kind == MessagePart.Kind.MESSAGE ? F_MESSAGE : 0)
                | (p.opaque ? F_OPAQUE : 0) | (p.envelope != null ? F_ENVELOPE : 0)
                | (p.message != null ? F_NESTED : 0);
        w.u8(flags);
        w.varint(p.headerOffset);
        w.varint(p.bodyOffset - p.headerOffset);
        w.varint(p.endOffset - p.bodyOffset);
        w.varint(p.rawHeaderOffset);
        w.varint(p.rawBodyOffset - p.rawHeaderOffset);
        w.varint(p.rawEndOffset - p.rawBodyOffset);
        w.varint(p.lines);
        w.nstr(p.type);
        w.nstr(p.subtype);
        writeParams(w, p.params);
        w.nstr(p.id);
        w.nstr(p.description);
        w.nstr(p.encoding);
        w.nstr(p.md5);
        w.nstr(p.disposition);
        writeParams(w, p.dispositionParams);
        w.varint(p.languages.size());
        for (String l : p.languages) {
            w.nstr(l);
        }
        w.nstr(p.location);
        if (p.envelope != null) {
            p.envelope.writeFields(w);
        }
        if (p.message != null) {
            writePart(w, p.message);
        }
        if (p.kind == MessagePart.Kind.MULTIPART) {
            w.varint(p.children.size());
            for (MessagePart c : p.children) {
                writePart(w, c);
            }
        }
    }

    private static void writeParams(Codec.Writer w, List<MessagePart.Param> params) {
        w.varint(params.size());
        for (MessagePart.Param p : params) {
            w.nstr(p.name());
            w.nstr(p.value());
        }
    }

    private static MessagePart readPart(Codec.Reader r, int depth, int[] budget, long size, long stored)
            throws StructureFormatException {
        if (depth > MAX_DEPTH + 1 || --budget[0] < 0) {
            throw new StructureFormatException("structure: too deep or too many parts");
        }
        MessagePart p = new MessagePart();
        int flags = r.u8();
        if ((flags & ~31) != 0 || (flags & (F_MULTIPART | F_MESSAGE)) == (F_MULTIPART | F_MESSAGE)) {
            throw new StructureFormatException("structure: bad flags " + flags);
        }
        p.kind = (flags & F_MULTIPART) != 0 ? MessagePart.Kind.MULTIPART
                : (flags & F_MESSAGE) != 0 ? MessagePart.Kind.MESSAGE : MessagePart.Kind.BASIC;
        p.opaque = (flags & F_OPAQUE) != 0;
        p.headerOffset = r.varint();
        p.bodyOffset = p.headerOffset + r.varint();
        p.endOffset = p.bodyOffset + r.varint();
        p.rawHeaderOffset = r.varint();
        p.rawBodyOffset = p.rawHeaderOffset + r.varint();
        p.rawEndOffset = p.rawBodyOffset + r.varint();
        if (p.endOffset > size || p.headerOffset < 0 || p.bodyOffset < p.headerOffset || p.endOffset < p.bodyOffset
                || p.rawEndOffset > stored || p.rawBodyOffset < p.rawHeaderOffset || p.rawEndOffset < p.rawBodyOffset
                || p.rawHeaderOffset < 0) {
            throw new StructureFormatException("structure: offsets out of range");
        }
        p.lines = r.varint();
        p.type = required(r.nstr());
        p.subtype = required(r.nstr());
        p.params = readParams(r);
        p.id = r.nstr();
        p.description = r.nstr();
        p.encoding = r.nstr();
        p.md5 = r.nstr();
        p.disposition = r.nstr();
        p.dispositionParams = readParams(r);
        int nl = r.count(MimeValues.MAX_PARAMS);
        List<String> langs = new ArrayList<>(nl);
        for (int i = 0; i < nl; i++) {
            langs.add(required(r.nstr()));
        }
        p.languages = List.copyOf(langs);
        p.location = r.nstr();
        if ((flags & F_ENVELOPE) != 0) {
            p.envelope = Envelope.readFields(r);
        }
        if ((flags & F_NESTED) != 0) {
            if (p.kind != MessagePart.Kind.MESSAGE) {
                throw new StructureFormatException("structure: nested message in a non-message part");
            }
            p.message = readPart(r, depth + 1, budget, size, stored);
            if (p.message.envelope == null) {
                throw new StructureFormatException("structure: nested message without envelope");
            }
        }
        if (p.kind == MessagePart.Kind.MULTIPART) {
            int n = r.count(MAX_PARTS);
            for (int i = 0; i < n; i++) {
                p.addChild(readPart(r, depth + 1, budget, size, stored));
            }
        }
        p.freeze();
        return p;
    }

    private static List<MessagePart.Param> readParams(Codec.Reader r) throws StructureFormatException {
        int n = r.count(MimeValues.MAX_PARAMS);
        List<MessagePart.Param> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new MessagePart.Param(required(r.nstr()), required(r.nstr())));
        }
        return List.copyOf(out);
    }

    private static String required(String s) throws StructureFormatException {
        if (s == null) {
            throw new StructureFormatException("structure: missing string");
        }
        return s;
    }
}
