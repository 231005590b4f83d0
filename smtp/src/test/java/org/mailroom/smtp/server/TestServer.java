package org.mailroom.smtp.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.net.Listener;
import org.mailroom.core.net.NetServer;

/**
 * A real SMTP listener on 127.0.0.1 with an ephemeral port, the {@link TestSink} and STARTTLS with a
 * self-signed certificate whose handlers pass the first write in the clear (TlsContexts is not
 * there yet; the daemon passes
 * {@code ch -> tlsContexts.newServerHandler(ch, true)} instead).
 */
final class TestServer implements AutoCloseable {
    static final String HOST = "mx.example.test";

    final TestSink sink = new TestSink();
    final BlockingExecutor executor = new BlockingExecutor(2, 100);
    final NetServer net = new NetServer(50, 50, 1);
    final SmtpSettings settings;
    final Listener listener;

    /** Small limits so that transcripts reach them: size 1000, 3 recipients, 512-octet lines, 5 errors. */
    static SmtpSettings smallLimits(Path spool) {
        return new SmtpSettings(HOST, "smtp", 1000, 3, 512, 5, Duration.ofSeconds(30), spool, 64);
    }

    TestServer(SmtpSettings settings) throws Exception {
        this.settings = settings;
        SelfSignedCertificate cert = new SelfSignedCertificate(HOST);
        SslContext tls = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).startTls(true).build();
        SmtpInitializer init = new SmtpInitializer(settings, sink, executor, ch -> tls.newHandler(ch.alloc()));
        listener = net.bind("smtp", List.of(new ListenAddress("127.0.0.1", 0)), init, null);
    }

    InetSocketAddress address() { return listener.boundAddresses().get(0); }

    @Override
    public void close() {
        net.shutdown(Duration.ofSeconds(2));
        net.close();
        executor.close();
    }
}
