package org.mailroom.core.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds back decoded input while the session waits for blocking work, so that commands are
 * executed strictly one after the other even when the client pipelines them. It sits right after
 * the frame decoder. {@link #pause()} stops the socket from being read (autoRead off) and queues
 * what the decoder already produced from bytes it had; {@link #resume()} replays the queue in order
 * until the session pauses again. The queue is bounded by what one socket read can decode, because
 * nothing more is read while paused.
 *
 * <p>Only ever called on the channel's event loop.
 */
public final class InboundGate extends ChannelInboundHandlerAdapter {
    public static final String NAME = "gate";

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean paused;
    private boolean draining;
    private long generation;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (paused || !held.isEmpty()) {
            held.add(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!paused) ctx.fireChannelReadComplete();
    }

    public boolean isPaused() { return paused; }

    /**
     * Stops reading and holds decoded input. Returns a generation number: whoever paused resumes
     * only if nobody paused again since ({@link #pauseGeneration()} unchanged).
     */
    public long pause() {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        return ++generation;
    }

    public long pauseGeneration() { return generation; }

    public void resume() {
        paused = false;
        if (draining) return; // the loop below picks up where it was
        draining = true;
        try {
            while (!paused && !held.isEmpty() && ctx.channel().isActive()) {
                ctx.fireChannelRead(held.poll());
            }
        } finally {
            draining = false;
        }
        if (!paused) {
            ctx.fireChannelReadComplete(); // flush replies written while draining
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Drops everything held (STARTTLS: nothing the client sent before the handshake is executed). */
    public void discardHeld() {
        while (!held.isEmpty()) ReferenceCountUtil.release(held.poll());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardHeld();
        ctx.fireChannelInactive();
    }
}
