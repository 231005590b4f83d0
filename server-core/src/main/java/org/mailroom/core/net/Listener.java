package org.mailroom.core.net;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A bound service: its name ({@code smtp}, {@code pop3s}, ...) and the server channels, one per
 * configured address. {@link #boundAddresses()} gives the real ports when port 0 was configured.
 */
public final class Listener {
    private final String name;
    private final List<Channel> channels;

    Listener(String name, List<Channel> channels) {
        this.name = name;
        this.channels = List.copyOf(channels);
    }

    public String name() { return name; }

    public List<InetSocketAddress> boundAddresses() {
        return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** Stops accepting; open connections stay. */
    public void close() {
        for (Channel c : channels) c.close().syncUninterruptibly();
    }
}
