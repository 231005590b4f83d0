package org.mailroom.daemon.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the control channel on a UNIX domain socket (see the package documentation for the
 * protocol). One thread accepts; a small bounded pool serves one request per connection, so a
 * slow command (a long {@code list}) does not stop the next one. A client gets
 * {@link #READ_TIMEOUT} to send its line and {@link #WRITE_TIMEOUT} to read the answer, then the
 * connection is closed under it.
 *
 * <p>The socket file is made 0600. It is bound while its directory is 0700 (the socket's own mode
 * is set right after bind, which is a moment too late on its own); the daemon then opens the
 * directory to 0711 with {@link #openDirectory} so that other users can reach {@code submit.sock}
 * beside it, which they may not list, and control.sock keeps them out by its own mode.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.control");
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);
    private static final int THREADS = 2, BACKLOG = 16;
    private static final long MAX_DRAIN = 1 << 20;

    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<ControlRequest, ControlResponse> handler;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socket, ServerSocketChannel server, Function<ControlRequest, ControlResponse> handler) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG),
                r -> daemonThread(r, "control-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "control-deadlines"));
        this.acceptor = daemonThread(this::acceptLoop, "control-accept");
    }

    /** {@code <data>/run/control.sock}: where the daemon listens and the CLI connects. */
    public static Path socketPath(Path dataDir) {
        return dataDir.resolve("run").resolve("control.sock");
    }

    /**
     * Creates the directory and makes it 0700 (also when an earlier run opened it to 0711), removes a stale socket file left by a daemon that died, binds,
     * sets the socket file to 0600 and starts accepting.
     *
     * @throws IOException if binding fails, or if another daemon answers on {@code socket}
     */
    public static ControlServer start(Path socket, Function<ControlRequest, ControlResponse> handler) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------")); // made by an older version, or by hand
        if (Files.exists(socket)) {
            if (answers(socket)) throw new IOException("another daemon is listening on " + socket);
            Files.delete(socket); // nobody answers: left by a daemon that died
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        ControlServer s = new ControlServer(socket, ch, handler);
        s.acceptor.start();
        log.info("listening on {}", socket);
        return s;
    }

    public Path socket() { return socket; }

    /**
     * Makes {@code dir} 0711 (others may traverse, not list or create): call once every socket in
     * it has its final mode. control.sock stays 0600, so only the daemon's user can connect.
     */
    public static void openDirectory(Path dir) throws IOException {
        if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(socketPathIn(dir))).equals("rw-------")) {
            throw new IOException(socketPathIn(dir) + " is not 0600; not opening " + dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static Path socketPathIn(Path dir) {
        return dir.resolve("control.sock");
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
                log.warn("accept failed: {}", e.toString());
                sleepQuietly(); // e.g. out of file descriptors: do not spin
                continue;
            }
            try {
                workers.execute(() -> serve(ch));
            } catch (RejectedExecutionException busy) {
                write(ch, ControlResponse.err("busy, try again"));
                closeQuietly(ch);
            }
        }
    }

    /** One request, one answer, close. */
    private void serve(SocketChannel ch) {
        try (ch) {
            byte[] line;
            ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                line = readLine(ch);
            } finally {
                deadline.cancel(false);
            }
            ControlResponse r;
            if (line == null) {
                r = ControlResponse.err("request longer than " + ControlRequestParser.MAX_LINE + " octets");
            } else {
                try {
                    ControlRequest req = ControlRequestParser.parse(line);
                    log.debug("{}", req.line());
                    r = handler.apply(req);
                } catch (ControlRequestParser.BadRequest e) {
                    r = ControlResponse.err(e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("request failed: {}", e.toString());
                    r = ControlResponse.err("internal error: " + e);
                }
            }
            deadline = deadlines.schedule(() -> closeQuietly(ch), WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                write(ch, r);
                lingeringClose(ch);
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException e) {
            log.debug("connection ended: {}", e.toString());
        }
    }

    /**
     * The octets before the first LF (or before end of file), or null when there are
     * {@link ControlRequestParser#MAX_LINE} octets without an LF.
     */
    static byte[] readLine(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(ControlRequestParser.MAX_LINE);
        int scanned = 0;
        while (true) {
            for (; scanned < buf.position(); scanned++) {
                if (buf.get(scanned) == '\n') return Arrays.copyOf(buf.array(), scanned);
            }
            if (!buf.hasRemaining()) return null;
            if (ch.read(buf) < 0) return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /**
     * Ends our side, then reads what the client still sends (the rest of a line over the limit,
     * say) until it closes: closing with unread input would reset the connection and the client
     * could lose the answer. Bounded by the write deadline and {@link #MAX_DRAIN} octets.
     */
    private static void lingeringClose(SocketChannel ch) {
        try {
            ch.shutdownOutput();
            ByteBuffer b = ByteBuffer.allocate(4096);
            for (long n = 0; n < MAX_DRAIN; n += b.position(), b.clear()) {
                if (ch.read(b) < 0) return;
            }
        } catch (IOException e) {
            // closed by the client or by the deadline: the answer went out as far as it could
        }
    }

    private static void write(SocketChannel ch, ControlResponse r) {
        StringBuilder sb = new StringBuilder();
        for (String l : r.lines()) sb.append(l).append('\n');
        sb.append(r.statusLine()).append('\n');
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            log.debug("client went away: {}", e.toString());
        }
    }

    /** Stops accepting, lets requests in progress finish (briefly), removes the socket file. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        workers.shutdown();
        try {
            acceptor.join(2000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
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

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
