package org.mailroom.smtp.server;

import org.mailroom.core.spi.QueueIds;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.sasl.SaslMechanisms;
import org.mailroom.core.tls.ClientCertificates;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.smtp.wire.SmtpCommandParser;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ProtocolInitializer;
import org.mailroom.core.spi.MessageSink;

/**
 * The pipeline of one SMTP server connection, after the core's handlers (and, for implicit TLS,
 * after the {@code SslHandler}): {@link LineDecoder} → {@link IdleStateHandler} (reader idle:
 * {@code smtp.idleTimeout}) → {@link InboundGate} → {@link SmtpSession}. One instance per listener;
 * the handlers it holds are shared by that listener's sessions.
 */
public final class SmtpInitializer implements ProtocolInitializer {
    private final SmtpSettings settings;
    private final SmtpSession.Handlers handlers;

    /**
     * @param settings the listener's limits and names
     * @param sink     where recipients are checked and accepted messages go
     * @param executor where the sink is called (it blocks) and large messages are spilled
     * @param startTls makes the STARTTLS {@link SslHandler} for a connection, e.g.
     *                 {@code ch -> tlsContexts.newServerHandler(ch, true)}: the first write must
     *                 pass in the clear; null when STARTTLS is not offered
     */
    public SmtpInitializer(SmtpSettings settings, MessageSink sink, BlockingExecutor executor,
                           Function<Channel, SslHandler> startTls) {
        this(settings, sink, executor, startTls, null, null);
    }

    /**
     * A listener that offers AUTH (RFC 4954) when {@link SmtpSettings#authEnabled}.
     *
     * @param authenticator checks logins; null: no AUTH
     * @param throttle      shared with the daemon's other listeners (POP3, IMAP), so guessing is
     *                      counted across protocols
     */
    public SmtpInitializer(SmtpSettings settings, MessageSink sink, BlockingExecutor executor,
                           Function<Channel, SslHandler> startTls, Authenticator authenticator,
                           AuthThrottle throttle) {
        this(settings, sink, executor, startTls, authenticator, throttle, null);
    }

    /**
     * As above, and SASL EXTERNAL for clients whose TLS certificate {@code clientCertificates}
     * verifies ({@code tls.clientCa}; null: no EXTERNAL).
     */
    public SmtpInitializer(SmtpSettings settings, MessageSink sink, BlockingExecutor executor,
                           Function<Channel, SslHandler> startTls, Authenticator authenticator,
                           AuthThrottle throttle, ClientCertificates clientCertificates) {
        this(settings, sink, executor, startTls, authenticator, throttle, clientCertificates, new Metrics());
    }

    /** As above, counting finished transactions in {@code metrics} ({@code mailroom_smtp_transactions_total}). */
    public SmtpInitializer(SmtpSettings settings, MessageSink sink, BlockingExecutor executor,
                           Function<Channel, SslHandler> startTls, Authenticator authenticator,
                           AuthThrottle throttle, ClientCertificates clientCertificates, Metrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(executor, "executor");
        this.handlers = new SmtpSession.Handlers(
                new HelloHandler(settings),
                new TransactionHandler(settings, sink, executor, new QueueIds()),
                new DataReceiver(settings, sink, executor, metrics),
                new StartTlsHandler(startTls),
                new InfoHandler(),
                new AuthHandler(settings, authenticator, throttle == null ? new AuthThrottle() : throttle,
                        SaslMechanisms.standard(), executor, clientCertificates));
    }

    @Override
    public void initChannel(SocketChannel ch, boolean implicitTls) {
        // with implicit TLS the SslHandler is already first; the session sees it and offers no STARTTLS
        addHandlers(ch.pipeline());
    }

    /** Adds this protocol's handlers to {@code p}; also used by tests on an EmbeddedChannel. */
    void addHandlers(ChannelPipeline p) {
        LineDecoder lines = new LineDecoder(settings.maxLineLength());
        lines.countedAfter(SmtpCommandParser::chunkOctets); // RFC 3030 2: BDAT octets follow at once
        InboundGate gate = new InboundGate();
        p.addLast(LineDecoder.NAME, lines);
        p.addLast("idle", new IdleStateHandler(false, settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(InboundGate.NAME, gate);
        p.addLast("smtp", new SmtpSession(settings, handlers, lines, gate));
    }

    @Override
    public String tooManyConnections() {
        return "421 4.7.0 " + settings.hostname() + " Error: too many connections";
    }
}
