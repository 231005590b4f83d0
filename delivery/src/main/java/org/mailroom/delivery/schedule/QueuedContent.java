package org.mailroom.delivery.schedule;

import java.io.IOException;
import java.io.InputStream;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.queue.QueueStore;

/**
 * A queued message's content as {@link MessageContent}: read from the store (the line count is
 * read once, when asked), or the copy in memory that the writer handed over with the message.
 */
final class QueuedContent implements MessageContent {
    private final QueueStore store;
    private final String id;
    private final MessageContent held;
    private final long size;
    private long lines = -1;

    QueuedContent(QueueStore store, String id) throws IOException {
        this.store = store;
        this.id = id;
        this.held = null;
        this.size = store.contentSize(id);
    }

    /** The content as written to the store, kept in memory. */
    QueuedContent(MessageContent held) {
        this.store = null;
        this.id = null;
        this.held = held;
        this.size = held.size();
        this.lines = held.lines();
    }

    @Override
    public long size() { return size; }

    @Override
    public long lines() {
        if (lines < 0) {
            long n = 0;
            byte[] buf = new byte[65536];
            try (InputStream in = open()) {
                int r;
                while ((r = in.read(buf)) > 0) for (int i = 0; i < r; i++) if (buf[i] == '\n') n++;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            lines = n;
        }
        return lines;
    }

    @Override
    public InputStream open() throws IOException {
        return held != null ? held.open() : store.openContent(id);
    }
}
