package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.EnhancedStatus.X_4_3_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_3_2;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_4_2;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_5_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_7_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_1;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_2;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_6;
import static org.mailroom.smtp.wire.ReplyCode.C220_READY;
import static org.mailroom.smtp.wire.ReplyCode.C421_SERVICE_NOT_AVAILABLE;
import static org.mailroom.smtp.wire.ReplyCode.C500_SYNTAX_ERROR;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.mailroom.core.frame.DataChunk;
import org.mailroom.core.frame.DataEnd;
import org.mailroom.core.frame.Line;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.frame.LineTooLong;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ShutdownEvent;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpCommand;
import org.mailroom.smtp.wire.SmtpCommandParser;
import org.mailroom.smtp.wire.SmtpReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP server connection: the state machine of RFC 5321 (CONNECTED, GREETED, MAIL, RCPT, DATA;
 * see {@link SmtpState}) and the dispatcher. A command line goes: verb → {@link SmtpVerb} table
 * (state and flags, checked here once) → {@link SmtpCommandParser} (a record, or a syntax error)
 * → handler, which returns a {@link Reply} or a {@link CompletionStage} of one when it had to
 * block. Every {@link SmtpReplyException} becomes its reply here.
 *
 * <p>Invariants: runs on the channel's event loop only; commands execute strictly in order, also
 * when pipelined (the {@link InboundGate} holds them while blocking work runs); replies are
 * flushed at the end of a command group (RFC 2920 3.1) or when input runs dry; nothing read
 * before a STARTTLS handshake is executed after it; no exception reaches Netty's default handler.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.smtp");

    /** The per-listener handlers, shared by all sessions of the listener. */
    record Handlers(HelloHandler hello, TransactionHandler transaction, DataReceiver data,
                    StartTlsHandler startTls, InfoHandler info, AuthHandler auth) {}

    private final SmtpSettings settings;
    private final Handlers handlers;
    private final LineDecoder lineDecoder;
    private final InboundGate gate;

    private ChannelHandlerContext ctx;
    private SmtpState state = SmtpState.CONNECTED;
    private String helo;
    private boolean esmtp;
    private Transaction tx;
    private int errors;
    /** MAIL commands accepted in this session ({@code smtp.maxMessagesPerSession}). */
    private int messages;
    private boolean closing;
    private boolean shutdownRequested;
    private String client = "[unknown]";
    /** The AUTH exchange waiting for the client's next line (RFC 4954 4), or null. */
    private AuthHandler.Exchange authExchange;
    /** The account after a successful AUTH, or null. */
    private String authUser;

    SmtpSession(SmtpSettings settings, Handlers handlers, LineDecoder lineDecoder, InboundGate gate) {
        this.settings = settings;
        this.handlers = handlers;
        this.lineDecoder = lineDecoder;
        this.gate = gate;
    }

    // ---- Netty events ------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = bracketed(ctx.channel().remoteAddress());
        log.debug("connect from {} on {}", client, settings.listenerName());
        // RFC 5321 4.2, 3.1: the greeting; no enhanced status in it (RFC 2034 3)
        ctx.writeAndFlush(Reply.plain(C220_READY, settings.hostname() + " ESMTP Mailroom").encode(ctx.alloc()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            release(msg);
            return;
        }
        try {
            if ((msg instanceof Line || msg instanceof LineTooLong) && state == SmtpState.DATA) {
                improperPipelining();
            } else if (msg instanceof Line line) {
                command(line);
            } else if (msg instanceof LineTooLong) {
                authExchange = null;
                answer(new Reply(C500_SYNTAX_ERROR, X_5_5_6, "Error: line too long"));
            } else if (msg instanceof DataChunk chunk) {
                if (state == SmtpState.DATA) handlers.data().chunk(this, chunk);
                else chunk.content().release();
            } else if (msg instanceof DataEnd end) {
                if (state == SmtpState.DATA) {
                    answerLater(tx.chunking ? handlers.data().chunkEnd(this, end) : handlers.data().end(this, end));
                }
            } else {
                release(msg);
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // RFC 2920 3.1: replies of a pipelined group leave together
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // RFC 5321 4.5.3.2.7; our own blocking work (input paused) is not the client's idleness
            if (!gate.isPaused() && !closing) {
                log.info("{}: timeout after {}, state {}", client, settings.idleTimeout(), state);
                closeWith(new Reply(C421_SERVICE_NOT_AVAILABLE, X_4_4_2,
                        settings.hostname() + " Error: timeout exceeded"));
            }
        } else if (evt == ShutdownEvent.INSTANCE) {
            shutdownRequested = true;
            if (!busy()) closeWith(shuttingDown());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.debug("disconnect from {} state={} errors={}", client, state, errors);
        // with our blocking work pending, that work's completion discards the content instead
        if (tx != null && !gate.isPaused()) handlers.data().abandon(tx);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isNetworkOrTls(cause)) {
            log.debug("{}: {}", client, cause.toString());
            closing = true;
            ctx.close();
        } else {
            internalError(cause);
        }
    }

    // ---- dispatch ---------------------------------------------------------------------------

    private void command(Line line) {
        if (authExchange != null) {
            // RFC 4954 4: while AUTH runs, a line is the client's SASL response, not a command
            answerLater(handlers.auth().response(this, line.text()));
            return;
        }
        SmtpVerb verb = null;
        try {
            if (line.bareLf()) {
                // RFC 5321 2.3.8: lines end with CR LF; a bare LF is not taken as one (SMTP smuggling)
                throw new SmtpReplyException(C500_SYNTAX_ERROR, X_5_5_2, "Error: bare <LF> received");
            }
            String name = SmtpCommandParser.verb(line.text());
            verb = SmtpVerb.of(name);
            if (verb == null) {
                throw name.isEmpty()
                        ? new SmtpReplyException(C500_SYNTAX_ERROR, X_5_5_2, "Error: bad syntax")
                        : new SmtpReplyException(C500_SYNTAX_ERROR, X_5_5_1, "Error: command not recognized");
            }
            verb.require(new SmtpVerb.Facts(state, tlsActive(), handlers.startTls().offered(),
                    handlers.auth().offered(), settings.authRequired(), authUser != null));
            execute(verb, SmtpCommandParser.parse(line.text()));
        } catch (SmtpReplyException e) {
            answer(e.reply());
            if (verb == SmtpVerb.BDAT) skipChunk(line.text());
        }
        if (verb != null && verb.has(SmtpVerb.Flag.FLUSH)) ctx.flush();
    }

    private void execute(SmtpVerb verb, SmtpCommand cmd) {
        switch (verb) {
            case EHLO -> answer(handlers.hello().ehlo(this, (SmtpCommand.Ehlo) cmd));
            case HELO -> answer(handlers.hello().helo(this, (SmtpCommand.Helo) cmd));
            case MAIL -> answerLater(handlers.transaction().mail(this, (SmtpCommand.Mail) cmd));
            case RCPT -> answerLater(handlers.transaction().rcpt(this, (SmtpCommand.Rcpt) cmd));
            case RSET -> answer(handlers.transaction().rset(this));
            case DATA -> answer(handlers.data().start(this));
            case NOOP -> answer(handlers.info().noop());
            case HELP -> answer(handlers.info().help());
            case VRFY -> answer(handlers.info().vrfy());
            case EXPN -> answer(handlers.info().expn());
            case QUIT -> closeWith(handlers.info().quit());
            case STARTTLS -> answer(handlers.startTls().start(this));
            case AUTH -> answerLater(handlers.auth().start(this, (SmtpCommand.Auth) cmd));
            case BDAT -> {
                CompletionStage<Reply> now = handlers.data().bdat(this, (SmtpCommand.Bdat) cmd);
                if (now != null) answerLater(now);
            }
        }
    }

    /**
     * A refused BDAT (RFC 3030 2): the frame decoder switched to its octets already (see
     * {@link SmtpCommandParser#chunkOctets}); they arrive while the state is not DATA and are
     * dropped, never taken as commands. When even the size cannot be read there is no way to find
     * the next command: the session ends (SMTP smuggling).
     */
    private void skipChunk(String text) {
        if (SmtpCommandParser.chunkOctets(text) < 0) {
            closeWith(new Reply(C421_SERVICE_NOT_AVAILABLE, X_4_7_0,
                    settings.hostname() + " Error: cannot find the end of the BDAT chunk"));
        }
    }

    /** Writes a command's reply; error replies count towards {@code smtp.maxErrors}. */
    void answer(Reply reply) {
        if (closing) return;
        ctx.write(reply.encode(ctx.alloc()));
        if (reply.code() >= 400 && ++errors >= settings.maxErrors()) {
            log.info("{}: too many errors ({}), disconnecting", client, errors);
            closeWith(new Reply(C421_SERVICE_NOT_AVAILABLE, X_4_7_0, settings.hostname() + " Error: too many errors"));
        }
    }

    /**
     * Answers when the stage completes. Handlers complete it on the event loop, from the
     * {@code then} of {@code BlockingExecutor.call}, before the gate lets the next command in.
     */
    private void answerLater(CompletionStage<Reply> stage) {
        stage.whenComplete((reply, err) -> {
            if (err != null) {
                internalError(err);
                return;
            }
            answer(reply);
            if (shutdownRequested && !busy()) closeWith(shuttingDown());
            ctx.flush();
        });
    }

    // ---- what handlers use ------------------------------------------------------------------

    Channel channel() { return ctx.channel(); }

    InboundGate gate() { return gate; }

    LineDecoder lineDecoder() { return lineDecoder; }

    Transaction transaction() { return tx; }

    String helo() { return helo; }

    /** The client as a postmaster greps for it: {@code [192.0.2.1]}. */
    String client() { return client; }

    boolean startTlsOffered() { return handlers.startTls().offered(); }

    boolean tlsActive() { return ctx.pipeline().get(SslHandler.class) != null; }

    void flush() { ctx.flush(); }

    /** The EHLO keyword for AUTH, or null when not offered now. */
    String authKeyword() { return handlers.auth().ehloKeyword(this); }

    AuthHandler.Exchange authExchange() { return authExchange; }

    void authExchange(AuthHandler.Exchange x) { authExchange = x; }

    /** RFC 4954 4: AUTH succeeded; it holds until STARTTLS or the end of the session. */
    void authenticated(String account) { authUser = account; }

    String authUser() { return authUser; }

    /** EHLO/HELO: RFC 5321 4.1.4, the transaction ends and the session is greeted. */
    void greeted(String heloName, boolean extended) {
        endTransaction();
        helo = heloName;
        esmtp = extended;
        state = SmtpState.GREETED;
    }

    void begin(Transaction t) {
        messages++;
        tx = t;
        state = SmtpState.MAIL;
    }

    void recipientAccepted(Transaction t) {
        if (t == tx && state == SmtpState.MAIL) state = SmtpState.RCPT;
    }

    void dataStarted() { state = SmtpState.DATA; }

    /** BDAT without LAST: the chunk was read, the transaction goes on (RFC 3030 2). */
    void chunkDone() { state = tx != null && !tx.recipients.isEmpty() ? SmtpState.RCPT : SmtpState.MAIL; }

    int messages() { return messages; }

    /** RSET, end of DATA, EHLO: back to GREETED (or CONNECTED when never greeted). */
    void endTransaction() {
        dropChunks();
        tx = null;
        state = helo == null ? SmtpState.CONNECTED : SmtpState.GREETED;
    }

    /** STARTTLS: forget everything the client said (RFC 3207 4.2), a login included. */
    void reset() {
        dropChunks();
        tx = null;
        authUser = null;
        authExchange = null;
        helo = null;
        esmtp = false;
        state = SmtpState.CONNECTED;
    }

    /** RSET, EHLO or STARTTLS between BDAT chunks: the chunks so far (maybe spilled) are discarded. */
    private void dropChunks() {
        if (tx != null && tx.content != null) handlers.data().abandon(tx);
    }

    /** STARTTLS: drop what was received and not executed (RFC 3207 4.2, CVE-2011-0411). */
    void discardPendingInput() {
        lineDecoder.discardBuffered();
        gate.discardHeld();
    }

    /** For the sink and the Received: header (RFC 3848 "with" keywords). */
    SessionInfo info() {
        String tls = tlsDescription();
        // RFC 3848 2: ESMTPA / ESMTPSA when the client authenticated; RFC 6531 3.7.3: UTF8SMTP,
        // UTF8SMTPS, UTF8SMTPA, UTF8SMTPSA when the transaction gave SMTPUTF8
        String base = tx != null && tx.options.smtputf8() ? "UTF8SMTP" : "ESMTP";
        String protocol = esmtp ? base + (tls != null ? "S" : "") + (authUser != null ? "A" : "") : "SMTP";
        SocketAddress remote = ctx.channel().remoteAddress();
        return new SessionInfo(settings.listenerName(),
                remote instanceof InetSocketAddress a ? a : null, helo, protocol, tls, authUser);
    }

    /** The certificate chain the client sent in the TLS handshake, leaf first, or null. */
    X509Certificate[] peerCertificates() {
        SslHandler h = ctx.pipeline().get(SslHandler.class);
        if (h == null || !h.handshakeFuture().isSuccess()) return null;
        try {
            Certificate[] certs = h.engine().getSession().getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[certs.length];
            for (int i = 0; i < certs.length; i++) {
                if (!(certs[i] instanceof X509Certificate x)) return null;
                chain[i] = x;
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate
        }
    }

    /** {@code TLSv1.3 TLS_AES_128_GCM_SHA256}, or null before a completed handshake. */
    String tlsDescription() {
        SslHandler h = ctx.pipeline().get(SslHandler.class);
        if (h == null || !h.handshakeFuture().isSuccess()) return null;
        SSLSession s = h.engine().getSession();
        return s.getProtocol() + " " + s.getCipherSuite();
    }

    // ---- ending ------------------------------------------------------------------------------

    /**
     * Inside DATA (content arriving, or the sink deciding): a shutdown waits for the end-of-data
     * reply (ShutdownEvent). A pending RCPT check is not worth waiting for: its reply is dropped.
     */
    private boolean busy() {
        return state == SmtpState.DATA;
    }

    private Reply shuttingDown() {
        return new Reply(C421_SERVICE_NOT_AVAILABLE, X_4_3_2, settings.hostname() + " Service shutting down");
    }

    /** Writes {@code last} and closes once it is sent; nothing is read or answered after it. */
    private void closeWith(Reply last) {
        if (closing) return;
        closing = true;
        gate.discardHeld();
        ctx.writeAndFlush(last.encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * A command line in DATA state: the client sent content before our 354, so the frame decoder
     * read it as lines while DATA waited its turn (RFC 2920 3.1: DATA ends a command group). The
     * message's boundaries are lost; nothing of it may be accepted, and waiting for an end of data
     * that was already consumed would hang both sides. 421: the client may try again, properly.
     */
    private void improperPipelining() {
        log.info("{}: {}: improper command pipelining after DATA, disconnecting", tx.id, client);
        closeWith(new Reply(C421_SERVICE_NOT_AVAILABLE, X_4_5_0,
                settings.hostname() + " Error: improper use of SMTP command pipelining"));
    }

    private void internalError(Throwable t) {
        log.warn("{}: internal error, closing: {}", client, t.toString());
        log.debug("{}: internal error", client, t);
        if (ctx.channel().isActive()) {
            closeWith(new Reply(C421_SERVICE_NOT_AVAILABLE, X_4_3_0, settings.hostname() + " Error: internal error"));
        } else {
            closing = true;
        }
    }

    private static boolean isNetworkOrTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof SSLException) return true;
        }
        return false;
    }

    private static void release(Object msg) {
        if (msg instanceof DataChunk c) c.content().release();
        else ReferenceCountUtil.release(msg);
    }

    private static String bracketed(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) return "[" + i.getAddress().getHostAddress() + "]";
        return "[" + a + "]";
    }
}
