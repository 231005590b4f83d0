package org.mailroom.delivery.remote;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.smtp.wire.EnhancedStatus;
import org.mailroom.smtp.wire.Path;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.ReplyCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP client session with one host. Call order: {@link SmtpClient#connect} (greeting, EHLO,
 * STARTTLS, AUTH) → {@link #send} any number of times → {@link #quit}. Blocking, and used by one
 * thread at a time; see {@link SmtpClient}.
 *
 * <p>{@code send} never throws: every recipient gets a {@link RecipientResult}. When the session
 * breaks (drop, timeout, 421) the result says {@link AttemptResult#connectionLost()} and the
 * connection is unusable; otherwise it may carry the next message (RFC 5321 4.1.1.5: a completed
 * or RSET transaction leaves the session ready).
 */
public final class SmtpConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);
    private static final int CHUNK = 16 * 1024;

    private final SmtpClient client;
    private final Channel channel;
    private final ReplyReader reader;
    private final String hostName;
    private final String relay;
    private final Timeouts timeouts;
    private Capabilities capabilities = Capabilities.NONE;
    private boolean tls;
    private boolean broken;

    SmtpConnection(SmtpClient client, Channel channel, ReplyReader reader, String hostName, String relay) {
        this.client = client;
        this.channel = channel;
        this.reader = reader;
        this.hostName = hostName;
        this.relay = relay;
        this.timeouts = client.timeouts();
    }

    /** {@code mx.example[192.0.2.1]:25} */
    public String relay() { return relay; }

    /** The EHLO keywords of the current session (after STARTTLS: the second EHLO's). */
    public Capabilities capabilities() { return capabilities; }

    public boolean isTls() { return tls; }

    /** False once the session broke; the connection then can carry no further transaction. */
    public boolean isUsable() { return !broken && channel.isActive(); }

    void open(ConnectOptions options) throws SessionFailure {
        if (options.implicitTls()) {
            // RFC 8314 3.3: the handshake comes first; a failed one is a TLS failure, not a lost greeting
            awaitHandshake((SslHandler) channel.pipeline().get(SmtpClient.TLS_HANDLER));
        }
        // RFC 5321 3.1: anything but 220 means "no service here"; 4.3.2 lists 554 as the refusal
        Reply greeting = read(timeouts.greeting(), "greeting");
        if (greeting.code() != ReplyCode.C220_READY) throw SessionFailure.of(relay, "greeting", greeting);
        hello();
        TlsPolicy policy = options.tls();
        if (!tls && policy != TlsPolicy.NONE) { // RFC 8314 3.3: no STARTTLS inside implicit TLS
            if (capabilities.has("STARTTLS")) {
                Reply r = command("STARTTLS", timeouts.mail());
                if (r.code() == ReplyCode.C220_READY) {
                    startTls(options);
                    hello(); // RFC 3207 4.2: forget what was learnt before TLS
                } else if (policy != TlsPolicy.MAY) {
                    throw SessionFailure.of(relay, "STARTTLS refused", r);
                }
            } else if (policy != TlsPolicy.MAY) {
                throw new SessionFailure(relay, 0, Statuses.X_4_7_0, "TLS is required, but was not offered by " + relay);
            }
        }
        if (options.credentials() != null) authenticate(options);
    }

    /** EHLO, or HELO if EHLO is refused with 5yz (RFC 5321 3.2, 4.1.4). */
    private void hello() throws SessionFailure {
        Reply r = command("EHLO " + client.heloName(), timeouts.mail());
        if (r.isPositive()) {
            capabilities = Capabilities.parse(r);
            return;
        }
        if (!r.isPermanent()) throw SessionFailure.of(relay, "EHLO", r);
        Reply h = command("HELO " + client.heloName(), timeouts.mail());
        if (!h.isPositive()) throw SessionFailure.of(relay, "HELO", h);
        capabilities = Capabilities.NONE;
    }

    private void startTls(ConnectOptions options) throws SessionFailure {
        SslHandler ssl;
        try {
            int port = ((java.net.InetSocketAddress) channel.remoteAddress()).getPort();
            ssl = client.sslHandler(client.sslContext(options.tls(), options.trustManager()), channel, hostName, port,
                    options.tls());
        } catch (IOException e) {
            throw new SessionFailure(relay, 0, Statuses.X_4_7_0, "TLS setup: " + e.getMessage());
        }
        // RFC 3207 4.2: nothing received before the handshake may be used after it
        channel.eventLoop().submit(() -> {
            ((LineDecoder) channel.pipeline().get(LineDecoder.NAME)).discardBuffered();
            channel.pipeline().addFirst(SmtpClient.TLS_HANDLER, ssl);
        }).awaitUninterruptibly();
        awaitHandshake(ssl);
    }

    /** Waits for the TLS handshake; a failure or timeout makes the host unusable (4.7.0). */
    private void awaitHandshake(SslHandler ssl) throws SessionFailure {
        Future<Channel> hs = ssl.handshakeFuture();
        if (!hs.awaitUninterruptibly(timeouts.mail().toMillis() + 1000) || !hs.isSuccess()) {
            broken = true;
            channel.close();
            Throwable c = hs.cause();
            throw new SessionFailure(relay, 0, Statuses.X_4_7_0,
                    "TLS handshake with " + relay + " failed: " + (c == null ? "timeout" : c.getMessage()));
        }
        tls = true;
    }

    /** AUTH PLAIN (RFC 4616), else AUTH LOGIN, as offered (RFC 4954 4). */
    private void authenticate(ConnectOptions options) throws SessionFailure {
        if (!tls && !options.plaintextAuth()) {
            throw new SessionFailure(relay, 0, Statuses.X_4_7_0, "refusing to send credentials to " + relay + " without TLS");
        }
        ConnectOptions.Credentials c = options.credentials();
        List<String> mechs = capabilities.authMechanisms();
        Reply r;
        if (mechs.contains("PLAIN")) {
            String resp = b64("\0" + c.user() + "\0" + c.password());
            r = command("AUTH PLAIN " + resp, timeouts.mail(), "AUTH PLAIN ****");
        } else if (mechs.contains("LOGIN")) {
            r = command("AUTH LOGIN", timeouts.mail());
            if (r.code() == 334) r = command(b64(c.user()), timeouts.mail(), "****");
            if (r.code() == 334) r = command(b64(c.password()), timeouts.mail(), "****");
        } else {
            throw new SessionFailure(relay, 0, Statuses.X_4_7_0, relay + " offers no AUTH mechanism we support: " + mechs);
        }
        if (r.code() != 235) { // RFC 4954 6; Postfix's wording, with the code a postmaster greps for
            throw new SessionFailure(relay, r.code(), r.status(),
                    "SASL authentication failed; server " + relay + " said: " + r.summary());
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Delivers one message: MAIL, RCPT per recipient, DATA if any recipient was accepted. Checks
     * SIZE, 8BITMIME and SMTPUTF8 first and fails permanently without sending when the server cannot
     * take the message as it is (RFC 1870 6, RFC 6152 3, RFC 6531 3.4: no downgrade here).
     */
    public AttemptResult send(Transaction tx) {
        Map<String, RecipientResult> results = new LinkedHashMap<>();
        List<Path> rcpts = tx.recipients();
        long max = capabilities.maxSize();
        if (max > 0 && tx.wireSize() > max) {
            return all(tx, 552, Statuses.X_5_3_4, "message size " + tx.wireSize() + " exceeds the limit of "
                    + max + " of " + relay, RecipientResult.Status.PERMANENT, false);
        }
        if (tx.bodyType() == Transaction.BodyType.EIGHT_BIT_MIME && !capabilities.has("8BITMIME")) {
            return all(tx, 554, Statuses.X_5_6_3, "conversion required but not supported: " + relay
                    + " does not offer 8BITMIME", RecipientResult.Status.PERMANENT, false);
        }
        if (tx.smtpUtf8() && !capabilities.has("SMTPUTF8")) {
            return all(tx, 553, Statuses.X_5_6_7, relay + " does not offer SMTPUTF8",
                    RecipientResult.Status.PERMANENT, false);
        }
        try {
            List<Path> pending = rcpts;
            while (!pending.isEmpty()) {
                List<Path> later = transaction(tx, pending, results);
                if (later.size() >= pending.size()) break;
                pending = later;
            }
        } catch (SessionFailure f) {
            broken = true;
            channel.close();
            RecipientResult.Status st = RecipientResult.Status.TEMPORARY;
            EnhancedStatus es = f.status() != null && f.status().statusClass() == 4 ? f.status() : Statuses.X_4_4_2;
            int code = f.code() / 100 == 4 ? f.code() : 451;
            for (Path p : rcpts) {
                results.putIfAbsent(p.address(), new RecipientResult(p.address(), code, es, f.getMessage(), st, relay));
            }
            return new AttemptResult(relay, order(tx, results), true);
        }
        return new AttemptResult(relay, order(tx, results), false);
    }

    /**
     * One MAIL ... DATA round. Recipients answered 452 while others were accepted come back to be
     * sent in a further transaction (RFC 5321 4.5.3.1.10); everything else gets its result.
     */
    private List<Path> transaction(Transaction tx, List<Path> rcpts, Map<String, RecipientResult> results)
            throws SessionFailure {
        StringBuilder mail = new StringBuilder("MAIL FROM:").append(tx.reversePath());
        if (capabilities.has("SIZE")) mail.append(" SIZE=").append(tx.wireSize()); // RFC 1870 3
        if (tx.bodyType() == Transaction.BodyType.EIGHT_BIT_MIME) mail.append(" BODY=8BITMIME"); // RFC 6152 2
        if (tx.smtpUtf8()) mail.append(" SMTPUTF8"); // RFC 6531 3.4
        boolean pipelining = capabilities.has("PIPELINING");
        Reply mailReply;
        List<Reply> rcptReplies = new ArrayList<>();
        Reply dataReply = null;
        if (pipelining) {
            // RFC 2920 3.1: MAIL, every RCPT and DATA in one group; replies come back in order
            StringBuilder group = new StringBuilder(mail).append("\r\n");
            for (Path p : rcpts) group.append("RCPT TO:").append(p).append("\r\n");
            group.append("DATA\r\n");
            write(group.toString());
            mailReply = read(timeouts.mail(), "MAIL");
            for (int i = 0; i < rcpts.size(); i++) rcptReplies.add(read(timeouts.rcpt(), "RCPT"));
            dataReply = read(timeouts.dataInit(), "DATA");
        } else {
            mailReply = command(mail.toString(), timeouts.mail());
            if (mailReply.isPositive()) {
                for (Path p : rcpts) rcptReplies.add(command("RCPT TO:" + p, timeouts.rcpt()));
            }
        }
        if (!mailReply.isPositive()) {
            for (Path p : rcpts) results.put(p.address(), result(p, mailReply));
            abandon(dataReply);
            return List.of();
        }
        List<Path> accepted = new ArrayList<>();
        List<Path> tooMany = new ArrayList<>();
        for (int i = 0; i < rcpts.size(); i++) {
            Reply r = rcptReplies.get(i);
            Path p = rcpts.get(i);
            if (r.isPositive()) accepted.add(p);
            else if (r.code() == ReplyCode.C452_INSUFFICIENT_STORAGE) tooMany.add(p);
            else results.put(p.address(), result(p, r));
        }
        if (accepted.isEmpty()) {
            for (Path p : tooMany) results.put(p.address(), result(p, rcptReplies.get(rcpts.indexOf(p))));
            abandon(dataReply);
            return List.of();
        }
        if (!pipelining) dataReply = command("DATA", timeouts.dataInit());
        if (dataReply.code() != ReplyCode.C354_START_DATA) {
            for (Path p : accepted) results.put(p.address(), result(p, dataReply));
            for (Path p : tooMany) results.put(p.address(), result(p, rcptReplies.get(rcpts.indexOf(p))));
            rset();
            return List.of();
        }
        body(tx);
        Reply done = read(timeouts.dataTermination(), "end of data");
        for (Path p : accepted) results.put(p.address(), result(p, done));
        log.debug("{}: {} for {} recipient(s)", relay, done.summary(), accepted.size());
        return tooMany;
    }

    /** Ends a transaction that will send no data (RFC 2920 3.1: "." if DATA got 354 anyway). */
    private void abandon(Reply dataReply) throws SessionFailure {
        if (dataReply != null && dataReply.code() == ReplyCode.C354_START_DATA) {
            write(".\r\n");
            read(timeouts.dataTermination(), "end of data");
        }
        rset();
    }

    private void rset() throws SessionFailure {
        command("RSET", timeouts.mail()); // RFC 5321 4.1.1.5
    }

    /**
     * Streams the content: CRLF, dot-stuffed, one chunk in flight beyond the high-water mark. A
     * chunk is written when the next one has been read, so the last one carries the final "."
     * and a message of one chunk is one write.
     */
    private void body(Transaction tx) throws SessionFailure {
        BodyEncoder enc = new BodyEncoder();
        byte[] buf = new byte[CHUNK];
        ByteBuf out = null;
        try (InputStream in = tx.content().open()) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                if (out != null) {
                    ByteBuf ready = out;
                    out = null; // the channel owns it now
                    awaitWritable(channel.writeAndFlush(ready));
                }
                out = channel.alloc().buffer(n + n / 8 + 16);
                enc.encode(buf, n, out);
            }
        } catch (IOException e) {
            if (out != null) out.release();
            // XXX the message cannot be read locally: close without "." so no partial message is delivered
            throw new SessionFailure(relay, 451, EnhancedStatus.X_4_3_0, "cannot read the message: " + e.getMessage());
        }
        if (out == null) out = channel.alloc().buffer(5);
        enc.finish(out);
        channel.writeAndFlush(out);
    }

    /** RFC 5321 4.5.3.2.5: each block must be taken by the server within the data block timeout. */
    private void awaitWritable(ChannelFuture last) throws SessionFailure {
        long deadline = System.nanoTime() + timeouts.dataBlock().toNanos();
        Object monitor = reader.writabilityMonitor();
        synchronized (monitor) {
            while (channel.isActive() && !channel.isWritable()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new SessionFailure(relay, 0, Statuses.X_4_4_2, "timeout sending data to " + relay);
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SessionFailure(relay, 0, Statuses.X_4_4_2, "interrupted");
                }
            }
        }
        if (!channel.isActive() || (last.isDone() && !last.isSuccess())) {
            throw new SessionFailure(relay, 0, Statuses.X_4_4_2, "lost connection with " + relay + " while sending data");
        }
    }

    /** QUIT (RFC 5321 4.1.1.10) and close; errors are irrelevant by now. */
    public void quit() {
        if (isUsable()) {
            try {
                command("QUIT", timeouts.mail());
            } catch (SessionFailure e) {
                // the server went away first: nothing left to say
            }
        }
        close();
    }

    @Override
    public void close() {
        broken = true;
        channel.close().awaitUninterruptibly(1000);
    }

    private Reply command(String line, Duration timeout) throws SessionFailure {
        return command(line, timeout, line);
    }

    private Reply command(String line, Duration timeout, String logAs) throws SessionFailure {
        write(line + "\r\n");
        return read(timeout, logAs);
    }

    private void write(String s) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The next reply; a 421 (RFC 5321 3.8) or a broken connection ends the session. */
    private Reply read(Duration timeout, String what) throws SessionFailure {
        Object o;
        try {
            o = reader.queue().poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            o = new ReplyReader.Broken("interrupted");
        }
        if (o == null) {
            broken = true;
            channel.close();
            throw new SessionFailure(relay, 0, Statuses.X_4_4_2,
                    "timeout after " + timeout.toSeconds() + "s waiting for the reply to " + what + " from " + relay);
        }
        if (o instanceof ReplyReader.Broken b) {
            broken = true;
            channel.close();
            throw new SessionFailure(relay, 0, Statuses.X_4_4_2,
                    "lost connection with " + relay + " while waiting for the reply to " + what + " (" + b.reason() + ")");
        }
        Reply r = (Reply) o;
        if (r.code() == ReplyCode.C421_SERVICE_NOT_AVAILABLE) {
            broken = true;
            channel.close();
            throw SessionFailure.of(relay, what, r);
        }
        return r;
    }

    private RecipientResult result(Path p, Reply r) {
        RecipientResult.Status s = r.isPositive() ? RecipientResult.Status.SUCCESS
                : r.isPermanent() ? RecipientResult.Status.PERMANENT : RecipientResult.Status.TEMPORARY;
        int cls = r.code() / 100;
        EnhancedStatus es = r.status() != null ? r.status()
                : cls == 2 ? EnhancedStatus.X_2_0_0 : cls == 5 ? EnhancedStatus.X_5_0_0 : EnhancedStatus.X_4_0_0;
        if (cls == 3) { // 354 where a final answer belongs: a protocol error
            s = RecipientResult.Status.TEMPORARY;
            es = Statuses.X_4_5_0;
        }
        return new RecipientResult(p.address(), r.code(), es, String.join(" ", r.lines()), s, relay);
    }

    private AttemptResult all(Transaction tx, int code, EnhancedStatus es, String text, RecipientResult.Status s,
            boolean lost) {
        List<RecipientResult> out = new ArrayList<>();
        for (Path p : tx.recipients()) out.add(new RecipientResult(p.address(), code, es, text, s, relay));
        return new AttemptResult(relay, out, lost);
    }

    private static List<RecipientResult> order(Transaction tx, Map<String, RecipientResult> results) {
        List<RecipientResult> out = new ArrayList<>();
        for (Path p : tx.recipients()) out.add(results.get(p.address()));
        return out;
    }
}
