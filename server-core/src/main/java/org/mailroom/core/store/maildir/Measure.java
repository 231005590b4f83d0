package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sizes of a message file whose name does not carry them ({@code ,S=} and {@code ,W=}). */
final class Measure {
    private Measure() {}

    /**
     * {@code {stored size, CRLF size}}. A file whose first line ends in CR LF is taken as CRLF
     * throughout (IMAP then sends it as stored); otherwise every LF not preceded by CR counts one
     * octet more.
     */
    static long[] sizes(Path p) throws IOException {
        long size = 0, bareLf = 0;
        byte[] buf = new byte[65536];
        int prev = -1;
        boolean firstLine = true, crlfFile = false;
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        if (firstLine) {
                            firstLine = false;
                            crlfFile = prev == '\r';
                            if (crlfFile) return new long[] {Files.size(p), Files.size(p)};
                        }
                        if (prev != '\r') bareLf++;
                    }
                    prev = buf[i];
                }
                size += n;
            }
        }
        return new long[] {size, size + bareLf};
    }
}
