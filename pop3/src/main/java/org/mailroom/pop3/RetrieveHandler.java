package org.mailroom.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.mailroom.pop3.Pop3Request.Top;

/**
 * RETR and TOP (RFC 1939 5, 7): stream a message from the store as a byte-stuffed multi-line reply.
 *
 * <p>The message is never held in memory whole. Each step reads one chunk on the blocking executor
 * and converts it ({@link DotStuffer}); the event loop writes it, and the next chunk is read only
 * when that write has reached the socket, so a slow client holds at most one chunk per session. The
 * status line goes out only after the first chunk was read, so a message expunged by another
 * session meanwhile gets a clean {@code -ERR}. Pipelined commands wait until the transfer is done.
 *
 * <p>Read-ahead: clients download in order (fetchmail, Thunderbird and Outlook RETR 1, 2, 3, ...),
 * so when a RETR is sent whole, the first chunk of the next message is read meanwhile; a RETR of it
 * then answers without waiting for the blocking executor. One chunk per session at most; it is
 * dropped when another message is asked for or the session ends.
 */
final class RetrieveHandler {
    /** Octets read from the store per step; the converted chunk is at most twice that. */
    static final int CHUNK = 64 * 1024;

    private final Pop3Session session;
    private final BlockingExecutor executor;
    /** The first chunk of message {@link #aheadMsg}, being read or read; or null. */
    private java.util.concurrent.CompletableFuture<Transfer> ahead;
    private int aheadMsg;

    RetrieveHandler(Pop3Session session, BlockingExecutor executor) {
        this.session = session;
        this.executor = executor;
    }

    Reply retr(int msg) throws Pop3Error {
        MessageRef m = session.maildrop().require(msg);
        Reply status = Reply.ok(m.rfc822Size() + " octets");
        java.util.concurrent.CompletableFuture<Transfer> read = takeAhead(msg);
        if (read == null) return start(msg, m, -1, status, true);
        if (read.isDone() && !read.isCompletedExceptionally() && read.join().finished()) {
            return begin(msg, status, read.join(), null); // all of it read: no hop at all
        }
        return session.await(read, (t, error) -> begin(msg, status, t, error));
    }

    Reply top(Top req) throws Pop3Error {
        MessageRef m = session.maildrop().require(req.msg());
        return start(req.msg(), m, req.lines(), Reply.ok(""), false);
    }

    private Reply start(int msg, MessageRef m, long bodyLines, Reply status, boolean countAsRetr) {
        Mailbox mailbox = session.maildrop().mailbox();
        ByteBufAllocator alloc = session.alloc();
        return session.blocking(() -> firstChunk(mailbox, msg, m, bodyLines, countAsRetr, alloc),
                (t, error) -> begin(msg, status, t, error));
    }

    /** Blocking: opens the message and reads its first chunk. */
    private static Transfer firstChunk(Mailbox mailbox, int msg, MessageRef m, long bodyLines, boolean countAsRetr,
                                       ByteBufAllocator alloc) throws IOException {
        Transfer t = new Transfer(msg, mailbox.open(m.uid()), new DotStuffer(bodyLines), countAsRetr);
        t.read(alloc);
        return t;
    }

    /** On the event loop, with the first chunk read (or its failure): the status line, then the chunks. */
    private Reply begin(int msg, Reply status, Transfer t, Throwable error) throws Pop3Error {
        if (error instanceof NoSuchFileException || error instanceof org.mailroom.core.store.StoreException se
                && se.reason() == org.mailroom.core.store.StoreException.Reason.EXPUNGED) throw new Pop3Error("Message " + msg + " was removed by another session");
        session.requireNoError(error, "read message " + msg);
        if (session.isOpen()) session.writeStatus(status);
        return send(t, session.alloc());
    }

    /** The read-ahead of {@code msg}, taken; a read-ahead of another message is dropped. */
    private java.util.concurrent.CompletableFuture<Transfer> takeAhead(int msg) {
        java.util.concurrent.CompletableFuture<Transfer> a = ahead;
        ahead = null;
        if (a == null || aheadMsg == msg) return a;
        drop(a);
        return null;
    }

    /** Drops the read-ahead, if any (the session ends). */
    void dropAhead() {
        java.util.concurrent.CompletableFuture<Transfer> a = ahead;
        ahead = null;
        if (a != null) drop(a);
    }

    private void drop(java.util.concurrent.CompletableFuture<Transfer> a) {
        a.whenComplete((t, error) -> {
            if (t == null) return;
            io.netty.util.ReferenceCountUtil.release(t.take());
            closeLater(t);
        });
    }

    /** After message {@code msg} went out whole: reads the first chunk of the next one that is not deleted. */
    private void readAhead(int msg) {
        dropAhead();
        Maildrop drop = session.maildrop();
        if (drop == null || !session.isOpen() || msg + 1 > drop.size()) return;
        MessageRef next;
        try {
            next = drop.require(msg + 1);
        } catch (Pop3Error deleted) {
            return;
        }
        Mailbox mailbox = drop.mailbox();
        ByteBufAllocator alloc = session.alloc();
        aheadMsg = msg + 1;
        ahead = executor.submit(() -> firstChunk(mailbox, msg + 1, next, -1, true, alloc));
    }

    /** Writes the chunk read last; then either the transfer is complete or the next read is started. */
    private Reply send(Transfer t, ByteBufAllocator alloc) {
        ByteBuf chunk = t.take();
        if (!session.isOpen()) {
            chunk.release();
            closeLater(t);
            return Reply.WRITTEN;
        }
        ChannelFuture written = session.writeRaw(chunk);
        if (t.finished()) {
            if (t.countAsRetr) {
                session.retrieved(t.octets);
                readAhead(t.msg);
            }
            return Reply.WRITTEN;
        }
        session.holdInput();
        written.addListener(f -> {
            if (!f.isSuccess()) { // the client went away; the session releases the rest
                closeLater(t);
                return;
            }
            session.blocking(() -> {
                t.read(alloc);
                return t;
            }, (same, error) -> {
                if (error != null) {
                    session.abort("reading a message failed half-way: " + error);
                    return Reply.WRITTEN;
                }
                return send(same, alloc);
            });
        });
        return Reply.PENDING;
    }

    private void closeLater(Transfer t) {
        executor.submit(() -> {
            t.close();
            return null;
        });
    }

    /** One message being sent: the open store stream, the converter and the chunk read last. */
    private static final class Transfer {
        private final int msg;
        private final InputStream in;
        private final DotStuffer stuffer;
        private final boolean countAsRetr;
        private final byte[] buf = new byte[CHUNK];
        private ByteBuf chunk;
        private boolean finished;
        private long octets;

        Transfer(int msg, InputStream in, DotStuffer stuffer, boolean countAsRetr) {
            this.msg = msg;
            this.in = in;
            this.stuffer = stuffer;
            this.countAsRetr = countAsRetr;
        }

        /** Blocking: reads and converts the next chunk; the last one ends with the "." line. */
        void read(ByteBufAllocator alloc) throws IOException {
            ByteBuf out = alloc.buffer(CHUNK + CHUNK / 8);
            try {
                int n = in.readNBytes(buf, 0, CHUNK);
                stuffer.encode(buf, 0, n, out);
                if (n < CHUNK || stuffer.done()) {
                    stuffer.finish(out);
                    finished = true;
                    close();
                }
            } catch (IOException | RuntimeException e) {
                out.release();
                close();
                throw e;
            }
            octets += out.readableBytes();
            chunk = out;
        }

        ByteBuf take() {
            ByteBuf c = chunk;
            chunk = null;
            return c;
        }

        boolean finished() { return finished; }

        void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // a read-only stream; nothing is lost
            }
        }
    }
}
