package org.mailroom.imap.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One pass over a message's stored octets that builds the {@link MessagePart} tree, in the manner
 * of Dovecot's message-parser: line by line, with a stack of the active multipart boundaries.
 *
 * <ul>
 *   <li>RFC 2046 5.1.1: a line {@code --boundary} (then anything, as Dovecot) opens a part, a line
 *       {@code --boundary--} closes the multipart; the CRLF before either belongs to it. Every
 *       active boundary is checked, innermost first, so a part whose multipart was never closed ends
 *       at its parent's next boundary; a multipart never closed at all ends at the end of the
 *       message (Dovecot does the same).</li>
 *   <li>A boundary line inside a part's header ends that part (header only, empty body).</li>
 *   <li>RFC 2046 5.1.5: in multipart/digest a part without Content-Type is message/rfc822.</li>
 *   <li>A message/rfc822 part is parsed as a message only when its transfer encoding is absent,
 *       7bit, 8bit or binary (RFC 2046 5.2.1 allows no other); otherwise its body is opaque.</li>
 *   <li>Limits ({@link MessageStructure#MAX_DEPTH}, {@link MessageStructure#MAX_PARTS},
 *       {@link #MAX_HEADER_LINE}, {@link #MAX_FIELD}, {@link #MAX_BOUNDARY}): beyond them parts
 *       become opaque leaves or values are cut; nothing throws except I/O errors of the input.</li>
 * </ul>
 */
final class MimeParser {

    /** Octets of one header line that are looked at; the rest of a longer line is skipped. */
    static final int MAX_HEADER_LINE = 64 * 1024;
    /** Octets kept of one (unfolded) header field value. */
    static final int MAX_FIELD = 256 * 1024;
    /** Longer boundary parameters are ignored (RFC 2046 5.1.1 allows 70). */
    static final int MAX_BOUNDARY = 200;
    private static final int BODY_LINE_CAP = MAX_BOUNDARY + 8;

    private final LineReader r;
    private final byte[][] bounds = new byte[MessageStructure.MAX_DEPTH + 2][];
    private int nb;
    private int parts;
    /** After a part: index into {@link #bounds} of the boundary line just read, or -1 at EOF. */
    private int pendIdx = -1;
    private boolean pendClose;
    /**
     * View offset of the pending boundary line when it directly follows a close delimiter, else -1:
     * every part ending there keeps that delimiter's CRLF (see {@link #multipart}).
     */
    private long afterClose = -1;

    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] value = new byte[256];
    private int valueLen;

    private MimeParser(InputStream in, int cap, int bufferSize) {
        this.r = new LineReader(in, cap, bufferSize);
    }

    static MessageStructure parse(InputStream stored) throws IOException {
        MimeParser p = new MimeParser(stored, MAX_HEADER_LINE, 32 * 1024);
        MessagePart root = p.part(0, false, true);
        return new MessageStructure(root, p.r.view(), p.r.raw(), p.r.marks());
    }

    /** The envelope fields of a message's header; reads no further than its empty line (and buffer). */
    static String[] headerOnly(InputStream stored) throws IOException {
        MimeParser p = new MimeParser(stored, MAX_HEADER_LINE, 4096);
        String[] f = new String[Fields.COUNT];
        p.header(f);
        return f;
    }

    /**
     * Where the body of a message starts: {@code {view, raw}} offsets just past the header's empty
     * line (or the end, when there is none), by the same rule as {@link #parse}; reads no further
     * than that line (and one buffer).
     */
    static long[] bodyStart(InputStream stored) throws IOException {
        LineReader r = new LineReader(stored, 1, 4096);
        while (r.next(1)) {
            if (r.contentLen == 0) {
                break;
            }
        }
        return new long[] {r.view(), r.raw()};
    }

    private MessagePart part(int depth, boolean digestChild, boolean messageRoot) throws IOException {
        parts++;
        MessagePart p = new MessagePart();
        p.headerOffset = r.view();
        p.rawHeaderOffset = r.raw();
        String[] f = new String[Fields.COUNT];
        boolean cut = header(f);
        if (cut) {
            // a boundary ended the header: no empty line, no body
            p.bodyOffset = r.lineView > p.headerOffset ? r.lineView - 2 : r.lineView;
            p.rawBodyOffset = r.lineView > p.headerOffset ? r.lineRaw - r.prevEolRaw : r.lineRaw;
        } else {
            p.bodyOffset = r.view();
            p.rawBodyOffset = r.raw();
        }
        long eolsAtBody = r.eols();
        describe(p, f, digestChild);
        if (cut) {
            p.endOffset = p.bodyOffset;
            p.rawEndOffset = p.rawBodyOffset;
            p.freeze();
            if (messageRoot) {
            p.envelope = new Envelope(f);
        }
        return p;
        }
        boolean overLimit = depth >= MessageStructure.MAX_DEPTH || parts >= MessageStructure.MAX_PARTS;
        if (p.kind == MessagePart.Kind.MULTIPART) {
            String b = p.param("boundary");
            if (overLimit) {
                p.opaque = true;
                p.kind = MessagePart.Kind.BASIC;
                scan();
            } else if (b == null || b.isEmpty() || b.length() > MAX_BOUNDARY) {
                // XXX multipart without a usable boundary: no children; BODYSTRUCTURE shows an
                // empty text/plain child, as Dovecot does
                scan();
            } else {
                multipart(p, b, depth);
            }
        } else if (p.kind == MessagePart.Kind.MESSAGE) {
            if (overLimit) {
                p.opaque = true;
                p.kind = MessagePart.Kind.BASIC;
                scan();
            } else if (p.encoding != null && !isIdentity(p.encoding)) {
                scan();
            } else {
                p.message = part(depth + 1, false, true);
            }
        } else {
            scan();
        }
        finish(p, eolsAtBody);
        p.freeze();
        if (messageRoot) {
            p.envelope = new Envelope(f);
        }
        return p;
    }

    static boolean isIdentity(String enc) {
        return enc.equalsIgnoreCase("7bit") || enc.equalsIgnoreCase("8bit") || enc.equalsIgnoreCase("binary");
    }

    private void finish(MessagePart p, long eolsAtBody) {
        if (pendIdx >= 0 && r.lineView == afterClose) {
            p.endOffset = r.lineView;
            p.rawEndOffset = r.lineRaw;
            p.lines = r.eolsBefore - eolsAtBody;
        } else if (pendIdx >= 0) {
            if (r.lineView > p.bodyOffset) {
                p.endOffset = r.lineView - 2;
                p.rawEndOffset = r.lineRaw - r.prevEolRaw;
                p.lines = r.eolsBefore - 1 - eolsAtBody;
            } else {
                p.endOffset = p.bodyOffset;
                p.rawEndOffset = p.rawBodyOffset;
            }
        } else {
            p.endOffset = r.view();
            p.rawEndOffset = r.raw();
            p.lines = r.eols() - eolsAtBody;
        }
    }

    private void multipart(MessagePart p, String boundary, int depth) throws IOException {
        int own = nb;
        bounds[nb++] = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        boolean digest = p.subtype.equalsIgnoreCase("digest");
        scan(); // preamble
        while (pendIdx == own) {
            if (pendClose) {
                nb = own;
                long closeEnd = r.view();
                scan(); // epilogue
                // XXX as Dovecot: with an empty epilogue the close delimiter's CRLF stays in this
                // multipart's body and in that of an enclosing message/rfc822 ending there too
                // (BODY[n] of a nested multipart then ends with "--b--" CRLF; sizes and lines agree)
                if (pendIdx >= 0 && r.lineView == closeEnd) {
                    afterClose = closeEnd;
                }
                return;
            }
            if (parts >= MessageStructure.MAX_PARTS) {
                // XXX too many parts: the rest up to an outer boundary stays in this multipart's body
                nb = own;
                scan();
                return;
            }
            p.addChild(part(depth + 1, digest, false));
        }
        nb = own;
    }

    /** Reads body lines until a boundary line of any active multipart (pending) or EOF. */
    private void scan() throws IOException {
        while (r.next(BODY_LINE_CAP)) {
            if (nb > 0 && boundary()) {
                return;
            }
        }
        pendIdx = -1;
    }

    /** Whether the current line is a boundary line; sets the pending state if so. */
    private boolean boundary() {
        byte[] l = r.line;
        int len = r.len;
        if (len < 3 || l[0] != '-' || l[1] != '-') {
            return false;
        }
        for (int k = nb - 1; k >= 0; k--) {
            byte[] b = bounds[k];
            if (len < b.length || !Arrays.equals(l, 0, b.length, b, 0, b.length)) {
                continue;
            }
            // XXX any text may follow the boundary (RFC 2046 5.1.1 allows only white space): Dovecot
            // matches on the prefix too, and clients compare our structures with its
            boolean close = len >= b.length + 2 && l[b.length] == '-' && l[b.length + 1] == '-';
            pendIdx = k;
            pendClose = close;
            return true;
        }
        return false;
    }

    /**
     * Reads header lines up to and including the empty line, keeping the first value of each field
     * of {@link Fields}.
     *
     * @return true when a boundary line ended the header (it is pending), false at the empty line or EOF
     */
    private boolean header(String[] f) throws IOException {
        int cur = -1;
        while (r.next(MAX_HEADER_LINE)) {
            if (r.contentLen == 0) {
                store(f, cur);
                return false;
            }
            if (nb > 0 && boundary()) {
                store(f, cur);
                return true;
            }
            byte first = r.line[0];
            if (first == ' ' || first == '\t') {
                if (cur >= 0) {
                    // the fold stays (as CRLF) so ENVELOPE can tell a folded value, as Dovecot does
                    append(CRLF, 0, 2);
                    append(r.line, 0, r.len);
                }
                continue;
            }
            store(f, cur);
            cur = -1;
            int colon = -1;
            for (int i = 0; i < r.len; i++) {
                if (r.line[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0) {
                continue;
            }
            int nameEnd = colon;
            while (nameEnd > 0 && (r.line[nameEnd - 1] == ' ' || r.line[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            int idx = Fields.index(r.line, nameEnd);
            if (idx >= 0 && f[idx] == null) {
                cur = idx;
                valueLen = 0;
                append(r.line, colon + 1, r.len - colon - 1);
            }
        }
        store(f, cur);
        pendIdx = -1;
        return false;
    }

    private void append(byte[] src, int off, int n) {
        n = Math.min(n, MAX_FIELD - valueLen);
        if (n <= 0) {
            return;
        }
        if (valueLen + n > value.length) {
            value = Arrays.copyOf(value, Math.max(value.length * 2, valueLen + n));
        }
        System.arraycopy(src, off, value, valueLen, n);
        valueLen += n;
    }

    private void store(String[] f, int cur) {
        if (cur < 0) {
            return;
        }
        int s = 0;
        while (s < valueLen && (value[s] == ' ' || value[s] == '\t' || value[s] == '\r' || value[s] == '\n')) {
            s++;
        }
        f[cur] = new String(value, s, valueLen - s, StandardCharsets.ISO_8859_1);
    }

    /** Content-* fields into the part; RFC 2045 5.2 / RFC 2046 5.1.5 defaults. */
    private static void describe(MessagePart p, String[] f, boolean digestChild) {
        MimeValues.TypeValue ct = f[Fields.CONTENT_TYPE] == null ? null : MimeValues.contentType(f[Fields.CONTENT_TYPE]);
        if (ct != null) {
            p.type = ct.type();
            p.subtype = ct.subtype();
            p.params = ct.params();
        } else if (digestChild) {
            p.type = "message";
            p.subtype = "rfc822";
        }
        if (p.type.equalsIgnoreCase("multipart")) {
            p.kind = MessagePart.Kind.MULTIPART;
        } else if (p.is("message", "rfc822") || p.is("message", "global")) {
            p.kind = MessagePart.Kind.MESSAGE;
        }
        if (f[Fields.CONTENT_TRANSFER_ENCODING] != null) {
            p.encoding = MimeValues.encoding(f[Fields.CONTENT_TRANSFER_ENCODING]);
        }
        p.id = f[Fields.CONTENT_ID];
        p.description = f[Fields.CONTENT_DESCRIPTION];
        p.md5 = f[Fields.CONTENT_MD5];
        p.location = f[Fields.CONTENT_LOCATION];
        if (f[Fields.CONTENT_DISPOSITION] != null) {
            MimeValues.TypeValue d = MimeValues.disposition(f[Fields.CONTENT_DISPOSITION]);
            if (d != null) {
                p.disposition = d.type();
                p.dispositionParams = d.params();
            }
        }
        if (f[Fields.CONTENT_LANGUAGE] != null) {
            p.languages = MimeValues.languages(f[Fields.CONTENT_LANGUAGE]);
        }
    }
}
