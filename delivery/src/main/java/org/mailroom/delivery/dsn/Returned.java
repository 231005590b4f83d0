package org.mailroom.delivery.dsn;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.mailroom.core.store.MessageContent;

/**
 * The part of the original that goes back with a report, measured in one streamed pass before
 * anything is written: how long it is, whether it has 8-bit octets, and whether a line of it
 * starts with the boundary delimiter that would end the report's part early (RFC 2046 5.1.1).
 *
 * @param full the whole message (else its header section only, RFC 6522 3)
 * @param length octets to copy from the start of the original
 * @param eightBit some octet of those is above 127 (RFC 2045 2.8)
 * @param headersEightBit the header section has such an octet (RFC 6532 UTF-8 headers; the part
 *     is then {@code message/global} or {@code message/global-headers}, RFC 6533 6.3)
 * @param delimiterFound a line starts with {@code --boundary}: choose another boundary
 */
record Returned(boolean full, long length, boolean eightBit, boolean headersEightBit, boolean delimiterFound) {

    static Returned scan(MessageContent original, boolean full, byte[] delimiter) throws IOException {
        long n = 0;
        long lineStart = 0;
        long headerEnd = -1;
        boolean eight = false;
        boolean headersEight = false;
        boolean found = false;
        int match = 0; // next delimiter octet to match on this line; -1 once the line differs
        int prev = '\n';
        try (InputStream in = new BufferedInputStream(original.open(), 65536)) {
            int b;
            while ((b = in.read()) >= 0) {
                n++;
                if (match >= 0) {
                    if (match < delimiter.length && b == delimiter[match]) {
                        if (++match == delimiter.length) found = true;
                    } else {
                        match = -1;
                    }
                }
                if (b >= 0x80) {
                    eight = true;
                    if (headerEnd < 0) headersEight = true;
                }
                if (b == '\n') {
                    long len = n - 1 - lineStart; // without the LF
                    // a line of just CR (stray, the store keeps LF) is empty too, as Mime4j reads it
                    if (headerEnd < 0 && (len == 0 || (len == 1 && prev == '\r'))) {
                        headerEnd = lineStart; // RFC 5322 2.1: an empty line ends the header section
                        if (!full) break;
                    }
                    lineStart = n;
                    match = 0;
                }
                prev = b;
            }
        }
        if (headerEnd < 0) headerEnd = n; // no body at all: all of it is header
        if (!full) {
            // the empty line and what follows are not returned; the octets counted past headerEnd
            // are only the empty line, which has nothing above 127 and is not a delimiter
            return new Returned(false, headerEnd, headersEight, headersEight, found);
        }
        return new Returned(true, n, eight, headersEight, found);
    }
}
