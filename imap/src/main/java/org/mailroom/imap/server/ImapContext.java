package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.mailroom.core.account.Account;

/**
 * What a handler sees of its connection ({@link ImapHandler} has the calling contract). Every
 * method is called on the session's event loop unless it says otherwise, and none blocks.
 * Stages returned here complete on the event loop, so their callbacks may use the context
 * directly.
 */
public interface ImapContext {

    // ---- facts -----------------------------------------------------------------------------

    ImapSettings settings();

    ImapState state();

    /** The tag of the running command. */
    String tag();

    /** The logged-in account, null before login. */
    Account account();

    /** The client's address; null for an in-VM channel (tests). */
    InetAddress clientAddress();

    /** The client as a postmaster greps for it: {@code [192.0.2.1]}. */
    String client();

    /** TLS protects the connection (implicit TLS, or STARTTLS with its handshake done). */
    boolean tlsActive();

    /**
     * A password may cross this connection: TLS is active, or the client is on loopback and
     * {@code auth.plaintextOnLoopback} allows it (RFC 9051 6.2.3, 11.1).
     */
    boolean plaintextLoginAllowed();

    /** STARTTLS may be used now: the listener offers it and no TLS layer is installed yet. */
    boolean startTlsAvailable();

    /** The client switched {@code e} on with ENABLE. */
    boolean enabled(Extension e);

    /** The selected mailbox, or null outside SELECTED state. */
    SelectedMailbox selected();

    // ---- state changes ---------------------------------------------------------------------

    /**
     * Enters SELECTED state with {@code mailbox} (SELECT, EXAMINE). A mailbox selected before is
     * closed first (RFC 9051 6.3.2: a failed SELECT also leaves SELECTED state, so a handler that
     * fails after closing calls {@link #unselect}).
     */
    void select(SelectedMailbox mailbox);

    /** Leaves SELECTED state (UNSELECT, CLOSE); the mailbox is closed on the blocking executor. */
    void unselect();

    /**
     * Enters AUTHENTICATED state as {@code account} (LOGIN, AUTHENTICATE).
     *
     * @throws ImapNo {@code [LIMIT]} when the account already has {@code imap.maxConnectionsPerUser}
     *                connections
     */
    void loggedIn(Account account, String mechanism);

    /** Records an ENABLE (RFC 5161); QRESYNC also enables CONDSTORE. */
    void enable(Extension e);

    // ---- output ----------------------------------------------------------------------------

    /** Writes {@code * <line>} CRLF; {@code line} has no CR or LF. Flushed at the end of the command. */
    void untagged(String line);

    /** Writes complete untagged responses (with literals) and takes ownership of {@code responses}. */
    void write(ByteBuf responses);

    ByteBufAllocator alloc();

    /**
     * Writes the responses {@code source} produces, batch by batch, each written as soon as it is
     * made, the next one made only when the channel is writable again.
     *
     * @param onBlockingExecutor make batches on the blocking executor (they read the store); false:
     *                           on the event loop (cheap, in-memory batches)
     * @return completes on the event loop after the last batch was written, or with the failure
     */
    CompletionStage<Void> stream(ResponseBatches source, boolean onBlockingExecutor);

    /**
     * Writes {@code + text} (RFC 9051 7.5) and returns the client's next line, raw (AUTHENTICATE
     * responses, IDLE's DONE). A line that was too long fails the stage with {@link ImapBad}.
     */
    CompletionStage<String> continuation(String text);

    /**
     * During IDLE: writes what {@link SelectedMailbox#flushUpdates} has (expunges allowed) and
     * flushes at once. Does nothing outside a command or when nothing is pending.
     */
    void writeUpdates();

    // ---- waiting ---------------------------------------------------------------------------

    /** Runs {@code task} on the blocking executor; the stage completes on the event loop. */
    <T> CompletionStage<T> blocking(Callable<T> task);

    /** Completes on the event loop after {@code delay} (a failed login's throttle); no thread sleeps. */
    CompletionStage<Void> delay(Duration delay);

    /** Runs {@code r} on this connection's event loop; may be called from any thread. */
    void onEventLoop(Runnable r);

    /**
     * Like {@link #onEventLoop}, for wake-ups that many sessions get at once (IDLE): its
     * {@code execute} only queues the task, from any thread, and never runs it on the calling
     * thread; the tasks queued for one event loop run in one task of that loop, in the order
     * queued. Obtained once and kept (it is shared by the sessions of this event loop).
     */
    java.util.concurrent.Executor wakeUps();

    // ---- the connection itself (STARTTLS, COMPRESS) ---------------------------------------

    Channel channel();

    /**
     * STARTTLS (RFC 9051 6.2.1): flushes what was written, puts {@code handler} (made so that the
     * next write passes in the clear) first in the pipeline and drops every octet and command
     * received after the STARTTLS line.
     */
    void startTls(SslHandler handler);

    /** Drops input received but not executed (COMPRESS: it would have been compressed already). */
    void discardBufferedInput();
}
