package org.mailroom.core.net;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bound service: its name ({@code smtp}, {@code pop3s}, ...) and the server channels, one per
 * configured address. {@link #boundAddresses()} gives the real ports when port 0 was configured.
 */
public final class Listener {
    private final String name;
    private final List<Channel> channels;
    private final Counts counts;

    /** Connections of one listener, counted on accept and on close (for status and metrics). */
    static final class Counts {
        final AtomicInteger open = new AtomicInteger();
        final LongAdder accepted = new LongAdder();
        final LongAdder refused = new LongAdder();

        void opened(Channel ch) {
            accepted.increment();
            open.incrementAndGet();
            ch.closeFuture().addListener(f -> open.decrementAndGet());
        }
    }

    Listener(String name, List<Channel> channels, Counts counts) {
        this.name = name;
        this.channels = List.copyOf(channels);
        this.counts = counts;
    }

    public String name() { return name; }

    /** Connections of this listener open now (admitted by the limits, not yet closed). */
    public int openConnections() { return counts.open.get(); }

    /** Connections admitted since the listener was bound. */
    public long acceptedConnections() { return counts.accepted.sum(); }

    /** Connections refused by the connection limits since the listener was bound. */
    public long refusedConnections() { return counts.refused.sum(); }

    public List<InetSocketAddress> boundAddresses() {
        return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** Stops accepting; open connections stay. */
    public void close() {
        for (Channel c : channels) c.close().syncUninterruptibly();
    }
}
