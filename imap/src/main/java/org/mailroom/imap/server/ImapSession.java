package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.mailroom.core.account.Account;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.frame.DataChunk;
import org.mailroom.core.frame.DataEnd;
import org.mailroom.core.frame.Line;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.core.frame.LineTooLong;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.Peers;
import org.mailroom.core.net.ShutdownEvent;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.imap.wire.BadCharsetException;
import org.mailroom.imap.wire.CommandText;
import org.mailroom.imap.wire.ImapCommandParser;
import org.mailroom.imap.wire.ImapSyntaxException;
import org.mailroom.imap.wire.ImapWriter;
import org.mailroom.imap.wire.ImapWriter.Status;
import org.mailroom.imap.wire.Literal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection: the states of RFC 9051 3 ({@link ImapState}), command assembly
 * ({@link CommandAssembly}), the dispatcher that checks the {@link ImapCommand} table once, and the
 * one place where tagged responses are written and the connection is closed.
 *
 * <p>A command goes: lines and literals → {@link CommandAssembly} → {@link ImapCommandParser}
 * (a record, or {@code BAD}) → table (state, else {@code BAD}) → {@link ImapHandlers} → a
 * {@link Completion} now or later → pending updates of the selected mailbox (expunges only where
 * {@link ImapCommand#expungeAllowed()}) → the tagged response.
 *
 * <p>Invariants: everything runs on the channel's event loop; one command runs at a time, and while
 * it waits (blocking work, a streamed response) the {@link InboundGate} holds further input and the
 * socket is not read; only a command waiting for a continuation line lets input in. Nothing read
 * before a STARTTLS handshake is executed after it. No exception reaches Netty's default handler.
 *
 * <p>Logs to {@code org.mailroom.imap}: one line per login attempt (by the login handler) and one at
 * the end of every session: {@code imap: user=<alice@example.org>, client=[192.0.2.1],
 * duration=63s, commands=12, result=logout}; {@code result} is {@code logout}, {@code dropped},
 * {@code idle} (autologout), {@code shutdown}, {@code errors} (too many BADs), {@code limit} or
 * {@code error}.
 */
final class ImapSession extends ChannelInboundHandlerAdapter implements ImapContext {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.imap");

    /** BAD responses in a row before the connection is closed (Dovecot's limit). */
    static final int MAX_BAD_IN_A_ROW = 20;

    private final ImapSettings settings;
    private final ImapInitializer.Services services;
    private final ImapHandlers handlers;
    private final LineDecoder decoder;
    private final InboundGate gate;
    private final boolean startTlsOffered;
    private final long started = System.nanoTime();

    private ChannelHandlerContext ctx;
    private CommandAssembly assembly;
    private InetAddress clientAddress;
    private String client = "[unknown]";
    private boolean local;

    private ImapState state = ImapState.NOT_AUTHENTICATED;
    private Account account;
    private SelectedMailbox selected;
    private final EnumSet<Extension> enabled = EnumSet.noneOf(Extension.class);

    /** The running command, or null between commands. */
    private ImapCommand running;
    private String runningTag;
    /** The running command's text: its spooled APPEND message is discarded when it is over. */
    private CommandText runningText;
    /** An APPEND message being written to the spool directory (input paused meanwhile), or null. */
    private ContentBuffer spilling;
    /** The connection or command ended during that write: discard the message once it is done. */
    private boolean discardAfterSpill;
    /** Set while the running command waits for a continuation line. */
    private CompletableFuture<String> waiter;
    /** Set while a streamed response waits for the channel to become writable. */
    private Runnable whenWritable;

    private int badInARow;
    private int commands;
    private boolean closing;
    private boolean shutdownRequested;
    private String result = "dropped";

    ImapSession(ImapSettings settings, ImapInitializer.Services services, ImapHandlers handlers, LineDecoder decoder,
                InboundGate gate, boolean startTlsOffered) {
        this.settings = settings;
        this.services = services;
        this.handlers = handlers;
        this.decoder = decoder;
        this.gate = gate;
        this.startTlsOffered = startTlsOffered;
    }

    // ---- Netty events ------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.assembly = new CommandAssembly(settings, this::literalLimit, ctx.alloc(), this::discardLater);
        // before login lines are as short as literals: a stranger gets no large buffer either way
        decoder.setMaxLineLength(Math.min(settings.maxLineLength(), settings.preAuthLiteralLimit()));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() != null) {
            clientAddress = isa.getAddress();
            client = Peers.bracketed(ctx.channel());
            local = clientAddress.isLoopbackAddress();
        } else {
            local = true; // in-VM and embedded channels never leave the process
        }
        // RFC 9051 7.1.1: the greeting; its CAPABILITY code spares the client a round trip (7.2.2)
        writeStatus(null, Status.OK, "CAPABILITY " + services.capabilities().of(this),
                settings.hostname() + " Mailroom IMAP ready");
        ctx.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            release(msg);
            return;
        }
        try {
            if (msg instanceof Line line) {
                onLine(line.text());
            } else if (msg instanceof LineTooLong tooLong) {
                onTooLong(tooLong);
            } else if (msg instanceof DataChunk chunk) {
                assembly.chunk(chunk.content());
                ContentBuffer due = assembly.spillDue();
                if (due != null) spill(due);
            } else if (msg instanceof DataEnd end) {
                act(assembly.end(end));
            } else {
                release(msg);
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // responses to a pipelined group leave together
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Runnable r = whenWritable;
        if (r != null && ctx.channel().isWritable()) {
            whenWritable = null;
            r.run();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // RFC 9051 5.4: the autologout timer; our own blocking work is not the client's idleness,
            // IDLE is (RFC 2177: clients re-issue it within 29 minutes)
            if (closing || waitingForUs()) return;
            result = "idle";
            closeWith(null, "Autologout; idle for too long");
        } else if (evt == ShutdownEvent.INSTANCE) {
            if (closing) return;
            if (waitingForUs()) {
                shutdownRequested = true; // the running command finishes first
            } else {
                shutdownNow();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        state = ImapState.LOGOUT;
        assembly.reset();
        whenWritable = null;
        CompletableFuture<String> w = waiter;
        waiter = null;
        if (w != null) w.completeExceptionally(new ImapBye("Connection closed"));
        if (selected != null) closeMailbox(selected);
        selected = null;
        if (account != null) services.users().release(account.address());
        log.info("{}: user=<{}>, client={}, duration={}s, commands={}, result={}", settings.listenerName(),
                account == null ? "" : account.address(), client,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), commands, result);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isNetworkOrTls(cause)) {
            log.debug("{}: {} closing after {}", settings.listenerName(), client, cause.toString());
            closing = true;
            ctx.close();
        } else {
            internalError(cause);
        }
    }

    // ---- input -----------------------------------------------------------------------------

    private void onLine(String text) {
        CompletableFuture<String> w = waiter;
        if (w != null) {
            waiter = null;
            updateGate();
            w.complete(text);
            return;
        }
        if (running != null) {
            // cannot happen: the gate holds input while a command runs without asking for a line
            log.warn("{}: {} line while {} runs, dropped", settings.listenerName(), client, running);
            return;
        }
        act(assembly.line(text));
    }

    private void onTooLong(LineTooLong t) {
        CompletableFuture<String> w = waiter;
        if (w != null) {
            waiter = null;
            assembly.tooLongElsewhere();
            updateGate();
            w.completeExceptionally(new ImapBad("Line too long"));
            return;
        }
        act(assembly.tooLong(t.head()));
    }

    private void act(CommandAssembly.Action a) {
        switch (a.kind()) {
            case MORE -> { }
            case GO_AHEAD -> {
                // RFC 9051 7.5: the command continuation request for a synchronizing literal
                writeContinuation("Ready for literal data");
                ctx.flush();
                if (a.octets() > 0) decoder.startCounted(a.octets(), a.octets());
            }
            case COMMAND -> execute(a.tag(), a.text());
            case NO -> answerRefusal(a.tag(), Status.NO, a.code(), a.message());
            case BAD -> answerRefusal(a.tag(), Status.BAD, a.code(), a.message());
            case BYE -> {
                result = "limit";
                closeWith(a.code(), a.message());
            }
        }
    }

    /** The literal limit for a command of this name, by state (RFC 9051 4.3 leaves the limits to us). */
    private long literalLimit(String commandName) {
        if (state == ImapState.NOT_AUTHENTICATED) return settings.preAuthLiteralLimit();
        if ("APPEND".equals(commandName)) return settings.appendLimit(); // RFC 7889 APPENDLIMIT
        return settings.maxCommandSize();
    }

    // ---- dispatch --------------------------------------------------------------------------

    private void execute(String tag, CommandText text) {
        ImapCommandParser.Tagged t;
        try {
            t = ImapCommandParser.parse(text);
        } catch (BadCharsetException e) {
            // RFC 9051 6.4.4: an unknown charset is NO [BADCHARSET] with the ones we know
            answerRefusal(tag, Status.NO, "BADCHARSET (UTF-8 US-ASCII)", e.text());
            dropSpooled(text);
            return;
        } catch (ImapSyntaxException e) {
            answerRefusal(tag, Status.BAD, null, e.getMessage());
            dropSpooled(text);
            return;
        }
        ImapCommand c = ImapCommand.of(t.command());
        if (!c.allowedIn(state)) {
            // RFC 9051 6: a command in the wrong state is a protocol error
            answerRefusal(t.tag(), Status.BAD, null, c.wireName() + " not allowed now: " + switch (state) {
                case NOT_AUTHENTICATED -> "log in first";
                case AUTHENTICATED -> c.allowedIn(ImapState.SELECTED) ? "select a mailbox first" : "already logged in";
                case SELECTED -> "already logged in";
                case LOGOUT -> "logging out";
            });
            dropSpooled(text);
            return;
        }
        if (state == ImapState.SELECTED && selected != null && selected.gone() && readsSelected(c)) {
            // RFC 2180 3.2, as Dovecot does: DELETE and RENAME work even while another session has the
            // mailbox selected; that session ends at its next command on it instead of failing to read
            // files that moved away (it used to get NO [SERVERBUG] from FETCH)
            closeWith(null, "Selected mailbox was deleted or renamed, have to disconnect");
            dropSpooled(text);
            return;
        }
        running = c;
        runningTag = t.tag();
        runningText = text;
        commands++;
        Completion r;
        try {
            r = handlers.handle(this, t.command());
        } catch (RuntimeException e) {
            finish(null, e);
            return;
        }
        await(r);
    }

    /** A command that works on the selected mailbox (CLOSE expunges it); not UNSELECT, SELECT, LOGOUT or CAPABILITY. */
    private static boolean readsSelected(ImapCommand c) {
        return c == ImapCommand.NOOP || c == ImapCommand.IDLE
                || (c.allowedIn(ImapState.SELECTED) && !c.allowedIn(ImapState.AUTHENTICATED) && c != ImapCommand.UNSELECT);
    }

    /** Finishes now, or when the completion's stage is done (on the event loop). */
    private void await(Completion r) {
        if (!r.pending()) {
            finish(r, null);
            return;
        }
        updateGate();
        r.stage().whenComplete((v, err) -> onEventLoop(() -> {
            if (err == null && v != null && v.pending()) await(v);
            else finish(v, err);
        }));
    }

    /** Writes the running command's tagged response (or BYE) and lets the next command in. */
    private void finish(Completion r, Throwable err) {
        ImapCommand c = running;
        String tag = runningTag;
        dropSpooled(runningText);
        running = null;
        runningTag = null;
        runningText = null;
        waiter = null;
        whenWritable = null;
        if (c == null || closing || !ctx.channel().isActive()) return;
        err = BlockingExecutor.unwrap(err);
        if (err instanceof ImapBye bye) {
            closeWith(bye.code(), bye.text());
            return;
        }
        if (err instanceof ImapBad bad) {
            answerRefusal(tag, Status.BAD, bad.code(), bad.text());
        } else {
            Status status = Status.OK;
            String code = null;
            String text;
            if (err == null && r == null) err = new IllegalStateException(c + ": a null completion");
            if (err instanceof ImapNo no) {
                status = Status.NO;
                code = no.code();
                text = no.text();
            } else if (err instanceof RejectedExecutionException) {
                status = Status.NO;
                code = "UNAVAILABLE"; // RFC 5530 3: the blocking executor is full; try again later
                text = "Server busy, try again later";
            } else if (err != null) {
                log.warn("{}: user=<{}>, client={}: {} failed", settings.listenerName(),
                        account == null ? "" : account.address(), client, c.wireName(), err);
                status = Status.NO;
                code = "SERVERBUG"; // RFC 5530 3
                text = "Internal error";
            } else {
                code = r.code();
                text = r.text() == null ? c.wireName() + " completed" : r.text();
            }
            writeUpdates(c.expungeAllowed(), false);
            writeStatus(tag, status, code, text);
            badInARow = 0;
        }
        if (r != null && err == null && r.close()) {
            if (c == ImapCommand.LOGOUT) result = "logout";
            state = ImapState.LOGOUT;
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        if (r != null && err == null && r.afterWriteAction() != null) r.afterWriteAction().run();
        if (shutdownRequested && !closing) {
            shutdownNow();
            return;
        }
        updateGate();
    }

    /** A command refused before or instead of running: NO or BAD, counting BADs. */
    private void answerRefusal(String tag, Status status, String code, String text) {
        if (closing) return;
        writeStatus(tag, status, code, text);
        if (status == Status.BAD && ++badInARow >= MAX_BAD_IN_A_ROW) {
            result = "errors";
            closeWith(null, "Too many invalid commands");
        }
    }

    /** Input is paused exactly while a command runs and does not wait for a line from the client. */
    private void updateGate() {
        boolean pause = !closing && (waitingForUs() || spilling != null);
        if (pause && !gate.isPaused()) {
            gate.pause();
        } else if (!pause && gate.isPaused() && ctx.channel().isActive()) {
            gate.resume();
        }
    }

    /** A command runs and waits for the server (blocking work, writing), not for the client. */
    private boolean waitingForUs() {
        return running != null && waiter == null;
    }

    // ---- APPEND messages in the spool directory --------------------------------------------

    /** Writes the memory part of an arriving APPEND message to its file, input paused meanwhile. */
    private void spill(ContentBuffer buf) {
        spilling = buf;
        updateGate();
        services.executor().submit(() -> {
            buf.spill();
            return null;
        }).whenComplete((v, e) -> onEventLoop(() -> {
            spilling = null;
            if (discardAfterSpill) {
                discardAfterSpill = false;
                discardLater(buf);
            } else if (e != null && !closing) {
                log.warn("{}: user=<{}>, client={}: cannot spool an APPEND message: {}", settings.listenerName(),
                        account == null ? "" : account.address(), client, BlockingExecutor.unwrap(e).toString());
                result = "spool error";
                assembly.reset(); // discards it
                closeWith("UNAVAILABLE", "Cannot take the message now, try again later");
            }
            updateGate();
        }));
    }

    /**
     * Deletes a spooled message's file on the blocking executor (after a write to it in flight); a
     * full executor is asked again a second later. A daemon stopping meanwhile leaves the file to its
     * next start, which empties the spool directory.
     */
    private void discardLater(ContentBuffer buf) {
        if (buf == spilling) {
            discardAfterSpill = true;
            return;
        }
        services.executor().submit(() -> {
            buf.discard();
            return null;
        }).whenComplete((v, e) -> {
            if (!(BlockingExecutor.unwrap(e) instanceof RejectedExecutionException)) return;
            try {
                ctx.channel().eventLoop().schedule(() -> discardLater(buf), 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException loopGone) {
                // shutting down: see above
            }
        });
    }

    private void dropSpooled(CommandText text) {
        if (text == null) return;
        for (Literal l : text.literals()) if (l instanceof SpooledLiteral sl) discardLater(sl.content());
    }

    // ---- ImapContext: facts ----------------------------------------------------------------

    @Override public ImapSettings settings() { return settings; }

    @Override public ImapState state() { return state; }

    @Override public String tag() { return runningTag; }

    @Override public Account account() { return account; }

    @Override public InetAddress clientAddress() { return clientAddress; }

    @Override public String client() { return client; }

    /**
     * True as soon as a TLS layer is installed: no command can arrive through it before its
     * handshake completed, and on implicit TLS the greeting waits for the handshake too.
     */
    @Override public boolean tlsActive() { return ctx.pipeline().get(SslHandler.class) != null; }

    @Override
    public boolean plaintextLoginAllowed() {
        return tlsActive() || (local && settings.allowPlaintextOnLoopback());
    }

    @Override public boolean enabled(Extension e) { return enabled.contains(e); }

    @Override public SelectedMailbox selected() { return selected; }

    @Override
    public boolean startTlsAvailable() {
        return startTlsOffered && ctx.pipeline().get(SslHandler.class) == null;
    }

    // ---- ImapContext: state changes ---------------------------------------------------------

    @Override
    public void select(SelectedMailbox mailbox) {
        if (selected != null && selected != mailbox) closeMailbox(selected);
        selected = mailbox;
        state = ImapState.SELECTED;
    }

    @Override
    public void unselect() {
        if (selected != null) closeMailbox(selected);
        selected = null;
        if (state == ImapState.SELECTED) state = ImapState.AUTHENTICATED;
    }

    @Override
    public void loggedIn(Account a, String mechanism) {
        if (!services.users().tryAcquire(a.address(), settings.maxConnectionsPerUser())) {
            throw new ImapNo("LIMIT", "Too many connections for this user"); // RFC 5530 3
        }
        account = a;
        state = ImapState.AUTHENTICATED;
        decoder.setMaxLineLength(settings.maxLineLength());
    }

    @Override
    public void enable(Extension e) {
        enabled.add(e);
        if (e == Extension.QRESYNC) enabled.add(Extension.CONDSTORE); // RFC 7162 3.2.3
    }

    private void closeMailbox(SelectedMailbox m) {
        services.executor().submit(() -> {
            m.onUpdate(null);
            m.close();
            return null;
        }).whenComplete((v, e) -> {
            if (e != null) log.warn("{}: closing a mailbox of {} failed: {}", settings.listenerName(), client, e.toString());
        });
    }

    // ---- ImapContext: output ----------------------------------------------------------------

    @Override
    public void untagged(String line) {
        if (closing) return;
        ByteBuf b = ctx.alloc().buffer(line.length() + 4);
        new ImapWriter(b).untagged().text(line).crlf();
        ctx.write(b);
    }

    @Override
    public void write(ByteBuf responses) {
        if (closing) {
            responses.release();
            return;
        }
        ctx.write(responses);
    }

    @Override public ByteBufAllocator alloc() { return ctx.alloc(); }

    @Override
    public CompletionStage<Void> stream(ResponseBatches source, boolean onBlockingExecutor) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new ResponseStreamer(this, source, onBlockingExecutor, done).next();
        return done;
    }


    @Override
    public CompletionStage<String> continuation(String text) {
        // RFC 9051 7.5: "+" SP text; the line the client sends next belongs to the running command
        writeContinuation(text);
        ctx.flush();
        CompletableFuture<String> w = new CompletableFuture<>();
        waiter = w;
        updateGate();
        return w;
    }

    @Override
    public void writeUpdates() {
        if (running == null || closing) return;
        writeUpdates(true, true);
    }

    /** Pending updates of the selected mailbox, before a tagged response or during IDLE. */
    private void writeUpdates(boolean expungeAllowed, boolean flush) {
        if (selected == null) return;
        ByteBuf b = ctx.alloc().buffer(256);
        try {
            selected.flushUpdates(b, expungeAllowed);
        } catch (RuntimeException e) {
            b.release();
            throw e;
        }
        if (!b.isReadable()) {
            b.release();
            return;
        }
        if (flush) ctx.writeAndFlush(b);
        else ctx.write(b);
    }

    /** For {@link ResponseStreamer}: runs {@code r} once the channel is writable again. */
    void whenWritable(Runnable r) {
        whenWritable = r;
    }

    /** For {@link ResponseStreamer}: the connection is gone or going; nothing more is written. */
    boolean closed() {
        return closing || !ctx.channel().isActive();
    }

    ChannelHandlerContext channelContext() { return ctx; }

    BlockingExecutor executor() { return services.executor(); }

    // ---- ImapContext: waiting ---------------------------------------------------------------

    @Override
    public <T> CompletionStage<T> blocking(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        services.executor().submit(task).whenComplete((v, e) -> onEventLoop(() -> {
            if (e != null) f.completeExceptionally(BlockingExecutor.unwrap(e));
            else f.complete(v);
        }));
        return f;
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (delay.isZero() || delay.isNegative()) {
            f.complete(null);
        } else {
            ctx.executor().schedule(() -> f.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return f;
    }

    @Override
    public void onEventLoop(Runnable r) {
        onEventLoop(r, null);
    }

    @Override
    public java.util.concurrent.Executor wakeUps() {
        return services.wakeups().of(ctx.executor());
    }

    /** As {@link #onEventLoop(Runnable)}; {@code owned} is released if the loop is gone. */
    void onEventLoop(Runnable r, ByteBuf owned) {
        if (ctx.executor().inEventLoop()) {
            r.run();
            return;
        }
        try {
            ctx.executor().execute(r);
        } catch (RejectedExecutionException e) {
            if (owned != null) owned.release(); // the event loop is shutting down
        }
    }

    // ---- ImapContext: the connection --------------------------------------------------------

    @Override public Channel channel() { return ctx.channel(); }

    @Override
    public void startTls(SslHandler handler) {
        ctx.flush(); // earlier responses go out before the TLS layer exists
        ctx.pipeline().addFirst("tls", handler);
        discardBufferedInput();
        handler.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) {
                log.info("{}: {} STARTTLS handshake failed: {}", settings.listenerName(), client, f.cause().toString());
                ctx.channel().close();
            }
        });
    }

    @Override
    public void discardBufferedInput() {
        decoder.discardBuffered();
        gate.discardHeld();
        assembly.reset();
    }

    // ---- ending ------------------------------------------------------------------------------

    private void shutdownNow() {
        result = "shutdown";
        closeWith(null, "Server shutting down");
    }

    /** Writes {@code * BYE} and closes once it is sent; nothing is read or answered after it. */
    private void closeWith(String code, String text) {
        if (closing) return;
        closing = true;
        state = ImapState.LOGOUT;
        gate.discardHeld();
        ByteBuf b = ctx.alloc().buffer(64);
        new ImapWriter(b).status(null, Status.BYE, code, text);
        ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
    }

    /** {@code tag status [code] text} (RFC 9051 7.1); a null tag is {@code *}. */
    private void writeStatus(String tag, Status status, String code, String text) {
        if (closing) return;
        ByteBuf b = ctx.alloc().buffer(64);
        new ImapWriter(b).status(tag, status, code, text);
        ctx.write(b);
    }

    /** {@code + text} (RFC 9051 7.5). */
    private void writeContinuation(String text) {
        if (closing) return;
        ByteBuf b = ctx.alloc().buffer(text.length() + 4);
        new ImapWriter(b).continuation(text);
        ctx.write(b);
    }

    private void internalError(Throwable t) {
        log.warn("{}: {} internal error, closing", settings.listenerName(), client, t);
        result = "error";
        if (ctx.channel().isActive()) {
            closeWith("SERVERBUG", "Internal error");
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
}
