package org.mailroom.daemon.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import org.mailroom.daemon.local.LocalListener;
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

    private final Function<ControlRequest, ControlResponse> handler;
    private LocalListener listener;

    private ControlServer(Function<ControlRequest, ControlResponse> handler) {
        this.handler = handler;
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
        ControlServer s = new ControlServer(handler);
        s.listener = LocalListener.start("control", socket, "rw-------", THREADS, BACKLOG, s::serve,
                ch -> write(ch, ControlResponse.err("busy, try again")));
        return s;
    }

    public Path socket() { return listener.socket(); }

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

    /** One request, one answer, close. */
    private void serve(SocketChannel ch) {
        try (ch) {
            byte[] line;
            ScheduledFuture<?> deadline = listener.deadline(ch, READ_TIMEOUT);
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
            deadline = listener.deadline(ch, WRITE_TIMEOUT);
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
        LocalListener.write(ch, ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Stops accepting, lets requests in progress finish (briefly), removes the socket file. */
    @Override
    public void close() {
        listener.close(Duration.ofSeconds(5));
    }
}
