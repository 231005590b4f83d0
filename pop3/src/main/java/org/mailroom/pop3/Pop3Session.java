package org.mailroom.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.mailroom.core.account.Account;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.frame.Line;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.frame.LineTooLong;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.Peers;
import org.mailroom.core.net.ShutdownEvent;
import org.mailroom.pop3.Pop3Request.Auth;
import org.mailroom.pop3.Pop3Request.Numbered;
import org.mailroom.pop3.Pop3Request.Pass;
import org.mailroom.pop3.Pop3Request.Top;
import org.mailroom.pop3.Pop3Request.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 connection: the state machine of RFC 1939 3 (AUTHORIZATION, TRANSACTION, UPDATE), the
 * dispatcher that checks the {@link Pop3Command} table once per command, and the one place replies
 * are written and the connection is closed.
 *
 * <p>Blocking work (login, opening the INBOX, reading a message, expunging) goes through
 * {@link #blocking}: the input stays paused until the handler's continuation has produced the
 * reply, so pipelined commands run one after the other and in order (RFC 2449 6.6). Everything here
 * runs on the channel's event loop.
 *
 * <p>At the end of every session one line is logged to {@code org.mailroom.pop3}:
 * {@code pop3: user=<alice@example.org>, client=[192.0.2.1], retr=3/45120, del=2, result=quit}.
 * {@code result} is {@code quit}, {@code dropped} (the client went away without QUIT), {@code idle}
 * (autologout), {@code shutdown}, {@code errors} (too many bad commands) or {@code error} (the
 * store failed in the middle of a transfer).
 */
public final class Pop3Session extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.pop3");

    /** Bad commands tolerated before the connection is closed (Dovecot's limit is the same). */
    static final int MAX_ERRORS = 20;

    /** Continues a blocking step on the event loop with its result or its failure (one is null). */
    @FunctionalInterface
    interface Resume<T> {
        Reply resume(T result, Throwable error) throws Pop3Error;
    }

    /** Takes the next input line instead of the command parser (the SASL response, RFC 5034 4). */
    @FunctionalInterface
    interface LineContinuation {
        Reply accept(String line) throws Pop3Error;
    }

    private final Pop3Settings settings;
    private final BlockingExecutor executor;
    private final MaildropLocks locks;
    private final LineDecoder decoder;
    private final InboundGate gate;
    private final AuthorizationHandler authorization;
    private final TransactionHandler transaction;
    private final RetrieveHandler retrieve;

    private ChannelHandlerContext ctx;
    private InetAddress clientAddress;
    private String client = "[unknown]";
    private boolean local;

    private Pop3State state = Pop3State.AUTHORIZATION;
    private LineContinuation continuation;
    /** Set while this session holds the POP3 lock on the account. */
    private Account account;
    private Maildrop maildrop;

    private int errors;
    /** A command is executing: from a handler's PENDING until its reply is written. */
    private boolean running;
    /** Blocking tasks submitted whose continuation has not run yet. */
    private int inFlight;
    private boolean closing;
    private boolean shutdownRequested;
    private boolean released;
    private String result = "dropped";
    private int retrieved;
    private long retrievedOctets;
    private int expunged;

    Pop3Session(Pop3Settings settings, Pop3Initializer.Services services, LineDecoder decoder, InboundGate gate,
                boolean startTlsOffered) {
        this.settings = settings;
        this.executor = services.executor();
        this.locks = services.locks();
        this.decoder = decoder;
        this.gate = gate;
        this.authorization = new AuthorizationHandler(this, services, startTlsOffered ? services.startTls() : null);
        this.transaction = new TransactionHandler(this);
        this.retrieve = new RetrieveHandler(this, executor);
    }

    // ---- Netty events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress isa) {
            clientAddress = isa.getAddress();
            client = Peers.bracketed(ctx.channel());
            local = clientAddress.isLoopbackAddress();
        } else {
            local = true; // in-VM and embedded channels never leave the process
        }
        // XXX No "<timestamp>" in the greeting: it would announce APOP (RFC 1939 7), which we lack.
        ctx.writeAndFlush(Pop3Writer.encode(Reply.ok("Mailroom POP3 ready on " + settings.hostname()), alloc()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing) return;
            Reply r;
            if (msg instanceof Line line) {
                r = execute(line.text());
            } else if (msg instanceof LineTooLong) {
                continuation = null;
                r = Reply.err(null, "Line too long");
            } else {
                return;
            }
            if (r != Reply.PENDING && r != Reply.WRITTEN) send(r);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // replies to a pipelined group go out together
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ShutdownEvent.INSTANCE) {
            if (closing) return;
            // A running command (a transfer, the UPDATE expunge) is finished first, then we say goodbye.
            if (running || state == Pop3State.UPDATE) {
                shutdownRequested = true;
            } else {
                shutdownNow();
            }
        } else if (evt instanceof IdleStateEvent) {
            // RFC 1939 3: the autologout timer; nothing marked deleted is removed.
            if (closing || state == Pop3State.UPDATE) return;
            result = "idle";
            send(Reply.err(null, "Disconnected for inactivity").thenClose());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        continuation = null;
        if (inFlight == 0) release();
        log.info("user=<{}>, client={}, retr={}/{}, del={}, result={}",
                account == null ? "" : account.address(), client, retrieved, retrievedOctets, expunged, result);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Typically a reset connection or a failed TLS handshake; never a protocol error (those are replies).
        log.debug("{}: {} closing after {}", settings.listenerName(), client, cause.toString());
        closing = true;
        ctx.close();
    }

    // ---- dispatch

    private Reply execute(String text) {
        try {
            LineContinuation c = continuation;
            if (c != null) {
                continuation = null;
                return c.accept(text);
            }
            return dispatch(Pop3Parser.parse(text));
        } catch (Pop3Error e) {
            return e.reply();
        } catch (RuntimeException e) {
            log.warn("{}: {} internal error", settings.listenerName(), client, e);
            return Reply.err(RespCode.SYS_TEMP, "Internal error");
        }
    }

    /** Checks the table once (states, then flags) and runs the handler. */
    private Reply dispatch(Pop3Request req) throws Pop3Error {
        Pop3Command c = req.command();
        if (!c.allowedIn(state)) {
            throw new Pop3Error(state == Pop3State.AUTHORIZATION ? "Log in first" : "Not allowed after login");
        }
        if (c.has(Pop3Command.Flag.PLAINTEXT_LOGIN) && !plaintextLoginAllowed()) {
            // RFC 2595 2.2 and RFC 5034 4: no clear-text passwords over an unprotected connection.
            throw new Pop3Error(RespCode.AUTH, "Plaintext authentication disallowed on non-secure connections");
        }
        return switch (c) {
            case CAPA -> authorization.capa();
            case STLS -> authorization.stls();
            case USER -> authorization.user((User) req);
            case PASS -> authorization.pass((Pass) req);
            case AUTH -> authorization.auth((Auth) req);
            case QUIT -> transaction.quit();
            case STAT -> transaction.stat();
            case LIST -> transaction.list((Numbered) req);
            case UIDL -> transaction.uidl((Numbered) req);
            case DELE -> transaction.dele((Numbered) req);
            case RSET -> transaction.rset();
            case NOOP -> Reply.ok("");
            case RETR -> retrieve.retr(((Numbered) req).msg());
            case TOP -> retrieve.top((Top) req);
        };
    }

    /**
     * Writes a reply (flushed at the end of the read or by the caller). Counts errors; a reply with
     * {@link Reply#close()} or the error that exceeds the limit ends the connection.
     */
    private void send(Reply r) {
        if (!r.ok() && ++errors >= MAX_ERRORS && !r.close()) {
            ctx.write(Pop3Writer.encode(r, alloc()));
            result = "errors";
            r = Reply.err(null, "Too many errors, closing").thenClose();
        }
        if (r.close()) {
            closing = true;
            continuation = null;
            ctx.writeAndFlush(Pop3Writer.encode(r, alloc())).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(Pop3Writer.encode(r, alloc()));
        }
    }

    private void shutdownNow() {
        result = "shutdown";
        send(Reply.err(RespCode.SYS_TEMP, "Server shutting down").thenClose());
    }

    // ---- what handlers use

    /**
     * Runs {@code task} on the blocking executor with input paused, then {@code then} on the event
     * loop; what {@code then} returns is written (unless it is {@link Reply#PENDING} again or
     * {@link Reply#WRITTEN}). {@code then} also runs when the client has gone meanwhile, so it can
     * take ownership of what the task opened; its reply is then dropped and the session released.
     *
     * @return {@link Reply#PENDING}, for the handler to return
     */
    <T> Reply blocking(Callable<T> task, Resume<T> then) {
        ctx.flush(); // earlier replies of a pipelined group need not wait for the disk
        running = true;
        inFlight++;
        executor.call(ctx.channel(), gate, task, (value, error) -> resume(then, value, error));
        return Reply.PENDING;
    }

    /** As {@link #blocking}, for work already under way (a read-ahead). */
    <T> Reply await(java.util.concurrent.CompletableFuture<T> work, Resume<T> then) {
        ctx.flush();
        running = true;
        inFlight++;
        BlockingExecutor.call(ctx.channel(), gate, work, (value, error) -> resume(then, value, error));
        return Reply.PENDING;
    }

    /** The end of a {@link #blocking} step, on the event loop. */
    private <T> void resume(Resume<T> then, T value, Throwable error) {
        inFlight--;
        Reply r;
        try {
            r = then.resume(value, error);
        } catch (Pop3Error e) {
            r = e.reply();
        } catch (RuntimeException e) {
            log.warn("{}: {} internal error", settings.listenerName(), client, e);
            r = Reply.err(RespCode.SYS_TEMP, "Internal error");
        }
        if (!ctx.channel().isActive()) {
            if (inFlight == 0) release();
            return;
        }
        if (r == Reply.PENDING) return;
        running = false;
        if (r != Reply.WRITTEN) send(r);
        ctx.flush();
        if (shutdownRequested && !closing) shutdownNow();
    }

    /**
     * Turns a failure of blocking work into {@code -ERR [SYS/TEMP]} (RFC 3206 5), logging the cause
     * when it is not a plain overload.
     */
    void requireNoError(Throwable error, String what) throws Pop3Error {
        if (error == null) return;
        if (error instanceof RejectedExecutionException) {
            throw new Pop3Error(RespCode.SYS_TEMP, "Server busy, try again later");
        }
        logFailure(error, what);
        throw new Pop3Error(RespCode.SYS_TEMP, "Cannot " + what + " now, try again later");
    }

    void logFailure(Throwable error, String what) {
        log.warn("{}: user=<{}>, client={}: {} failed: {}", settings.listenerName(),
                account == null ? "" : account.address(), client, what, error.toString());
    }

    /**
     * Sends {@code r} after {@code delay} (the throttle's wait before a failed login's reply) on
     * the event loop's timer, so no thread sleeps; input stays paused until then. For use in a
     * {@link #blocking} continuation.
     *
     * @return {@code r} when there is no delay, else {@link Reply#PENDING}
     */
    Reply after(java.time.Duration delay, Reply r) {
        if (delay.isZero()) return r;
        long generation = gate.pause();
        ctx.executor().schedule(() -> {
            if (!ctx.channel().isActive()) return;
            running = false;
            send(r);
            ctx.flush();
            if (gate.pauseGeneration() == generation) gate.resume();
            if (shutdownRequested && !closing) shutdownNow();
        }, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return Reply.PENDING;
    }

    /** Keeps input paused after the current continuation, until a later {@link #blocking} step ends. */
    void holdInput() {
        gate.pause();
    }

    /** Writes raw octets of a multi-line reply that is streamed (RETR, TOP), flushing them. */
    ChannelFuture writeRaw(ByteBuf b) {
        return ctx.writeAndFlush(b);
    }

    /** Writes the status line of a streamed reply; the body follows with {@link #writeRaw}. */
    void writeStatus(Reply r) {
        ctx.write(Pop3Writer.encode(r, alloc()));
    }

    /** Ends the connection without a reply (a transfer failed half-way: no "." may follow). */
    void abort(String why) {
        log.warn("{}: user=<{}>, client={}: closing: {}", settings.listenerName(),
                account == null ? "" : account.address(), client, why);
        result = "error";
        closing = true;
        ctx.close();
    }

    /** Takes the next line as a SASL response rather than a command. */
    void expectContinuation(LineContinuation c) {
        continuation = c;
    }

    /**
     * STLS (RFC 2595 4): installs the TLS handler, which lets the reply written next pass in the
     * clear, and drops every octet and line received after the STLS line, so nothing injected before
     * the handshake is executed after it.
     */
    void startTls(SslHandler handler) {
        ctx.pipeline().addFirst("tls", handler);
        decoder.discardBuffered();
        gate.discardHeld();
        continuation = null;
    }

    /** The caller took the lock on {@code a} (or gave it back: null). */
    void locked(Account a) {
        this.account = a;
    }

    void enterTransaction(Maildrop m) {
        this.maildrop = m;
        this.state = Pop3State.TRANSACTION;
    }

    /** RFC 1939 6: QUIT in TRANSACTION; no command is accepted any more. */
    void enterUpdate() {
        this.state = Pop3State.UPDATE;
    }

    void quitting() {
        result = "quit";
    }

    void expunged(int n) {
        expunged += n;
    }

    void retrieved(long octets) {
        retrieved++;
        retrievedOctets += octets;
    }

    Pop3State state() { return state; }

    Maildrop maildrop() { return maildrop; }

    Account account() { return account; }

    InetAddress clientAddress() { return clientAddress; }

    String client() { return client; }

    boolean isOpen() { return ctx.channel().isActive() && !closing; }

    ByteBufAllocator alloc() { return ctx.alloc(); }

    io.netty.channel.Channel channel() { return ctx.channel(); }

    /** True when TLS protects the connection (implicit, or STLS with the handshake done). */
    boolean tlsActive() {
        return Peers.isTls(ctx.channel());
    }

    /** True when any TLS handler is installed, even with its handshake still running. */
    boolean tlsInstalled() {
        return ctx.pipeline().get(SslHandler.class) != null;
    }

    /** RFC 2595 2.2: USER/PASS and AUTH PLAIN only under TLS, or from loopback when configured. */
    boolean plaintextLoginAllowed() {
        return tlsActive() || (local && settings.allowPlaintextOnLoopback());
    }

    /**
     * Gives back the maildrop: releases the lock and closes the mailbox on the executor. Runs once,
     * when the connection is gone and no blocking task still uses the mailbox, so the next session
     * of the account can start at once (its {@link org.mailroom.core.store.Mailbox} is its own).
     */
    private void release() {
        if (released) return;
        released = true;
        retrieve.dropAhead();
        Maildrop m = maildrop;
        maildrop = null;
        if (account != null) locks.unlock(account.address());
        if (m == null) return;
        executor.submit(() -> {
            m.mailbox().close();
            return null;
        }).whenComplete((v, e) -> {
            if (e != null) log.warn("{}: closing the mailbox of {} failed: {}", settings.listenerName(), m.mailbox().account(), e.toString());
        });
    }
}
