package org.mailroom.delivery.queue;

import java.io.IOException;

/**
 * A queue record that cannot be read as {@link QueueEntryFormat} describes. Recovery moves such
 * files to {@code corrupt/}; they are never deleted, so the postmaster can look at them.
 */
public final class CorruptQueueFile extends IOException {
    private final String source;
    private final int line;

    /**
     * @param source the file (or other origin) that was read
     * @param line   1-based line number of the problem, or 0 when it concerns the whole file
     */
    public CorruptQueueFile(String source, int line, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public String source() { return source; }

    public int line() { return line; }
}
