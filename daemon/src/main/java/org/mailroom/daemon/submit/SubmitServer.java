package org.mailroom.daemon.submit;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.mailroom.core.store.ContentBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves local submission on {@code <data>/run/submit.sock} (protocol in the package
 * documentation). The socket file is 0666: every local user may submit, and who did is not taken
 * from the client but from the kernel ({@code SO_PEERCRED}). One thread accepts; a small bounded
 * pool serves one submission per connection, never on a Netty event loop (the sink blocks on the
 * disk). A client has {@link #READ_TIMEOUT} to send its header block and message.
 */
public final class SubmitServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.submit");
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final int THREADS = 2, BACKLOG = 32, SPILL_AT = 1 << 20;
    private static final long MAX_DRAIN = 64L << 20;

    /** Limits: from smtp.maxMessageSize and smtp.maxRecipients. */
    public record Limits(long maxMessageSize, int maxRecipients) {}

    private final Path socket;
    private final ServerSocketChannel server;
    private final LocalSubmission submission;
    private final Limits limits;
    private final Path spool;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private volatile boolean closed;

    private SubmitServer(Path socket, ServerSocketChannel server, LocalSubmission submission, Limits limits, Path spool) {
        this.socket = socket;
        this.server = server;
        this.submission = submission;
        this.limits = limits;
        this.spool = spool;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(BACKLOG),
                r -> daemonThread(r, "submit-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "submit-deadlines"));
        this.acceptor = daemonThread(this::acceptLoop, "submit-accept");
    }

    /** {@code <data>/run/submit.sock}. */
    public static Path socketPath(Path dataDir) {
        return dataDir.resolve("run").resolve("submit.sock");
    }

    /**
     * Binds {@code socket} (its directory must exist; the caller decides its mode), makes the
     * socket file 0666 and starts accepting. A stale socket file is replaced.
     *
     * @param spool where messages over 1 MiB are spilled while they arrive ({@code <data>/tmp})
     */
    public static SubmitServer start(Path socket, LocalSubmission submission, Limits limits, Path spool) throws IOException {
        if (Files.exists(socket)) {
            if (answers(socket)) throw new IOException("another daemon is listening on " + socket);
            Files.delete(socket);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket), BACKLOG);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        SubmitServer s = new SubmitServer(socket, ch, submission, limits, spool);
        s.acceptor.start();
        log.info("listening on {}", socket);
        return s;
    }

    public Path socket() { return socket; }

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
                sleepQuietly();
                continue;
            }
            try {
                workers.execute(() -> serve(ch));
            } catch (RejectedExecutionException busy) {
                write(ch, "ERR 421 4.3.2 busy, try again");
                closeQuietly(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            String user;
            try {
                UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
                user = p.user().getName();
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("no peer credentials: {}", e.toString());
                write(ch, "ERR 451 4.3.0 cannot tell who is submitting");
                return;
            }
            String answer = receive(ch, user);
            ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                write(ch, answer);
                lingeringClose(ch);
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException e) {
            log.debug("connection ended: {}", e.toString());
        }
    }

    /** Reads the header block and the message, submits; returns the answer line. */
    private String receive(SocketChannel ch, String user) throws IOException {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        ContentBuffer content = new ContentBuffer(spool, SPILL_AT);
        try {
            List<String> lines = new ArrayList<>();
            int maxLines = limits.maxRecipients() + 8;
            while (true) {
                String l = readLine(ch, buf);
                if (l == null) return "ERR 500 5.5.2 header block line too long or incomplete";
                if (l.isEmpty()) break;
                if (lines.size() >= maxLines) return "ERR 452 4.5.3 too many recipients (at most " + limits.maxRecipients() + ")";
                lines.add(l);
            }
            SubmitRequest req;
            try {
                req = SubmitRequest.parse(lines, limits.maxRecipients(), limits.maxMessageSize());
            } catch (SubmitRequest.Bad e) {
                log.info("sendmail user={} refused: {} {} {}", user, e.code, e.status, e.getMessage());
                return "ERR " + e.code + " " + e.status + " " + e.getMessage();
            }
            long remaining = req.size();
            buf.flip(); // what was read after the empty line belongs to the message
            while (true) {
                int n = (int) Math.min(buf.remaining(), remaining);
                if (n > 0) {
                    byte[] b = new byte[n];
                    buf.get(b);
                    content.append(b);
                    remaining -= n;
                    if (content.shouldSpill()) content.spill();
                }
                if (remaining == 0) break;
                buf.clear();
                int r = ch.read(buf);
                buf.flip();
                if (r < 0) return "ERR 451 4.3.0 the message ended early (" + (req.size() - remaining) + " of " + req.size() + " octets)";
            }
            deadline.cancel(false);
            return submission.submit(req, user, content).line();
        } finally {
            deadline.cancel(false);
            content.discard();
        }
    }

    /**
     * One LF-terminated line of the header block from {@code buf} (in write mode, holding unread
     * octets from position 0), reading more as needed; null at end of input or over
     * {@link SubmitRequest#MAX_LINE}. Consumed octets are removed from {@code buf}.
     */
    static String readLine(SocketChannel ch, ByteBuffer buf) throws IOException {
        int scanned = 0;
        while (true) {
            for (; scanned < buf.position(); scanned++) {
                if (buf.get(scanned) == '\n') {
                    String line = new String(Arrays.copyOf(buf.array(), scanned), StandardCharsets.UTF_8);
                    if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
                    buf.flip();
                    buf.position(scanned + 1);
                    buf.compact();
                    return line;
                }
                if (scanned >= SubmitRequest.MAX_LINE) return null;
            }
            if (!buf.hasRemaining() || ch.read(buf) < 0) return null;
        }
    }

    /** See ControlServer: read what the client still sends so it is not reset before it reads the answer. */
    private static void lingeringClose(SocketChannel ch) {
        try {
            ch.shutdownOutput();
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            for (long n = 0; n < MAX_DRAIN; n += b.position(), b.clear()) {
                if (ch.read(b) < 0) return;
            }
        } catch (IOException e) {
            // closed by the client or by the deadline
        }
    }

    private static void write(SocketChannel ch, String line) {
        ByteBuffer b = ByteBuffer.wrap((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            log.debug("client went away: {}", e.toString());
        }
    }

    /** Stops accepting, lets submissions in progress finish (briefly), removes the socket file. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        workers.shutdown();
        try {
            acceptor.join(2000);
            workers.awaitTermination(10, TimeUnit.SECONDS);
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
            // closing
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
