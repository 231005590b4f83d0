package org.mailroom.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * Text search inside one message held as bytes: the header block (TEXT) and the decoded text of
 * the body (BODY, TEXT). Walks the MIME structure (RFC 2045, RFC 2046) in place over the bytes and
 * decodes only what it must.
 *
 * <p>What counts as body text: the content of every {@code text/*} part (and of a part without
 * Content-Type, RFC 2045 5.2; {@code message/rfc822} inside {@code multipart/digest}, RFC 2046
 * 5.1.5), with its Content-Transfer-Encoding removed and its charset decoded, at any multipart
 * depth; the header and body of an attached {@code message/rfc822} or {@code message/global}
 * (RFC 6532) as well; {@code message/delivery-status} and {@code message/disposition-notification}
 * as text. Not searched: non-text parts (attachments, images; RFC 9051 6.4.4 lets servers exclude
 * terminal types other than TEXT and MESSAGE, and Dovecot without FTS does), multipart preambles
 * and epilogues. MIME part headers count for TEXT ("header (including MIME header fields)", RFC
 * 9051 6.4.4), not for BODY. HTML is searched as it is, tags included.
 *
 * <p>How: an ASCII needle ({@link Needle#ascii}) is searched in the octets of 7bit/8bit/binary
 * parts in place when the charset is an ASCII superset ({@link Charsets#asciiCompatible}); QP and
 * base64 parts are first decoded (Mime4j codec) into a reused buffer. Other needles and other
 * charsets decode the part to a String and compare {@link CaseFold case-folded} text; in an
 * ASCII superset that happens only where the needle's ASCII core ({@link Needle#asciiCore})
 * occurs as bytes.
 *
 * <p>XXX The structure is found by our own scan rather than Mime4j's MimeTokenStream: the
 * token stream creates Field objects and streams per entity and copies every body. On the
 * benchmark folder (10,000 messages, 154 MB, one thread) MimeTokenStream only parsing and
 * decoding the text parts took 0.20 s, our whole TEXT search, file reads included, 0.15 s.
 * The tests check this scan against MimeTokenStream's view of the same messages. Not handled: RFC 2231 continuations of
 * the boundary parameter, CTEs other than QP and base64 (searched raw). A needle with a line
 * break takes the decoding path ({@link Needle#multiline}).
 *
 * <p>Not thread-safe: one instance per thread ({@link SearchMatcher} owns one).
 */
final class MessageText {

    /** Nesting beyond this many multipart/message levels is not searched. */
    static final int MAX_DEPTH = 32;

    private static final int KIND_TEXT = 0;
    private static final int KIND_MULTIPART = 1;
    private static final int KIND_MESSAGE = 2;
    private static final int KIND_OTHER = 3;

    private static final int CTE_IDENTITY = 0;
    private static final int CTE_QP = 1;
    private static final int CTE_BASE64 = 2;

    private static final int RETAIN = 1 << 20;

    /**
     * RFC 2046 5.1.1 allows 70 characters; longer boundaries are accepted up to this, beyond it
     * the multipart is read as text, which also bounds the delimiter search's worst case.
     */
    static final int MAX_BOUNDARY = 256;

    private static final byte[] CONTENT_TYPE = bytes("content-type");
    private static final byte[] CONTENT_TRANSFER_ENCODING = bytes("content-transfer-encoding");

    private final int[] field = new int[4];
    private final RangeStream range = new RangeStream();
    private byte[] decoded = new byte[0];
    private final Delimiters delimiters = new Delimiters(MAX_DEPTH);

    /** For the current bodyContains call: search MIME part headers too. */
    private boolean partHeaders;

    // Result of the last parseEntityHeader; consumed before any recursion.
    private int kind;
    private boolean digest;
    private int cte;
    private int charsetOff;
    private int charsetLen;
    private byte[] boundaryBytes;
    private int boundaryOff;
    private int boundaryLen;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Drops a decode buffer that grew large for one message. */
    void trim() {
        if (decoded.length > RETAIN) {
            decoded = new byte[0];
        }
    }

    /**
     * Whether the header block {@code b[from, to)} contains the needle: each field as written
     * ({@code name ":" value}), the value unfolded and RFC 2047-decoded.
     */
    boolean headerContains(byte[] b, int from, int to, Needle n) {
        if (n.isEmpty()) {
            return true;
        }
        if (!HeaderFields.mayHaveEncodedWords(b, from, to)) {
            if (n.ascii != null && n.indexIn(b, from, to) >= 0) {
                return true; // a hit inside one line is a hit in the unfolded text too
            }
            if (n.ascii != null && (!n.hasWhitespace || !hasFolds(b, from, to))) {
                return false; // only a needle with WSP can span a fold
            }
            if (n.ascii == null && !n.mayOccurIn(b, from, to)) {
                return false; // the ASCII core has no WSP, so it cannot span a fold either
            }
        }
        int pos = from;
        while ((pos = HeaderFields.next(b, pos, to, field)) >= 0) {
            // The field as written up to the colon, so this path and the raw one above agree.
            String name = new String(b, field[0], field[2] - field[0], StandardCharsets.ISO_8859_1);
            String text = name + HeaderFields.value(b, field[2], field[3], true);
            if (n.in(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasFolds(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\n' && (b[i + 1] == ' ' || b[i + 1] == '\t')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the decoded body text of the message {@code b[0, len)} contains the needle; with
     * {@code partHeaders} (TEXT) the header blocks of the MIME parts count as well.
     */
    boolean bodyContains(byte[] b, int len, Needle n, boolean partHeaders) throws IOException {
        if (n.isEmpty()) {
            return true;
        }
        this.partHeaders = partHeaders;
        return entity(b, 0, len, 0, false, n, false);
    }

    private boolean entity(byte[] b, int start, int end, int depth, boolean inDigest, Needle n,
            boolean searchHeader) throws IOException {
        int body = HeaderFields.bodyStart(b, start, end);
        int headerEnd = body < 0 ? end : body;
        if (searchHeader && headerContains(b, start, headerEnd, n)) {
            return true;
        }
        if (body < 0) {
            return false;
        }
        parseEntityHeader(b, start, headerEnd, inDigest);
        switch (kind) {
            case KIND_TEXT:
                return textContains(b, body, end, n);
            case KIND_MULTIPART:
                if (depth >= MAX_DEPTH) {
                    return false;
                }
                if (boundaryLen == 0 || boundaryLen > MAX_BOUNDARY) {
                    return textContains(b, body, end, n); // no usable boundary: read it as text
                }
                delimiters.prepare(depth, boundaryBytes, boundaryOff, boundaryLen);
                return multipart(b, body, end, depth, digest, n);
            case KIND_MESSAGE:
                return depth < MAX_DEPTH && entity(b, body, end, depth + 1, false, n, true);
            default:
                return false;
        }
    }

    private boolean textContains(byte[] b, int from, int to, Needle n) throws IOException {
        boolean compatible = Charsets.asciiCompatible(b, charsetOff, charsetLen);
        if (cte == CTE_IDENTITY) {
            if (compatible && !n.mayOccurIn(b, from, to)) {
                return false;
            }
            if (compatible && n.ascii != null) {
                return true;
            }
            return n.in(new String(b, from, to - from, Charsets.forName(charsetName(b))));
        }
        String charset = compatible && n.ascii != null ? null : charsetName(b);
        int len = decode(b, from, to, cte);
        if (compatible && !n.mayOccurIn(decoded, 0, len)) {
            return false;
        }
        if (compatible && n.ascii != null) {
            return true;
        }
        return n.in(new String(decoded, 0, len, Charsets.forName(charset)));
    }

    private String charsetName(byte[] b) {
        return charsetLen == 0 ? null : new String(b, charsetOff, charsetLen, StandardCharsets.ISO_8859_1);
    }

    private int decode(byte[] b, int from, int to, int encoding) throws IOException {
        range.set(b, from, to);
        InputStream in = encoding == CTE_BASE64
                ? new Base64InputStream(range, DecodeMonitor.SILENT)
                : new QuotedPrintableInputStream(range, DecodeMonitor.SILENT);
        int n = 0;
        while (true) {
            if (n == decoded.length) {
                decoded = java.util.Arrays.copyOf(decoded, Math.max(16 * 1024, decoded.length * 2));
            }
            int r = in.read(decoded, n, decoded.length - n);
            if (r < 0) {
                return n;
            }
            n += r;
        }
    }

    /** RFC 2046 5.1.1: the parts lie between delimiter lines; a close delimiter ends them. */
    private boolean multipart(byte[] b, int from, int end, int depth, boolean childDigest, Needle n)
            throws IOException {
        int pos = from;
        int partStart = -1;
        while (true) {
            int d = delimiters.find(b, pos, end, from, depth);
            if (d < 0) {
                // XXX no close delimiter: the last part runs to the end, as Mime4j reads it.
                return partStart >= 0 && entity(b, partStart, end, depth + 1, childDigest, n, partHeaders);
            }
            if (partStart >= 0) {
                int partEnd = d;
                if (partEnd > partStart && b[partEnd - 1] == '\n') {
                    partEnd--; // the line break before a delimiter belongs to the delimiter
                    if (partEnd > partStart && b[partEnd - 1] == '\r') {
                        partEnd--;
                    }
                }
                if (entity(b, partStart, partEnd, depth + 1, childDigest, n, partHeaders)) {
                    return true;
                }
            }
            int q = d + delimiters.length(depth);
            if (q + 1 < end && b[q] == '-' && b[q + 1] == '-') {
                return false; // close delimiter; the epilogue is not text
            }
            int nl = HeaderFields.indexOfLf(b, q, end);
            partStart = nl < 0 ? end : nl + 1;
            pos = partStart;
        }
    }

    /** Reads Content-Type and Content-Transfer-Encoding of the header block {@code b[from, to)}. */
    private void parseEntityHeader(byte[] b, int from, int to, boolean inDigest) {
        // RFC 2045 5.2 / RFC 2046 5.1.5: the defaults when Content-Type is absent.
        kind = inDigest ? KIND_MESSAGE : KIND_TEXT;
        digest = false;
        cte = CTE_IDENTITY;
        charsetOff = 0;
        charsetLen = 0;
        boundaryLen = 0;
        int pos = from;
        while ((pos = HeaderFields.next(b, pos, to, field)) >= 0) {
            if (HeaderFields.nameIs(b, field[0], field[1], CONTENT_TYPE)) {
                ContentType.parse(b, field[2], field[3], this);
            } else if (HeaderFields.nameIs(b, field[0], field[1], CONTENT_TRANSFER_ENCODING)) {
                int s = ContentType.skipCfws(b, field[2], field[3]);
                int e = ContentType.tokenEnd(b, s, field[3]);
                if (ContentType.equalsIgnoreCase(b, s, e, "base64")) {
                    cte = CTE_BASE64;
                } else if (ContentType.equalsIgnoreCase(b, s, e, "quoted-printable")) {
                    cte = CTE_QP;
                } else {
                    cte = CTE_IDENTITY;
                }
            }
        }
    }

    /** Called by {@link ContentType#parse} with the media type found. */
    void mediaType(byte[] b, int typeStart, int typeEnd, int subStart, int subEnd) {
        charsetLen = 0;
        boundaryLen = 0;
        digest = false;
        if (ContentType.equalsIgnoreCase(b, typeStart, typeEnd, "text")) {
            kind = KIND_TEXT;
        } else if (ContentType.equalsIgnoreCase(b, typeStart, typeEnd, "multipart")) {
            kind = KIND_MULTIPART;
            digest = ContentType.equalsIgnoreCase(b, subStart, subEnd, "digest");
        } else if (ContentType.equalsIgnoreCase(b, typeStart, typeEnd, "message")) {
            if (ContentType.equalsIgnoreCase(b, subStart, subEnd, "rfc822")
                    || ContentType.equalsIgnoreCase(b, subStart, subEnd, "global")) {
                kind = KIND_MESSAGE;
            } else if (ContentType.equalsIgnoreCase(b, subStart, subEnd, "delivery-status")
                    || ContentType.equalsIgnoreCase(b, subStart, subEnd, "disposition-notification")) {
                kind = KIND_TEXT;
            } else {
                kind = KIND_OTHER;
            }
        } else {
            kind = KIND_OTHER;
        }
    }

    /** Called by {@link ContentType#parse} for a charset parameter. */
    void charset(int off, int len) {
        charsetOff = off;
        charsetLen = len;
    }

    /** Called by {@link ContentType#parse} for a boundary parameter. */
    void boundary(byte[] bytes, int off, int len) {
        boundaryBytes = bytes;
        boundaryOff = off;
        boundaryLen = len;
    }
}
