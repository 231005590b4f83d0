package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.EnhancedStatus.X_2_0_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_7_0;
import static org.mailroom.smtp.wire.ReplyCode.C220_READY;
import static org.mailroom.smtp.wire.ReplyCode.C454_TLS_NOT_AVAILABLE;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Function;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTTLS (RFC 3207). The order is what makes it safe:
 * <ol>
 * <li>the {@link SslHandler} goes first in the pipeline, made for STARTTLS so that the 220 still
 *     passes in the clear;</li>
 * <li>everything received but not yet executed is dropped: undecoded bytes in the frame decoder and
 *     commands held by the gate (RFC 3207 4.2, CVE-2011-0411 command injection);</li>
 * <li>the session forgets EHLO and any transaction: the client starts again with EHLO (RFC 3207 4.2);</li>
 * <li>the 220 is written; a failed handshake closes the connection.</li>
 * </ol>
 */
final class StartTlsHandler {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.smtp");

    private final Function<Channel, SslHandler> factory;

    /** @param factory makes the server-side handler for one connection; null: STARTTLS not offered */
    StartTlsHandler(Function<Channel, SslHandler> factory) {
        this.factory = factory;
    }

    boolean offered() { return factory != null; }

    Reply start(SmtpSession s) {
        Channel ch = s.channel();
        SslHandler tls;
        try {
            tls = factory.apply(ch);
        } catch (RuntimeException e) {
            log.warn("STARTTLS from {}: no TLS handler: {}", s.client(), e.toString());
            throw new SmtpReplyException(C454_TLS_NOT_AVAILABLE, X_4_7_0, "TLS not available due to temporary reason");
        }
        s.flush(); // earlier replies of this command group go out before the TLS layer exists
        ch.pipeline().addFirst("tls", tls);
        s.discardPendingInput();
        s.reset();
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                log.debug("{}: STARTTLS: {}", s.client(), s.tlsDescription());
            } else {
                log.info("{}: STARTTLS handshake failed: {}", s.client(), f.cause().toString());
                ch.close();
            }
        });
        return new Reply(C220_READY, X_2_0_0, "Ready to start TLS");
    }
}
