package org.mailroom.core.net;

import io.netty.channel.socket.SocketChannel;

/**
 * What a protocol adds to a new connection's pipeline. Called on the channel's event loop after
 * the connection passed the limits; for implicit-TLS listeners the {@code SslHandler} is already
 * first in the pipeline.
 */
public interface ProtocolInitializer {

    /** Adds the decoder, gate, idle handler and session for one connection. */
    void initChannel(SocketChannel ch, boolean implicitTls);

    /**
     * The line sent (with CRLF) to a client refused because of the connection limits, before the
     * connection is closed, e.g. {@code 421 4.7.0 mail.example.org Too many connections}.
     */
    String tooManyConnections();
}
