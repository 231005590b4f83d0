package org.mailroom.imap.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

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
        return StructureCodec.write(this);
    }

    /**
     * Reads what {@link #toBytes()} wrote. Every count and length is checked against the input and
     * the limits, so corrupt input fails fast.
     *
     * @throws StructureFormatException on another version, truncated or corrupt input
     */
    public static MessageStructure fromBytes(byte[] bytes) throws StructureFormatException {
        return StructureCodec.read(bytes);
    }

    long[] marks() { return marks; }
}
