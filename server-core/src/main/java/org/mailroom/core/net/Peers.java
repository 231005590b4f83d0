package org.mailroom.core.net;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Facts about the client end of a connection, without DNS. */
public final class Peers {
    private Peers() {}

    public static InetAddress address(Channel ch) {
        return ((InetSocketAddress) ch.remoteAddress()).getAddress();
    }

    /** The client as a postmaster greps for it: {@code [192.0.2.1]} or {@code [2001:db8::1]}. */
    public static String bracketed(Channel ch) {
        return "[" + address(ch).getHostAddress() + "]";
    }

    public static boolean isLoopback(Channel ch) {
        return address(ch).isLoopbackAddress();
    }

    /** True when an SslHandler is in the pipeline and its handshake completed. */
    public static boolean isTls(Channel ch) {
        io.netty.handler.ssl.SslHandler h = ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        return h != null && h.handshakeFuture().isSuccess();
    }
}
