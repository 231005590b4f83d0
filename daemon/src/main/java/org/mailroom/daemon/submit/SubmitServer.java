package org.mailroom.daemon.submit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.daemon.local.LocalListener;
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

    private final LocalSubmission submission;
    private final Limits limits;
    private final Path spool;
    private LocalListener listener;

    private SubmitServer(LocalSubmission submission, Limits limits, Path spool) {
        this.submission = submission;
        this.limits = limits;
        this.spool = spool;
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
        SubmitServer s = new SubmitServer(submission, limits, spool);
        s.listener = LocalListener.start("submit", socket, "rw-rw-rw-", THREADS, BACKLOG, s::serve,
                ch -> write(ch, "ERR 421 4.3.2 busy, try again"));
        return s;
    }

    public Path socket() { return listener.socket(); }

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
            ScheduledFuture<?> deadline = listener.deadline(ch, WRITE_TIMEOUT);
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
        ScheduledFuture<?> deadline = listener.deadline(ch, READ_TIMEOUT);
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
        LocalListener.write(ch, ByteBuffer.wrap((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Stops accepting, lets submissions in progress finish (briefly), removes the socket file. */
    @Override
    public void close() {
        listener.close(Duration.ofSeconds(10));
    }
}
