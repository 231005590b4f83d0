package org.mailroom.imap.message;

import java.io.IOException;

/**
 * Cached structure or envelope octets that cannot be read back (another version, truncated,
 * corrupt). The caller parses the message again and rewrites its cache entry.
 */
public final class StructureFormatException extends IOException {

    public StructureFormatException(String message) {
        super(message);
    }
}
