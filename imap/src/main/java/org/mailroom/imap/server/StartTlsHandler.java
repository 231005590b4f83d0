package org.mailroom.imap.server;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Function;
import org.mailroom.imap.wire.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 9051 6.2.1). The order is what makes it safe: the {@link SslHandler} goes first in
 * the pipeline, made so that the tagged OK still passes in the clear; everything received and not
 * yet executed is dropped (octets in the decoder, commands held by the gate: CVE-2011-0411 command
 * injection); then the OK is written. The capability list changes by itself (no STARTTLS, AUTH=
 * instead of LOGINDISABLED): the client asks again, as 6.2.1 tells it to.
 */
final class StartTlsHandler implements ImapHandler<Command.StartTls> {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.imap");

    private final Function<Channel, SslHandler> factory;

    /** @param factory null: STARTTLS is not offered on this listener */
    StartTlsHandler(Function<Channel, SslHandler> factory) {
        this.factory = factory;
    }

    @Override
    public Completion handle(ImapContext ctx, Command.StartTls c) {
        if (factory == null || !ctx.startTlsAvailable()) {
            throw new ImapBad(ctx.tlsActive() ? "TLS is already active" : "STARTTLS is not available");
        }
        SslHandler tls;
        try {
            tls = factory.apply(ctx.channel());
        } catch (RuntimeException e) {
            log.warn("STARTTLS from {}: no TLS handler: {}", ctx.client(), e.toString());
            throw new ImapNo("UNAVAILABLE", "TLS not available now");
        }
        ctx.startTls(tls);
        return Completion.ok("Begin TLS negotiation now");
    }
}
