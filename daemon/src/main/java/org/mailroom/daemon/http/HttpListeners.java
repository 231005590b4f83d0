package org.mailroom.daemon.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mailroom.config.Config;
import org.mailroom.config.Keys;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.core.net.NetServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the HTTP listeners from the {@code http.*}, {@code https.*} and {@code metrics.*} keys:
 * <ul>
 * <li>{@code http} ({@code http.listen}): autoconfig and autodiscover; also {@code /metrics}
 *     when {@code metrics.enabled} and no {@code metrics.listen} is given;
 * <li>{@code https} ({@code https.listen}): the same over implicit TLS with the mail certificate,
 *     never {@code /metrics};
 * <li>{@code metrics} ({@code metrics.listen}, with {@code metrics.enabled}): {@code /metrics} only.
 * </ul>
 */
public final class HttpListeners {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.daemon");

    private HttpListeners() {}

    /**
     * @param hostname    the daemon's {@code hostname}; {@code autoconfig.hostname} overrides it
     * @param implicitTls makes the server {@link SslHandler} for {@code https}
     * @throws IOException naming the listener and address that could not be bound
     */
    public static void bind(NetServer net, Config config, String hostname, Function<Channel, SslHandler> implicitTls,
                            Metrics metrics, BlockingExecutor blocking) throws IOException {
        String host = config.get(Keys.AUTOCONFIG_HOSTNAME).isEmpty() ? hostname : config.get(Keys.AUTOCONFIG_HOSTNAME);
        List<String> domains = config.get(Keys.DOMAINS);
        // read at each request: listeners bound later (or switched off) are seen as they are
        Supplier<MailSite> site = () -> new MailSite(host, domains, MailEndpoint.of(net.listeners()));
        boolean metricsOn = config.get(Keys.METRICS_ENABLED);
        List<ListenAddress> metricsListen = config.get(Keys.METRICS_LISTEN);
        Metrics onHttp = metricsOn && metricsListen.isEmpty() ? metrics : null;
        bind(net, "http", config.get(Keys.HTTP_LISTEN), new HttpInitializer("http", site, onHttp, blocking), null);
        // XXX one TLS context for mail and HTTPS: with tls.clientCa set, https also asks for an optional
        // client certificate, which a browser may offer to send; mail clients fetching autoconfig do not
        bind(net, "https", config.get(Keys.HTTPS_LISTEN), new HttpInitializer("https", site, null, blocking), implicitTls);
        if (metricsOn && !metricsListen.isEmpty()) {
            bind(net, "metrics", metricsListen, new HttpInitializer("metrics", null, metrics, blocking), null);
        } else if (metricsOn && config.get(Keys.HTTP_LISTEN).isEmpty()) {
            log.warn("metrics.enabled is true, but neither metrics.listen nor http.listen is set: /metrics is not served");
        } else if (!metricsOn && !metricsListen.isEmpty()) {
            log.warn("metrics.listen is set, but metrics.enabled is false: /metrics is not served");
        }
    }

    private static void bind(NetServer net, String name, List<ListenAddress> addrs, HttpInitializer init,
                             Function<Channel, SslHandler> implicitTls) throws IOException {
        if (addrs.isEmpty()) {
            log.info("{}: off (no listen address)", name);
            return;
        }
        net.bind(name, addrs, init, implicitTls);
    }
}
