package org.mailroom.delivery.remote;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.mailroom.core.frame.Line;
import org.mailroom.core.frame.LineTooLong;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.ReplyParser;

/**
 * The Netty end of a client connection: turns {@link Line}s into {@link Reply}s and hands them,
 * in order, to the thread that drives the session ({@link SmtpConnection}); the end of the
 * connection and errors are handed over the same way, after every reply that came before them.
 * It also wakes that thread when the channel becomes writable again (backpressure for DATA).
 */
final class ReplyReader extends ChannelInboundHandlerAdapter {
    /** What the queue yields besides replies. */
    record Broken(String reason) {}

    // RFC 5321 4.5.3.2: a well-behaved server sends one reply per command; a server flooding us
    // with more than this is broken, and the connection is closed rather than buffered without end
    private static final int MAX_QUEUED = 1000;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final ReplyParser parser = new ReplyParser();
    private final Object writability = new Object();

    BlockingQueue<Object> queue() { return queue; }

    Object writabilityMonitor() { return writability; }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Line line) {
            try {
                Reply r = parser.feed(line.text());
                if (r != null) queue.add(r);
            } catch (IllegalArgumentException e) {
                broken(ctx, "malformed reply: " + e.getMessage());
            }
        } else if (msg instanceof LineTooLong) {
            broken(ctx, "reply line too long");
        }
        if (queue.size() > MAX_QUEUED) broken(ctx, "too many unsolicited replies");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queue.add(new Broken("connection closed by peer"));
        wakeWriters();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String m = cause.getMessage();
        broken(ctx, cause.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        wakeWriters();
        ctx.fireChannelWritabilityChanged();
    }

    private void wakeWriters() {
        synchronized (writability) {
            writability.notifyAll();
        }
    }

    private void broken(ChannelHandlerContext ctx, String reason) {
        queue.add(new Broken(reason));
        ctx.close();
    }
}
