package org.mailroom.smtp.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.core.net.Listener;
import org.mailroom.core.net.NetServer;

/**
 * Real SMTP listeners on 127.0.0.1 with ephemeral ports, the {@link TestSink}, an account store in a
 * temporary directory and STARTTLS with a self-signed certificate whose handlers pass the first
 * write in the clear (the daemon passes {@code ch -> tlsContexts.newServerHandler(ch, true)}).
 * Listeners, all with the same limits:
 * <ul>
 *   <li>{@code smtp}: the MTA, no AUTH;</li>
 *   <li>{@code submission}: AUTH required before MAIL, PLAIN and LOGIN only after STARTTLS (loopback
 *       gets no exemption, so it stands for a remote client);</li>
 *   <li>{@code submission-loopback}: AUTH required, PLAIN and LOGIN allowed in the clear from
 *       loopback ({@code auth.plaintextOnLoopback}).</li>
 * </ul>
 */
final class TestServer implements AutoCloseable {
    static final String HOST = "mx.example.test";

    final TestSink sink = new TestSink();
    final BlockingExecutor executor = new BlockingExecutor(2, 100);
    final NetServer net = new NetServer(50, 50, 1);
    final SmtpSettings settings;
    final Listener listener;
    final PropertiesAccountStore accounts;
    final AuthThrottle throttle;
    /** What the {@code smtp} listener counts. */
    final Metrics metrics = new Metrics();

    /**
     * Small limits so that transcripts reach them: size 1000, 3 recipients, 512-octet lines, 5 errors,
     * 4 messages per session.
     */
    static SmtpSettings smallLimits(Path spool) {
        return new SmtpSettings(HOST, "smtp", 1000, 3, 512, 5, Duration.ofSeconds(30), spool, 64)
                .withMaxMessagesPerSession(4);
    }

    TestServer(SmtpSettings settings) throws Exception {
        this(settings, new AuthThrottle());
    }

    TestServer(SmtpSettings settings, AuthThrottle throttle) throws Exception {
        this.settings = settings;
        this.throttle = throttle;
        SelfSignedCertificate cert = new SelfSignedCertificate(HOST);
        SslContext tls = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).startTls(true).build();
        accounts = new PropertiesAccountStore(Files.createTempDirectory("smtp-accounts").resolve("users.properties"),
                new PasswordHasher());
        Authenticator auth = new Authenticator(accounts, "example.test");
        List<ListenAddress> any = List.of(new ListenAddress("127.0.0.1", 0));
        listener = net.bind("smtp", any, new SmtpInitializer(settings, sink, executor, ch -> tls.newHandler(ch.alloc()),
                null, null, null, metrics), null);
        net.bind("submission", any, new SmtpInitializer(named(settings, "submission").withAuth(true, true, false),
                sink, executor, ch -> tls.newHandler(ch.alloc()), auth, throttle), null);
        net.bind("submission-loopback", any, new SmtpInitializer(named(settings, "submission").withAuth(true, true, true),
                sink, executor, ch -> tls.newHandler(ch.alloc()), auth, throttle), null);
    }

    private static SmtpSettings named(SmtpSettings s, String name) {
        return new SmtpSettings(s.hostname(), name, s.maxMessageSize(), s.maxRecipients(), s.maxLineLength(),
                s.maxErrors(), s.idleTimeout(), s.spoolDir(), s.spillThreshold())
                .withMaxMessagesPerSession(s.maxMessagesPerSession());
    }

    InetSocketAddress address() { return listener.boundAddresses().get(0); }

    InetSocketAddress address(String name) {
        for (Listener l : net.listeners()) if (l.name().equals(name)) return l.boundAddresses().get(0);
        throw new IllegalArgumentException("no listener " + name);
    }

    /** Creates the account, or sets its password when it exists. */
    void account(String address, String password) {
        try {
            if (accounts.find(address).isPresent()) accounts.setPassword(address, password.toCharArray());
            else accounts.add(address, password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        net.shutdown(Duration.ofSeconds(2));
        net.close();
        executor.close();
    }
}
