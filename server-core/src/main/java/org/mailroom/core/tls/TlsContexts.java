package org.mailroom.core.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Path;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;

/**
 * The server's TLS identity for every listener, loaded from {@code tls.cert}/{@code tls.key} or made
 * self-signed in {@code <data>/tls/} on first start. Thread-safe; {@link #newServerHandler} is cheap
 * and safe on an event loop.
 */
public final class TlsContexts {

    /** Loads (or creates) the certificate and key. Blocking; call at start and on reload. */
    public static TlsContexts load(Config config, Path dataDir, String hostname) throws IOException, ConfigError {
        throw new UnsupportedOperationException("TODO(#3) being written");
    }

    /**
     * A handler for one connection. With {@code startTls} the first write (the 220 / +OK that says
     * "go ahead") passes unencrypted, so the session installs the handler before writing it.
     */
    public SslHandler newServerHandler(Channel ch, boolean startTls) {
        throw new UnsupportedOperationException("TODO(#3) being written");
    }
}
