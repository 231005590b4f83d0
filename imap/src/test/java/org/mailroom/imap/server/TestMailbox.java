package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SelectedMailbox} whose updates a test pushes ({@link #push}), from any thread, as the
 * store's writer would. EXPUNGE lines are held back while expunges are not allowed.
 */
final class TestMailbox implements SelectedMailbox {
    private final boolean readOnly;
    private final List<String> pending = new ArrayList<>();
    private Runnable wake;
    volatile boolean closed;
    /** What the last flushUpdates call was told. */
    volatile Boolean lastExpungeAllowed;

    TestMailbox(boolean readOnly) {
        this.readOnly = readOnly;
    }

    @Override public boolean readOnly() { return readOnly; }

    /** Queues an untagged response (without "* " and CRLF) and wakes an IDLE. */
    void push(String update) {
        Runnable w;
        synchronized (this) {
            pending.add(update);
            w = wake;
        }
        if (w != null) w.run();
    }

    @Override
    public synchronized void flushUpdates(ByteBuf out, boolean expungeAllowed) {
        lastExpungeAllowed = expungeAllowed;
        List<String> kept = new ArrayList<>();
        for (String u : pending) {
            if (!expungeAllowed && u.endsWith("EXPUNGE")) {
                kept.add(u);
                continue;
            }
            out.writeBytes(("* " + u + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        pending.clear();
        pending.addAll(kept);
    }

    @Override
    public synchronized void onUpdate(Runnable wake) {
        this.wake = wake;
    }

    @Override
    public void close() {
        closed = true;
    }
}
