package org.mailroom.imap.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The cache form of a {@link MessageStructure}, version {@value #VERSION}: size, stored size, seek
 * marks (delta-coded), then the part tree depth first; per part a flag octet, offsets as deltas,
 * line count, the MIME strings and, for message roots, the envelope fields. See {@link Codec} for
 * the primitives and the corruption checks.
 */
final class StructureCodec {

    static final byte VERSION = 1;

    private StructureCodec() {}

    static byte[] write(MessageStructure m) {
        Codec.Writer w = new Codec.Writer();
        w.u8(VERSION);
        w.varint(m.size());
        w.varint(m.storedSize());
        long[] marks = m.marks();
        w.varint(marks.length / 2);
        long pv = 0;
        long pr = 0;
        for (int i = 0; i < marks.length; i += 2) {
            w.varint(marks[i] - pv);
            w.varint(marks[i + 1] - pr);
            pv = marks[i];
            pr = marks[i + 1];
        }
        writePart(w, m.root());
        return w.toByteArray();
    }

    static MessageStructure read(byte[] bytes) throws StructureFormatException {
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
        int[] budget = {MessageStructure.MAX_PARTS + 1};
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
        if (depth > MessageStructure.MAX_DEPTH + 1 || --budget[0] < 0) {
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
            int n = r.count(MessageStructure.MAX_PARTS);
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
