package org.mailroom.imap.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ProtocolInitializer;
import org.mailroom.core.sasl.Plain;
import org.mailroom.core.sasl.SaslMechanisms;
import org.mailroom.core.sasl.ScramSha256;
import org.mailroom.core.store.MailStore;

/**
 * The IMAP pipeline of one connection: {@code [tls] -> lines -> idle -> gate -> imap} (after
 * COMPRESS: {@code [tls] -> inflate/deflate -> lines ...}). One instance per listener; imap and
 * imaps share the {@link AuthThrottle} (with every other listener) and one {@link UserConnections}.
 *
 * <p>The frame decoder switches to counted mode by itself at a non-synchronizing literal
 * ({@code {n+}}, RFC 7888), also at the end of a line too long to keep, so those octets are never
 * read as commands; see {@link CommandAssembly}.
 */
public final class ImapInitializer implements ProtocolInitializer {

    /**
     * What every session of a listener shares.
     *
     * @param store    the mail store, for the mailbox handlers
     * @param startTls makes the STARTTLS handler (its first write passes in the clear); null: no
     *                 STARTTLS on this listener
     * @param wakeups  IDLE wake-ups, one task per event loop for all its sessions
     */
    record Services(MailStore store, Authenticator authenticator, BlockingExecutor executor, AuthThrottle throttle,
                    Function<Channel, SslHandler> startTls, UserConnections users, Capabilities capabilities,
                    IdleWakeups wakeups) {}

    private final ImapSettings settings;
    private final Services services;
    private final ImapHandlers handlers;

    /**
     * @param startTls   makes the STARTTLS {@link SslHandler} ({@code ch -> tls.newServerHandler(ch, true)});
     *                   null when STARTTLS is not offered (implicit TLS, no certificate)
     * @param throttle   the daemon's one throttle: failed logins count across protocols
     * @param users      shared by the daemon's IMAP listeners ({@code imap.maxConnectionsPerUser})
     */
    public ImapInitializer(ImapSettings settings, MailStore store, Authenticator authenticator, BlockingExecutor executor,
                           Function<Channel, SslHandler> startTls, AuthThrottle throttle, UserConnections users) {
        this(settings, store, authenticator, executor, startTls, throttle, users, h -> { });
    }

    /** As above, with {@code extra} registering more handlers after the standard ones (tests). */
    ImapInitializer(ImapSettings settings, MailStore store, Authenticator authenticator, BlockingExecutor executor,
                    Function<Channel, SslHandler> startTls, AuthThrottle throttle, UserConnections users,
                    java.util.function.Consumer<ImapHandlers> extra) {
        this.settings = Objects.requireNonNull(settings, "settings");
        SaslMechanisms mechanisms = new SaslMechanisms(List.of(new ScramSha256(), new Plain()));
        this.services = new Services(Objects.requireNonNull(store, "store"), Objects.requireNonNull(authenticator, "authenticator"),
                Objects.requireNonNull(executor, "executor"), Objects.requireNonNull(throttle, "throttle"), startTls,
                Objects.requireNonNull(users, "users"), new Capabilities(settings, mechanisms), new IdleWakeups());
        this.handlers = ImapHandlers.standard(settings, services);
        extra.accept(handlers);
    }

    @Override
    public void initChannel(SocketChannel ch, boolean implicitTls) {
        addHandlers(ch.pipeline(), !implicitTls && services.startTls() != null);
    }

    /** Adds this protocol's handlers to {@code p}; also used by tests on an EmbeddedChannel. */
    void addHandlers(ChannelPipeline p, boolean startTlsOffered) {
        LineDecoder lines = new LineDecoder(settings.maxLineLength());
        // RFC 7888: a {n+} literal follows its line at once, also while the command waits in the gate
        lines.countedAfter(CommandAssembly::announced, true);
        InboundGate gate = new InboundGate();
        p.addLast(LineDecoder.NAME, lines);
        // RFC 9051 5.4: the autologout timer counts from the client's last input
        p.addLast("idle", new IdleStateHandler(false, settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(InboundGate.NAME, gate);
        p.addLast("imap", new ImapSession(settings, services, handlers, lines, gate, startTlsOffered));
    }

    @Override
    public String tooManyConnections() {
        return "* BYE [UNAVAILABLE] Too many connections, try again later"; // RFC 9051 7.1.5, RFC 5530 3
    }
}
