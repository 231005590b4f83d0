package org.mailroom.daemon;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Keys;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.delivery.dsn.DsnBuilder;
import org.mailroom.delivery.local.LocalDelivery;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.queue.QueueWriter;
import org.mailroom.delivery.remote.ConnectOptions;
import org.mailroom.delivery.remote.MxResolver;
import org.mailroom.delivery.remote.RemoteDelivery;
import org.mailroom.delivery.remote.SmtpClient;
import org.mailroom.delivery.remote.Timeouts;
import org.mailroom.delivery.remote.TlsPolicy;
import org.mailroom.delivery.route.Router;
import org.mailroom.delivery.schedule.DsnBouncer;
import org.mailroom.delivery.schedule.QueueManager;
import org.mailroom.delivery.schedule.QueueSettings;

/**
 * The outbound half of the daemon, wired from the {@code queue.*}, {@code relay.*},
 * {@code delivery.*}, {@code dns.*} and {@code transport.*} keys: the queue on disk, its writer
 * (the single entry into the queue), the queue manager with its SMTP client, and the DSN bouncer.
 */
record Outbound(QueueStore store, QueueWriter writer, QueueManager manager, NioEventLoopGroup clientLoop) {

    static Outbound start(Config config, String hostname, Path data, Router router, LocalDelivery local, Metrics metrics)
            throws IOException, ConfigError {
        QueueStore store = new QueueStore(data.resolve("queue"));
        QueueManager[] manager = new QueueManager[1];
        // every queued message goes straight to the queue manager, its content in memory when small
        QueueWriter writer = new QueueWriter(store, hostname, ZoneId.systemDefault(), config.get(Keys.QUEUE_MAX_RECEIVED),
                (entry, content) -> manager[0].take(entry, content));
        NioEventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("smtp-client", true));
        MxResolver resolver = new MxResolver(dnsServers(config), Duration.ofSeconds(10));
        RemoteDelivery remote = new RemoteDelivery(resolver, new SmtpClient(loop, hostname, Timeouts.RFC5321),
                config.get(Keys.DELIVERY_MX_PORT));
        String smarthost = config.get(Keys.RELAY_SMARTHOST);
        QueueSettings settings = new QueueSettings(config.get(Keys.QUEUE_CONCURRENCY), config.get(Keys.QUEUE_PER_DESTINATION),
                config.get(Keys.QUEUE_RETRY_INITIAL), config.get(Keys.QUEUE_RETRY_MAX), config.get(Keys.QUEUE_MAX_LIFETIME),
                config.get(Keys.QUEUE_DELAY_WARNING), smarthost.isEmpty() ? null : smarthost, config.transports(),
                Duration.ofSeconds(5));
        ConnectOptions mx = ConnectOptions.tls(policy(config.get(Keys.DELIVERY_TLS)));
        ConnectOptions relay = smarthostOptions(smarthost, config.get(Keys.RELAY_SMARTHOST_TLS), credentials(config));
        Clock clock = Clock.systemUTC();
        // the writer hands each report over itself: a wake(id) could only start a second attempt
        DsnBouncer bouncer = new DsnBouncer(new DsnBuilder(hostname, ZoneId.systemDefault()), writer, store,
                id -> { }, 1 << 20, settings.maxLifetime(), clock);
        manager[0] = new QueueManager(store, settings, router, local, remote, mx, relay, bouncer, clock, metrics);
        manager[0].start();
        return new Outbound(store, writer, manager[0], loop);
    }

    void stop(Duration grace) {
        manager.stop(grace);
        clientLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    private static TlsPolicy policy(String v) {
        return TlsPolicy.valueOf(v.toUpperCase(Locale.ROOT));
    }

    /** RFC 8314 3.3 and 7.3: 465 is the implicit-TLS submission port; nothing plain listens there. */
    static final int SUBMISSIONS_PORT = 465;

    /**
     * The smarthost's session settings. Implicit TLS is a property of the port (Postfix calls it
     * {@code smtp_tls_wrappermode}): on 465 always, elsewhere with {@code relay.smarthostTls =
     * implicit}. The policy then only says whether the certificate is checked: {@code verify} checks
     * it, anything else takes any certificate ({@code implicit} on its own is REQUIRE without checks).
     * AUTH in clear text is never allowed from here.
     */
    static ConnectOptions smarthostOptions(String smarthost, String tls, ConnectOptions.Credentials credentials) {
        boolean implicit = tls.equals("implicit");
        TlsPolicy policy = implicit ? TlsPolicy.REQUIRE : policy(tls);
        if (!smarthost.isEmpty() && smarthostPort(smarthost) == SUBMISSIONS_PORT) implicit = true;
        return new ConnectOptions(policy, null, credentials, false, implicit);
    }

    /** The port of a {@code [host]:port} smarthost (the key's parser adds ":25" when it is missing). */
    private static int smarthostPort(String smarthost) {
        int close = smarthost.indexOf(']');
        return close + 1 < smarthost.length() ? Integer.parseInt(smarthost.substring(close + 2)) : 25;
    }

    private static List<InetSocketAddress> dnsServers(Config config) throws ConfigError {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : config.get(Keys.DNS_SERVERS).split("[,\\s]+")) {
            if (s.isEmpty()) continue;
            String host = s;
            int port = 53;
            int colon = s.lastIndexOf(':');
            if (colon > 0 && s.indexOf(':') == colon) { // ipv4:port
                host = s.substring(0, colon);
                port = Integer.parseInt(s.substring(colon + 1));
            } else if (s.startsWith("[")) { // [ipv6]:port
                int close = s.indexOf(']');
                host = s.substring(1, close);
                if (close + 1 < s.length()) port = Integer.parseInt(s.substring(close + 2));
            }
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new ConfigError(config.configDir().resolve("mailroom.properties"), 0, Keys.DNS_SERVERS.name(),
                        "not an IP address: \"" + s + "\"");
            }
            out.add(new InetSocketAddress(host, port));
        }
        return out;
    }

    private static ConnectOptions.Credentials credentials(Config config) throws ConfigError {
        String user = config.get(Keys.RELAY_SMARTHOST_USER);
        if (user.isEmpty()) return null;
        String file = config.get(Keys.RELAY_SMARTHOST_PASSWORD_FILE);
        Path conf = config.configDir().resolve("mailroom.properties");
        if (file.isEmpty()) {
            throw new ConfigError(conf, 0, Keys.RELAY_SMARTHOST_PASSWORD_FILE.name(), "needed with relay.smarthostUser");
        }
        Path p = config.configDir().resolve(file);
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new ConfigError(p, 1, Keys.RELAY_SMARTHOST_PASSWORD_FILE.name(), "empty password file");
            }
            return new ConnectOptions.Credentials(user, lines.get(0));
        } catch (IOException e) {
            throw new ConfigError(p, 0, Keys.RELAY_SMARTHOST_PASSWORD_FILE.name(), "cannot read: " + e.getMessage());
        }
    }
}
