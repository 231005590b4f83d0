package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.CompletableFuture;
import org.mailroom.core.exec.BlockingExecutor;

/**
 * One {@link ImapContext#stream}: makes a batch (on the blocking executor or the event loop), writes
 * and flushes it on the event loop (the last one is only written: the session flushes it with the
 * tagged response that completing {@code done} leads to), and makes the next only when the channel is writable again
 * (Netty's write-buffer high-water mark), so a slow reader holds at most about one batch plus the
 * mark in memory. Completes {@code done} after the last batch, or with the first failure; a closed
 * connection fails it with {@link ImapBye} and releases the batch in hand.
 */
final class ResponseStreamer {
    private final ImapSession session;
    private final ResponseBatches source;
    private final boolean blocking;
    private final CompletableFuture<Void> done;

    ResponseStreamer(ImapSession session, ResponseBatches source, boolean blocking, CompletableFuture<Void> done) {
        this.session = session;
        this.source = source;
        this.blocking = blocking;
        this.done = done;
    }

    /** Makes and writes the next batch; on the event loop. */
    void next() {
        if (session.closed()) {
            done.completeExceptionally(new ImapBye("Connection closed"));
            return;
        }
        ChannelHandlerContext ctx = session.channelContext();
        if (!blocking) {
            ByteBuf out = ctx.alloc().buffer(ResponseBatches.BATCH_OCTETS);
            boolean more;
            try {
                more = source.next(out);
            } catch (Exception e) {
                out.release();
                done.completeExceptionally(e);
                return;
            }
            written(out, more);
            return;
        }
        ByteBufAllocator alloc = ctx.alloc();
        session.executor().submit(() -> {
            ByteBuf out = alloc.buffer(ResponseBatches.BATCH_OCTETS);
            try {
                return new Batch(out, source.next(out));
            } catch (Exception e) {
                out.release();
                throw e;
            }
        }).whenComplete((b, e) -> session.onEventLoop(() -> {
            if (e != null) done.completeExceptionally(BlockingExecutor.unwrap(e));
            else written(b.out(), b.more());
        }, b == null ? null : b.out()));
    }

    private void written(ByteBuf out, boolean more) {
        if (session.closed()) {
            out.release();
            done.completeExceptionally(new ImapBye("Connection closed"));
            return;
        }
        ChannelHandlerContext ctx = session.channelContext();
        if (!more) {
            // the last batch leaves with the tagged response, in one flush (the session flushes it)
            ctx.write(out);
            done.complete(null);
            return;
        }
        ctx.writeAndFlush(out);
        if (!more) {
            done.complete(null);
        } else if (ctx.channel().isWritable()) {
            next();
        } else {
            session.whenWritable(this::next); // channelWritabilityChanged goes on
        }
    }

    private record Batch(ByteBuf out, boolean more) {}
}
