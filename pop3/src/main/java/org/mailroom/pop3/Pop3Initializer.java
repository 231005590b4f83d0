package org.mailroom.pop3;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ProtocolInitializer;
import org.mailroom.core.store.MailStore;

/**
 * The POP3 pipeline of one connection: {@code [tls] -> lines -> idle -> gate -> pop3}.
 *
 * <p>One instance per listener. pop3 and pop3s should share one {@link MaildropLocks} (pass the
 * same instance to both) so the RFC 1939 8 lock holds across them.
 */
public final class Pop3Initializer implements ProtocolInitializer {
    /**
     * RFC 2449 4 limits commands to 255 octets, but an AUTH response is only bounded by the
     * mechanism; 8192 leaves room for any PLAIN message. Longer command lines get {@code -ERR}
     * from the parser.
     */
    static final int MAX_LINE = 8192;

    /** What every session of this listener shares. */
    record Services(MailStore store, Authenticator authenticator, BlockingExecutor executor, MaildropLocks locks,
                    Function<Channel, SslHandler> startTls, AuthThrottle throttle) {}

    private final Pop3Settings settings;
    private final Services services;

    /**
     * @param startTls makes the handler for STLS ({@code startTls=true}, so the "+OK" passes in the
     *                 clear); null when STLS is not offered
     */
    public Pop3Initializer(Pop3Settings settings, MailStore store, Authenticator authenticator,
                           BlockingExecutor executor, Function<Channel, SslHandler> startTls) {
        this(settings, store, authenticator, executor, startTls, new MaildropLocks());
    }

    /** As above, with the lock registry shared with the daemon's other POP3 listener and its own throttle. */
    public Pop3Initializer(Pop3Settings settings, MailStore store, Authenticator authenticator,
                           BlockingExecutor executor, Function<Channel, SslHandler> startTls, MaildropLocks locks) {
        this(settings, store, authenticator, executor, startTls, locks, new AuthThrottle());
    }

    /**
     * The daemon's form: the lock registry shared with the other POP3 listener, the throttle shared
     * with every listener that checks passwords (failed logins are counted across protocols).
     */
    public Pop3Initializer(Pop3Settings settings, MailStore store, Authenticator authenticator,
                           BlockingExecutor executor, Function<Channel, SslHandler> startTls, MaildropLocks locks,
                           AuthThrottle throttle) {
        this.settings = Objects.requireNonNull(settings);
        this.services = new Services(Objects.requireNonNull(store), Objects.requireNonNull(authenticator),
                Objects.requireNonNull(executor), Objects.requireNonNull(locks), startTls, Objects.requireNonNull(throttle));
    }

    @Override
    public void initChannel(SocketChannel ch, boolean implicitTls) {
        LineDecoder decoder = new LineDecoder(MAX_LINE);
        InboundGate gate = new InboundGate();
        ch.pipeline()
                .addLast(LineDecoder.NAME, decoder)
                // RFC 1939 3: the autologout timer counts from the last read or write.
                .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(InboundGate.NAME, gate)
                .addLast("pop3", newSession(decoder, gate, !implicitTls && services.startTls() != null));
    }

    /** A session for a pipeline built elsewhere (tests with an {@code EmbeddedChannel}). */
    Pop3Session newSession(LineDecoder decoder, InboundGate gate, boolean startTlsOffered) {
        return new Pop3Session(settings, services, decoder, gate, startTlsOffered);
    }

    @Override
    public String tooManyConnections() {
        return "-ERR [SYS/TEMP] Too many connections, try again later";
    }
}
