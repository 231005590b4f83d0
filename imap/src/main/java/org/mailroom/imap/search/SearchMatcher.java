package org.mailroom.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Evaluates one {@link SearchProgram} against candidates, one at a time, with scratch buffers
 * reused from message to message (the message octets, decode buffers, field positions), so a
 * search allocates little per message. Not thread-safe: take one per thread from
 * {@link SearchProgram#matcher()}; the program itself is shared.
 */
public final class SearchMatcher {

    private static final int INITIAL = 64 * 1024;
    /** A buffer grown beyond this for one large message is dropped afterwards. */
    private static final int RETAIN = 4 << 20;
    private static final int MAX_MESSAGE = Integer.MAX_VALUE - 16;

    private static final int NOTHING = 0;
    private static final int HEADER = 1;
    private static final int MESSAGE = 2;

    private final SearchNode root;
    private final MessageText text = new MessageText();
    private final int[] field = new int[4];
    private byte[] buf = new byte[0]; // allocated when a key first reads the message
    private int len;
    private int headerEnd;
    private int loaded;
    private Candidate current;

    SearchMatcher(SearchNode root) {
        this.root = root;
    }

    /**
     * Whether the candidate satisfies the search key. Reads the header and the message through
     * the candidate only if a key still needs them after the cheaper keys were evaluated.
     *
     * @throws IOException from the candidate's streams (e.g. the message was expunged meanwhile)
     */
    public boolean matches(Candidate c) throws IOException {
        current = c;
        loaded = NOTHING;
        try {
            return root.eval(this);
        } finally {
            current = null;
            if (buf.length > RETAIN) {
                buf = new byte[0];
            }
            text.trim();
        }
    }

    Candidate candidate() {
        return current;
    }

    byte[] bytes() {
        return buf;
    }

    /** Octets read; the whole message after {@link #ensureMessage()}. */
    int length() {
        return len;
    }

    /** End of the header block (just after the empty line), or {@link #length()} without one. */
    int headerEnd() {
        return headerEnd;
    }

    int[] field() {
        return field;
    }

    MessageText text() {
        return text;
    }

    /** Makes the header block available in {@link #bytes()}{@code [0, headerEnd())}. */
    void ensureHeader() throws IOException {
        if (loaded != NOTHING) {
            return;
        }
        len = 0;
        try (InputStream in = current.openHeader()) {
            // Scan each octet once, however the stream splits the data (a hostile header of
            // many megabytes in small reads must not cost quadratic time).
            int lineStart = 0;
            int scanned = 0;
            while (true) {
                int r = fill(in);
                int body = -1;
                while (true) {
                    if (lineStart < len && buf[lineStart] == '\n') {
                        body = lineStart + 1;
                        break;
                    }
                    if (lineStart + 1 < len && buf[lineStart] == '\r' && buf[lineStart + 1] == '\n') {
                        body = lineStart + 2;
                        break;
                    }
                    int nl = HeaderFields.indexOfLf(buf, Math.max(lineStart, scanned), len);
                    if (nl < 0) {
                        scanned = len;
                        break;
                    }
                    lineStart = nl + 1;
                }
                if (body >= 0) {
                    headerEnd = body;
                    break;
                }
                if (r < 0) {
                    headerEnd = len;
                    break;
                }
            }
        }
        loaded = HEADER;
    }

    /** Makes the whole message available in {@link #bytes()}{@code [0, length())}. */
    void ensureMessage() throws IOException {
        if (loaded == MESSAGE) {
            return;
        }
        len = 0;
        try (InputStream in = current.openMessage()) {
            while (fill(in) >= 0) {
                // read to the end
            }
        }
        int body = HeaderFields.bodyStart(buf, 0, len);
        headerEnd = body < 0 ? len : body;
        loaded = MESSAGE;
    }

    /** One read into the buffer, growing it when full; -1 at the end of the stream. */
    private int fill(InputStream in) throws IOException {
        if (len == buf.length) {
            if (len >= MAX_MESSAGE) {
                throw new IOException("message too large to search: over " + MAX_MESSAGE + " octets");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_MESSAGE, Math.max(INITIAL, 2L * buf.length)));
        }
        int r = in.read(buf, len, buf.length - len);
        if (r > 0) {
            len += r;
        }
        return r;
    }
}
