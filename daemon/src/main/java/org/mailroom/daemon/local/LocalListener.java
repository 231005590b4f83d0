package org.mailroom.daemon.local;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UNIX domain socket: bound with a given file mode (a stale socket file left by a daemon that
 * died is replaced; one a live daemon answers on is an error), accepted on its own thread, each
 * connection served by one of a few worker threads; when they are all busy and the backlog is full,
 * {@code busy} answers and the connection is closed. {@link #deadline} closes a connection that
 * takes too long.
 */
public final class LocalListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalListener.class);

    private final String name;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Consumer<SocketChannel> serve;
    private final Consumer<SocketChannel> busy;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private volatile boolean closed;

    private LocalListener(String name, Path socket, ServerSocketChannel server, int threads, int backlog,
                          Consumer<SocketChannel> serve, Consumer<SocketChannel> busy) {
        this.name = name;
        this.socket = socket;
        this.server = server;
        this.serve = serve;
        this.busy = busy;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(backlog),
                r -> daemonThread(r, name + "-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, name + "-deadlines"));
        this.acceptor = daemonThread(this::acceptLoop, name + "-accept");
    }

    /**
     * Binds {@code socket} (its directory must exist), sets the socket file to {@code mode}
     * (e.g. {@code rw-------}) and starts accepting.
     *
     * @param serve called on a worker thread for each connection; it closes the channel
     * @param busy  called on the accept thread when no worker can take the connection
     * @throws IOException if binding fails, or if another daemon answers on {@code socket}
     */
    public static LocalListener start(String name, Path socket, String mode, int threads, int backlog,
                                      Consumer<SocketChannel> serve, Consumer<SocketChannel> busy) throws IOException {
        if (Files.exists(socket)) {
            if (answers(socket)) throw new IOException("another daemon is listening on " + socket);
            Files.delete(socket); // nobody answers: left by a daemon that died
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket), backlog);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(mode));
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        LocalListener l = new LocalListener(name, socket, ch, threads, backlog, serve, busy);
        l.acceptor.start();
        log.info("{}: listening on {}", name, socket);
        return l;
    }

    public Path socket() { return socket; }

    /** Closes {@code ch} unless the returned future is cancelled within {@code after}. */
    public ScheduledFuture<?> deadline(SocketChannel ch, Duration after) {
        return deadlines.schedule(() -> closeQuietly(ch), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes all of {@code b}; a client that went away is only logged. */
    public static void write(SocketChannel ch, ByteBuffer b) {
        try {
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            log.debug("client went away: {}", e.toString());
        }
    }

    public static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException nobody) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException stopping) {
                return;
            } catch (IOException e) {
                if (closed) return;
                log.warn("{}: accept failed: {}", name, e.toString());
                try {
                    Thread.sleep(100); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            try {
                workers.execute(() -> serve.accept(ch));
            } catch (RejectedExecutionException full) {
                busy.accept(ch);
                closeQuietly(ch);
            }
        }
    }

    /** Stops accepting, lets connections in progress finish within {@code drain}, removes the socket file. */
    public void close(Duration drain) {
        closed = true;
        closeQuietly(server);
        workers.shutdown();
        try {
            acceptor.join(2000);
            workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadlines.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", socket, e.toString());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
