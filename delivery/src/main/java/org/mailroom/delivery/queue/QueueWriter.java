package org.mailroom.delivery.queue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.TraceHeaders;
import org.mailroom.delivery.queue.EnqueueOptions.RcptOptions;
import org.mailroom.delivery.queue.QueueEntry.Origin;
import org.mailroom.delivery.queue.QueueEntry.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry into the queue (Postfix {@code cleanup}): the SMTP server, {@code sendmail} and
 * DSN generation all call {@link #enqueue}, which
 * <ol>
 * <li>counts the Received: header fields and refuses a looping message (RFC 5321 6.3);
 * <li>adds this server's Received: field (RFC 5321 4.4);
 * <li>builds the {@link QueueEntry} from the envelope and the MAIL/RCPT parameters;
 * <li>stores it with {@link QueueStore#enqueue}, which returns when it is durable;
 * <li>logs {@code <id>: from=<a@b>, size=N, nrcpt=K (queue incoming)} ({@code active} with a handoff);
 * <li>with a {@link Handoff} (the daemon's queue manager): the message was stored in
 *     {@code active/} and is handed over with its content in memory when it is at most
 *     {@value #HOLD_MAX} octets, so that delivery starts at once without reading the queue back.
 * </ol>
 * Only after it returns may the caller answer 250. Blocking: call it on the blocking executor.
 */
public final class QueueWriter {
    private static final Logger log = LoggerFactory.getLogger(QueueWriter.class);
    /** Postfix {@code hopcount_limit}; RFC 5321 6.3 leaves the number to the implementation. */
    public static final int DEFAULT_MAX_RECEIVED = 50;
    /** Larger messages are not held in memory for the {@link Handoff}; delivery reads the file. */
    public static final int HOLD_MAX = 256 * 1024;

    private final QueueStore store;
    private final String hostname;
    private final ZoneId zone;
    private final int maxReceived;
    private final QueueStore.State into;
    private final Handoff handoff;

    public QueueWriter(QueueStore store, String hostname) {
        this(store, hostname, ZoneId.systemDefault(), DEFAULT_MAX_RECEIVED, QueueStore.State.INCOMING);
    }

    /**
     * @param maxReceived a message with more Received: fields than this is refused
     * @param into        {@code INCOMING}, or {@code ACTIVE} when the caller passes the entry on to
     *                    the queue manager in memory (see {@link QueueStore#enqueue(QueueEntry, MessageContent, QueueStore.State)})
     */
    public QueueWriter(QueueStore store, String hostname, ZoneId zone, int maxReceived, QueueStore.State into) {
        if (maxReceived < 1) throw new IllegalArgumentException("maxReceived < 1");
        this.store = store;
        this.hostname = hostname;
        this.zone = zone;
        this.maxReceived = maxReceived;
        this.into = into;
        this.handoff = null;
    }

    /**
     * A writer that stores into {@code active/} and gives every message to {@code handoff} (the
     * queue manager) as soon as it is durable; if the handoff refuses, the message is moved to
     * {@code incoming/}.
     */
    public QueueWriter(QueueStore store, String hostname, ZoneId zone, int maxReceived, Handoff handoff) {
        if (maxReceived < 1) throw new IllegalArgumentException("maxReceived < 1");
        this.store = store;
        this.hostname = hostname;
        this.zone = zone;
        this.maxReceived = maxReceived;
        this.into = QueueStore.State.ACTIVE;
        this.handoff = java.util.Objects.requireNonNull(handoff);
    }

    /** Whether queued messages go to a {@link Handoff} (nobody needs to wake the queue manager). */
    public boolean handsOff() { return handoff != null; }

    /**
     * @return the entry as queued
     * @throws MailLoopException if the message has more than the limit of Received: fields (554 5.4.6)
     * @throws IOException       if it could not be stored; nothing is queued then (451 4.3.0)
     * @throws IllegalArgumentException if {@code opts} has per-recipient options that do not match
     *                           the envelope, or the envelope's id is not a {@link QueueId}
     */
    public QueueEntry enqueue(Envelope env, MessageContent content, EnqueueOptions opts)
            throws IOException, MailLoopException {
        List<RcptOptions> ro = opts.recipients();
        if (!ro.isEmpty() && ro.size() != env.recipients().size()) {
            throw new IllegalArgumentException(ro.size() + " recipient options for " + env.recipients().size() + " recipients");
        }
        int hops = countReceived(content);
        if (hops > maxReceived) {
            log.info("{}: reject: {} Received: header fields, limit {}; from=<{}>", env.id(), hops, maxReceived,
                    env.reversePath());
            throw new MailLoopException(hops, maxReceived);
        }
        List<Recipient> rcpts = new ArrayList<>(env.recipients().size());
        for (int i = 0; i < env.recipients().size(); i++) {
            RcptOptions o = ro.isEmpty() ? RcptOptions.NONE : ro.get(i);
            rcpts.add(new Recipient(env.recipients().get(i), o.orcpt(), o.notifyOn(),
                    o.failure() == null ? Recipient.State.PENDING : Recipient.State.FAILED, null, o.failure(), false));
        }
        QueueEntry entry = new QueueEntry(env.id(), env.reversePath(), env.received(), opts.envid(), opts.ret(),
                opts.body(), opts.smtputf8(), origin(env.session()), 0, env.received(), rcpts);
        MessageContent traced = content.prepend(TraceHeaders.bytes(TraceHeaders.received(env, hostname, zone)));
        // read once into memory: written from there, and delivered from there after the handoff
        MessageContent held = handoff != null && traced.size() <= HOLD_MAX ? HeldContent.of(traced) : null;
        store.enqueue(entry, held != null ? held : traced, into);
        log.info("{}: from=<{}>, size={}, nrcpt={} (queue {})", env.id(), env.reversePath(), traced.size(),
                rcpts.size(), into.dirName());
        if (handoff != null && !handoff.take(entry, held)) {
            // not synced, as any move out of active/: after a crash recover() does the same
            try {
                store.move(entry.id(), QueueStore.State.INCOMING);
            } catch (IOException | RuntimeException e) {
                // durable already, so no error for the caller: the next start's recover() finds it
                log.warn("{}: left in active/ until the next start: {}", entry.id(), e.toString());
            }
        }
        return entry;
    }

    private static Origin origin(SessionInfo s) {
        if (s == null) return Origin.NONE;
        String client = s.client() == null ? null
                : s.client().getAddress() != null ? s.client().getAddress().getHostAddress() : s.client().getHostString();
        return new Origin(s.listener(), client, s.helo(), s.protocol(), s.authUser());
    }

    /**
     * Received: fields in the header section only (up to the first empty line, RFC 5322 2.1); a
     * Received: line in the body, e.g. a forwarded message, is not a hop. Field names compare
     * case-insensitively, and the obsolete form with white space before the colon counts too
     * (RFC 5322 4.5).
     */
    static int countReceived(MessageContent content) throws IOException {
        final byte[] name = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd'};
        int count = 0;
        try (Octets in = new Octets(content.open())) {
            int pos = 0;          // position in the current line
            int matched = 0;      // 0..8 name octets matched, then 8 while white space follows
            boolean candidate = true;
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    if (pos == 0) break; // empty line: end of the header section
                    pos = 0;
                    matched = 0;
                    candidate = true;
                    continue;
                }
                if (b == '\r' && pos == 0) {
                    // a CRLF-form empty line also ends the header (content is LF, but be lenient)
                    int next = in.read();
                    if (next == '\n' || next == -1) break;
                    pos = 1;
                    candidate = false;
                    continue;
                }
                if (candidate) {
                    if (matched < name.length) {
                        if ((b | 0x20) == name[matched]) matched++;
                        else candidate = false;
                    } else if (b == ':') {
                        count++;
                        candidate = false;
                    } else if (b != ' ' && b != '\t') {
                        candidate = false;
                    }
                }
                pos++;
            }
        }
        return count;
    }

    /** An unsynchronized buffered reader of single octets ({@link BufferedInputStream#read} locks per call). */
    private static final class Octets implements AutoCloseable {
        private final InputStream in;
        private final byte[] buf = new byte[4096];
        private int pos, len;

        Octets(InputStream in) { this.in = in; }

        int read() throws IOException {
            if (pos == len) {
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return -1;
                }
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public void close() throws IOException { in.close(); }
    }
}
