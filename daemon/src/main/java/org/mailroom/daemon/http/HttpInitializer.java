package org.mailroom.daemon.http;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ProtocolInitializer;

/**
 * The pipeline of one HTTP/1.1 connection (RFC 9112): {@link HttpServerCodec} with bounded request
 * line and header section → {@link IdleStateHandler} → {@link HttpObjectAggregator} (bodies up to
 * {@link #MAX_BODY}; more is answered 413 by Netty and the connection closed) →
 * {@link InboundGate} (pipelined requests wait while {@code /metrics} is read off the event loop)
 * → {@link HttpHandler}. One instance per listener. Connection limits are the daemon's
 * ({@code net.maxConnections*}), applied by the core before this runs.
 */
public final class HttpInitializer implements ProtocolInitializer {
    /** Octets of the request line; longer gets 414 (RFC 9112 3: at least 8000 recommended, our URLs are short). */
    static final int MAX_REQUEST_LINE = 8192;
    /** Octets of the header section; larger gets 431 (RFC 6585 5). */
    static final int MAX_HEADER_SIZE = 16384;
    /** Octets of a request body: an Autodiscover request is a few hundred. */
    public static final int MAX_BODY = 64 * 1024;
    /** A connection with no traffic in either direction for this long is closed. */
    static final long IDLE_SECONDS = 30;

    private final String listenerName;
    private final Supplier<MailSite> site;
    private final Metrics metrics;
    private final BlockingExecutor blocking;

    /**
     * @param listenerName for log lines ({@code http}, {@code https}, {@code metrics})
     * @param site         autoconfig and autodiscover are served from it; null: not on this listener
     * @param metrics      {@code /metrics} is served from it; null: not on this listener
     * @param blocking     where the metrics (which read the queue directories) are written
     */
    public HttpInitializer(String listenerName, Supplier<MailSite> site, Metrics metrics, BlockingExecutor blocking) {
        this.listenerName = listenerName;
        this.site = site;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    public void initChannel(SocketChannel ch, boolean implicitTls) {
        addHandlers(ch.pipeline());
    }

    /** Adds the handlers to {@code p}; also used by tests on an EmbeddedChannel. */
    void addHandlers(ChannelPipeline p) {
        InboundGate gate = new InboundGate();
        p.addLast("http", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_SIZE, 8192));
        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
        p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY, true));
        p.addLast(InboundGate.NAME, gate);
        p.addLast("handler", new HttpHandler(listenerName, site, metrics, blocking, gate));
    }

    @Override
    public String tooManyConnections() {
        // the limiter adds the CRLF that ends the header section
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n";
    }
}
