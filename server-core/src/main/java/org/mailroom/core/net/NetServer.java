package org.mailroom.core.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailroom.config.ListenAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the event loops and every listener. Start: {@link #bind}. Stop: {@link #shutdown}, which
 * stops accepting, fires {@link ShutdownEvent} on every open connection, waits up to the grace
 * period for them to close and then closes the rest.
 */
public final class NetServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetServer.class);

    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("accept", true));
    private final EventLoopGroup workers;
    private final ConnectionLimiter limiter;
    private final ChannelGroup sessions = new DefaultChannelGroup("sessions", GlobalEventExecutor.INSTANCE);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public NetServer(int maxConnections, int maxConnectionsPerClient) {
        this(maxConnections, maxConnectionsPerClient, 0);
    }

    /** @param ioThreads event loop threads; 0 means one per core (Netty's own default is two per core) */
    public NetServer(int maxConnections, int maxConnectionsPerClient, int ioThreads) {
        int n = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
        this.workers = new NioEventLoopGroup(n, new DefaultThreadFactory("io", true));
        this.limiter = new ConnectionLimiter(maxConnections, maxConnectionsPerClient);
    }

    /**
     * Binds {@code name} on every address.
     *
     * @param implicitTls for implicit-TLS services (pop3s, imaps, submissions): makes the
     *                    {@code SslHandler} that goes first in each pipeline; null for plaintext
     * @throws IOException naming the listener and address when one cannot be bound; addresses
     *                     already bound for this listener are closed again
     */
    public Listener bind(String name, List<ListenAddress> addresses, ProtocolInitializer protocol,
                         Function<Channel, SslHandler> implicitTls) throws IOException {
        Listener.Counts counts = new Listener.Counts();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        sessions.add(ch);
                        if (!limiter.admit(ch, name, protocol.tooManyConnections())) {
                            counts.refused.increment();
                            ch.pipeline().addLast(new ConnectionLimiter.Refused());
                            return;
                        }
                        counts.opened(ch);
                        if (implicitTls != null) ch.pipeline().addLast("tls", implicitTls.apply(ch));
                        protocol.initChannel(ch, implicitTls != null);
                    }
                });
        List<Channel> bound = new ArrayList<>();
        for (ListenAddress a : addresses) {
            try {
                bound.add(b.bind(a.toSocketAddress()).syncUninterruptibly().channel());
            } catch (Exception e) {
                for (Channel c : bound) c.close().syncUninterruptibly();
                throw new IOException(name + ": cannot listen on " + a + ": " + e.getMessage(), e);
            }
        }
        Listener l = new Listener(name, bound, counts);
        listeners.add(l);
        for (InetSocketAddress a : l.boundAddresses()) log.info("{}: listening on {}", name, format(a));
        return l;
    }

    public List<Listener> listeners() { return List.copyOf(listeners); }

    public int openConnections() { return limiter.open(); }

    /**
     * Graceful stop: close listeners, ask sessions to finish, wait up to {@code grace}, close what
     * is left.
     *
     * @return true when every session ended within the grace period
     */
    public boolean shutdown(Duration grace) {
        for (Listener l : listeners) l.close();
        listeners.clear();
        for (Channel ch : sessions) ch.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean clean = sessions.isEmpty();
        if (!clean) log.warn("shutdown: closing {} sessions still open after {}", sessions.size(), grace);
        sessions.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        return clean;
    }

    @Override
    public void close() {
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static String format(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
