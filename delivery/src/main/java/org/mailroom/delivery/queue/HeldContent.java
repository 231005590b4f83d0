package org.mailroom.delivery.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.mailroom.core.store.MessageContent;

/**
 * A small message's queued content in memory: what {@link QueueWriter} wrote to the queue file,
 * kept for the {@link Handoff} so that delivery does not read the file back.
 */
final class HeldContent implements MessageContent {
    private final byte[] bytes;
    private final long lines;

    private HeldContent(byte[] bytes, long lines) {
        this.bytes = bytes;
        this.lines = lines;
    }

    /** Copies {@code content} (at most {@code Integer.MAX_VALUE - 8} octets). */
    static HeldContent of(MessageContent content) throws IOException {
        byte[] b = new byte[Math.toIntExact(content.size())];
        try (InputStream in = content.open()) {
            int n = in.readNBytes(b, 0, b.length);
            if (n != b.length || in.read() != -1) {
                throw new IOException("content changed size while read: " + content.size() + " announced");
            }
        }
        return new HeldContent(b, content.lines());
    }

    @Override
    public long size() { return bytes.length; }

    @Override
    public long lines() { return lines; }

    @Override
    public InputStream open() {
        return new ByteArrayInputStream(bytes);
    }
}
