package org.mailroom.delivery.remote;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;
import org.mailroom.core.frame.LineDecoder;

/**
 * Opens SMTP client connections (RFC 5321) on a Netty event loop group that the caller owns (an
 * NIO group: the channel type is {@link NioSocketChannel}). {@link #connect} returns a {@link
 * SmtpConnection} that has been greeted, said EHLO (or HELO), done STARTTLS and AUTH as the {@link
 * ConnectOptions} ask, and is ready for {@link SmtpConnection#send}. With {@link
 * ConnectOptions#implicitTls()} the TLS handshake comes first and the greeting is read through it
 * (RFC 8314 3.3, the smarthost's port 465).
 *
 * <p>Blocking: {@code connect} and everything on {@code SmtpConnection} wait for the server and
 * must run on the blocking executor, never on an event loop (the channel's own loop would wait for
 * itself). Thread-safe; one instance serves the whole daemon.
 */
public final class SmtpClient {
    /** RFC 5321 4.5.3.1.5: reply lines are at most 512 octets; some servers send longer ones. */
    static final int MAX_REPLY_LINE = 8192;
    /** The pipeline name of the {@link SslHandler}, for STARTTLS and implicit TLS alike. */
    static final String TLS_HANDLER = "tls";

    private final EventLoopGroup group;
    private final String heloName;
    private final Timeouts timeouts;
    private volatile SslContext insecure;
    private volatile SslContext verifying;

    /**
     * @param group    an NIO event loop group, owned (and shut down) by the caller
     * @param heloName the name given in EHLO/HELO (RFC 5321 4.1.1.1: the client's FQDN)
     */
    public SmtpClient(EventLoopGroup group, String heloName, Timeouts timeouts) {
        this.group = group;
        this.heloName = heloName;
        this.timeouts = timeouts;
    }

    /**
     * Connects to {@code address}, which belongs to {@code hostName} (used for the log, and for the
     * certificate check under {@link TlsPolicy#VERIFY}), and opens the session.
     *
     * @throws SessionFailure when the host cannot be used; the caller tries the next one
     */
    public SmtpConnection connect(String hostName, InetSocketAddress address, ConnectOptions options)
            throws SessionFailure {
        String relay = relay(hostName, address);
        ReplyReader reader = new ReplyReader();
        SslContext implicit;
        try {
            implicit = options.implicitTls() ? sslContext(options.tls(), options.trustManager()) : null;
        } catch (SSLException e) {
            throw new SessionFailure(relay, 0, Statuses.X_4_7_0, "TLS setup: " + e.getMessage());
        }
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(LineDecoder.NAME, new LineDecoder(MAX_REPLY_LINE));
                        ch.pipeline().addLast("replies", reader);
                        // RFC 8314 3.3: TLS before the first SMTP byte; the greeting comes through it
                        if (implicit != null) {
                            ch.pipeline().addFirst(TLS_HANDLER, sslHandler(implicit, ch, hostName, address.getPort(), options.tls()));
                        }
                    }
                });
        ChannelFuture f = b.connect(address);
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw new SessionFailure(relay, 0, Statuses.X_4_4_1,
                    "connect to " + relay + ": " + (c == null ? "failed" : c.getMessage()));
        }
        SmtpConnection conn = new SmtpConnection(this, f.channel(), reader, hostName, relay);
        try {
            conn.open(options);
            return conn;
        } catch (SessionFailure e) {
            conn.close();
            throw e;
        }
    }

    String heloName() { return heloName; }

    Timeouts timeouts() { return timeouts; }

    /** The TLS context for a policy: no checks for MAY/REQUIRE (RFC 7435), PKIX for VERIFY. */
    SslContext sslContext(TlsPolicy policy, X509TrustManager trust) throws SSLException {
        if (policy != TlsPolicy.VERIFY) {
            SslContext c = insecure;
            if (c == null) {
                c = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
                insecure = c;
            }
            return c;
        }
        if (trust != null) return SslContextBuilder.forClient().trustManager(trust).build();
        SslContext c = verifying;
        if (c == null) {
            c = SslContextBuilder.forClient().build(); // the JDK's default trust store
            verifying = c;
        }
        return c;
    }

    /**
     * A client-side TLS handler for {@code hostName} (SNI). Under {@link TlsPolicy#VERIFY} the host
     * name must match the certificate (RFC 6125, checked with the JDK's HTTPS rules).
     */
    SslHandler sslHandler(SslContext context, Channel ch, String hostName, int port, TlsPolicy policy) {
        SSLEngine engine = context.newEngine(ch.alloc(), hostName, port);
        if (policy == TlsPolicy.VERIFY) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        SslHandler ssl = new SslHandler(engine);
        ssl.setHandshakeTimeout(timeouts.mail().toMillis(), TimeUnit.MILLISECONDS);
        return ssl;
    }

    /** Postfix's notation: {@code mx.example[192.0.2.1]:25}. */
    static String relay(String hostName, InetSocketAddress a) {
        String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        if (a.getAddress() instanceof Inet6Address && ip.indexOf('%') > 0) ip = ip.substring(0, ip.indexOf('%'));
        return hostName + "[" + ip + "]:" + a.getPort();
    }
}
