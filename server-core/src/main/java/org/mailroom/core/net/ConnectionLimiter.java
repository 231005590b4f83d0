package org.mailroom.core.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections over all listeners, in total and per client address, and refuses those
 * above the limits with the protocol's own temporary-error line. Shared by every channel; the
 * counts are released when the channel closes.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxTotal;
    private final int maxPerClient;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    public int open() { return total.get(); }

    /**
     * Admits the connection or answers {@code refusal} and closes it.
     *
     * @return true when admitted; the counts are then released when the channel closes
     */
    boolean admit(io.netty.channel.Channel ch, String listener, String refusal) {
        InetAddress addr = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        int t = total.incrementAndGet();
        int p = perClient.compute(addr, (a, v) -> v == null ? 1 : v + 1);
        ch.closeFuture().addListener(f -> release(addr));
        if (t > maxTotal || p > maxPerClient) {
            log.warn("{}: refused connection from [{}]: {} open in total, {} from this client (limits {} and {})",
                    listener, addr.getHostAddress(), t, p, maxTotal, maxPerClient);
            ch.writeAndFlush(Unpooled.copiedBuffer(refusal + "\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        return true;
    }

    private void release(InetAddress addr) {
        total.decrementAndGet();
        perClient.compute(addr, (a, v) -> v == null || v <= 1 ? null : v - 1);
    }

    /** An inbound handler that stops the pipeline of a refused connection from seeing any input. */
    static final class Refused extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }
}
