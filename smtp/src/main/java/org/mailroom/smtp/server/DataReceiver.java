package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.EnhancedStatus.X_2_0_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_3_4;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_1;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_6_0;
import static org.mailroom.smtp.wire.ReplyCode.C250_OK;
import static org.mailroom.smtp.wire.ReplyCode.C354_START_DATA;
import static org.mailroom.smtp.wire.ReplyCode.C503_BAD_SEQUENCE;
import static org.mailroom.smtp.wire.ReplyCode.C552_EXCEEDED_STORAGE;
import static org.mailroom.smtp.wire.ReplyCode.C554_TRANSACTION_FAILED;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.frame.DataChunk;
import org.mailroom.core.frame.DataEnd;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.MessageContent;
import org.mailroom.smtp.wire.SmtpCommand;
import org.mailroom.smtp.wire.Path;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpReplyException;
import org.mailroom.core.metrics.Counter;
import org.mailroom.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DATA (RFC 5321 4.1.1.4): the 354, the content as the frame decoder delivers it (dot-unstuffed,
 * LF line ends), and the end of data, where the message is either refused or handed to the sink.
 * The 250 is sent only after {@link MessageSink#accept} returned OK, i.e. once the message is
 * durable (RFC 5321 4.1.1.4, DESIGN.md 2). The content buffer is discarded on every path.
 */
final class DataReceiver {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.smtp");

    private final SmtpSettings settings;
    private final MessageSink sink;
    private final BlockingExecutor executor;
    private final Counter accepted;
    private final Counter rejected;

    DataReceiver(SmtpSettings settings, MessageSink sink, BlockingExecutor executor, Metrics metrics) {
        this.settings = settings;
        this.sink = sink;
        this.executor = executor;
        String help = "SMTP transactions that reached DATA or BDAT, by listener and result (the result= of the log line).";
        this.accepted = metrics.counter(TRANSACTIONS, help, "listener", settings.listenerName(), "result", "accepted");
        this.rejected = metrics.counter(TRANSACTIONS, help, "listener", settings.listenerName(), "result", "rejected");
    }

    /** The metric counted beside {@link #logEnd}'s line. */
    static final String TRANSACTIONS = "mailroom_smtp_transactions_total";

    Reply start(SmtpSession s) {
        Transaction tx = s.transaction();
        if (tx.chunking) {
            // RFC 3030 2: DATA and BDAT may not be mixed in one transaction
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: DATA after BDAT");
        }
        if (tx.options.body() == Envelope.Body.BINARY_MIME) {
            // RFC 3030 3: BODY=BINARYMIME content can only be sent with BDAT
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: BODY=BINARYMIME needs BDAT");
        }
        requireRecipients(s, tx);
        tx.content = new ContentBuffer(settings.spoolDir(), settings.spillThreshold());
        s.dataStarted();
        s.lineDecoder().startDotData(settings.maxMessageSize());
        return new Reply(C354_START_DATA, null, "End data with <CR><LF>.<CR><LF>");
    }

    /** DATA and BDAT: 503 without any RCPT, 554 when all were refused (RFC 2920 3.1, RFC 3030 2). */
    private void requireRecipients(SmtpSession s, Transaction tx) {
        if (tx.recipients.isEmpty()) {
            if (tx.rejectedRecipients == 0) {
                throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: need RCPT command");
            }
            // RFC 2920 3.1: with pipelining, DATA after only failed RCPTs gets 554 (or 503)
            Reply r = new Reply(C554_TRANSACTION_FAILED, X_5_5_1, "Error: no valid recipients");
            logEnd(s, tx, -1, r);
            throw new SmtpReplyException(r);
        }
    }

    /**
     * BDAT (RFC 3030 2). The frame decoder already reads the chunk's octets (see
     * {@code SmtpCommandParser.chunkOctets}); they come to {@link #chunk} and end with
     * {@link #chunkEnd}. Returns the reply at once for an empty chunk, else null: the reply follows
     * the octets.
     */
    CompletionStage<Reply> bdat(SmtpSession s, SmtpCommand.Bdat cmd) {
        Transaction tx = s.transaction();
        requireRecipients(s, tx);
        if (!tx.chunking) {
            tx.chunking = true;
            tx.content = new ContentBuffer(settings.spoolDir(), settings.spillThreshold());
        }
        tx.chunkSize = cmd.size();
        tx.lastChunk = cmd.last();
        s.dataStarted();
        return cmd.size() == 0 ? chunkEnd(s, new DataEnd(0, false, false, false)) : null;
    }

    /** Appends one piece of content; spills to disk, with input paused, when memory is used up. */
    void chunk(SmtpSession s, DataChunk chunk) {
        Transaction tx = s.transaction();
        ContentBuffer buf = tx.content;
        try {
            if (buf == null || tx.spillError != null) return;
            if (tx.chunking) appendChunk(tx, buf, chunk.content());
            else buf.append(chunk.content());
        } finally {
            chunk.content().release();
        }
        if (!buf.shouldSpill()) return;
        Channel ch = s.channel();
        executor.call(ch, s.gate(), () -> {
            buf.spill();
            return null;
        }, (Object v, Throwable err) -> {
            if (err != null) {
                tx.spillError = err;
                log.warn("{}: cannot spool message content: {}", tx.id, err.toString());
            }
            if (!ch.isActive()) discardLater(buf); // the client left while we were writing
        });
    }

    /**
     * BDAT content is raw (RFC 3030 2): CR LF becomes LF, the form the store keeps, also when the
     * pair is split between chunks. A bare CR or LF is kept, flagged, and the message refused at the
     * end with 554 5.6.0, exactly as DATA does (RFC 5321 2.3.8; SMTP smuggling). XXX deliberate:
     * that holds for BODY=BINARYMIME too, so binary content with lone CR or LF octets is refused
     * rather than altered, because the LF-based store could not give it back unchanged.
     * Octets beyond {@code smtp.maxMessageSize} are dropped; the end refuses the message.
     */
    private void appendChunk(Transaction tx, ContentBuffer buf, ByteBuf in) {
        int n = in.readableBytes();
        tx.chunkOctets += n;
        ByteBuf out = in.alloc().buffer(n + 1);
        try {
            for (int i = in.readerIndex(), e = in.writerIndex(); i < e; i++) {
                byte b = in.getByte(i);
                if (tx.crPending) {
                    tx.crPending = false;
                    if (b == '\n') {
                        out.writeByte('\n');
                        continue;
                    }
                    tx.bareCr = true;
                    out.writeByte('\r');
                }
                if (b == '\r') {
                    tx.crPending = true;
                } else {
                    if (b == '\n') tx.bareLf = true;
                    out.writeByte(b);
                }
            }
            if (buf.size() + out.readableBytes() <= settings.maxMessageSize()) buf.append(out);
        } finally {
            out.release();
        }
    }

    /**
     * The end of one BDAT chunk (RFC 3030 2): 250 with the octet count, or, after LAST, the reply
     * to the whole message, as for DATA. A refused chunk (size, spool error) ends the transaction:
     * later chunks then get 503 and their octets are dropped.
     */
    CompletionStage<Reply> chunkEnd(SmtpSession s, DataEnd end) {
        Transaction tx = s.transaction();
        boolean tooBig = tx.chunkOctets > settings.maxMessageSize();
        if (tx.lastChunk || tooBig || tx.spillError != null) {
            if (tx.crPending) tx.bareCr = true; // a CR that ends the message is bare
            return finish(s, tx, new DataEnd(tx.chunkOctets, tx.bareCr, tx.bareLf, tooBig));
        }
        s.chunkDone();
        return CompletableFuture.completedFuture(
                new Reply(C250_OK, X_2_0_0, tx.chunkSize + " octets received"));
    }

    /** RFC 5321 4.1.1.4: the reply to the end of data. Completes on the event loop. */
    CompletionStage<Reply> end(SmtpSession s, DataEnd end) {
        return finish(s, s.transaction(), end);
    }

    /** The end of a message, by DATA or by BDAT LAST: refused, or handed to the sink. */
    private CompletionStage<Reply> finish(SmtpSession s, Transaction tx, DataEnd end) {
        ContentBuffer buf = tx.content;
        tx.content = null;
        Reply refusal = refusal(tx, end);
        Envelope env = refusal != null ? null : new Envelope(tx.id, tx.from.address(),
                tx.recipients.stream().map(Path::address).toList(), s.info(), Instant.now(),
                tx.options, tx.rcptOptions);
        CompletableFuture<Reply> done = new CompletableFuture<>();
        executor.call(s.channel(), s.gate(), () -> {
            try {
                if (env == null) return null;
                // RFC 6409 8.2, 8.3: a submission server completes Message-ID and Date
                MessageContent content = settings.authRequired()
                        ? SubmissionHeaders.complete(buf, settings.hostname(), tx.id, env.received()) : buf;
                return sink.accept(env, content);
            } finally {
                buf.discard();
            }
        }, (Outcome outcome, Throwable err) -> {
            // XXX a refused task never ran: discarded here, on the event loop (rare overload case)
            if (err instanceof RejectedExecutionException) buf.discard();
            Reply reply;
            if (refusal != null) {
                reply = refusal;
            } else if (err != null) {
                log.warn("{}: message not accepted: {}", tx.id, err.toString());
                reply = Replies.LOCAL_ERROR;
            } else if (outcome != null && outcome.isOk()) {
                reply = new Reply(C250_OK, X_2_0_0, "Ok: queued as " + tx.id);
            } else {
                reply = outcome == null ? Replies.LOCAL_ERROR : Replies.of(outcome);
            }
            logEnd(s, tx, end.wireSize(), reply);
            s.endTransaction();
            done.complete(reply);
        });
        return done;
    }

    private static Reply refusal(Transaction tx, DataEnd end) {
        if (end.tooBig()) {
            // RFC 5321 4.5.3.1.10 / RFC 1870 6.2
            return new Reply(C552_EXCEEDED_STORAGE, X_5_3_4, "Error: message size exceeds fixed maximum message size");
        }
        if (end.bareCr() || end.bareLf()) {
            // RFC 5321 2.3.8. XXX deliberate: never normalised, never accepted (SMTP smuggling)
            return new Reply(C554_TRANSACTION_FAILED, X_5_6_0, "Error: message contains bare CR or LF");
        }
        return tx.spillError != null ? Replies.LOCAL_ERROR : null;
    }

    /** The client disconnected with content buffered and nothing of ours pending on it. */
    void abandon(Transaction tx) {
        ContentBuffer buf = tx.content;
        tx.content = null;
        if (buf != null) discardLater(buf);
    }

    private void discardLater(ContentBuffer buf) {
        executor.submit(() -> {
            buf.discard();
            return null;
        });
    }

    /** One line per finished transaction that a postmaster can grep for the queue id. */
    private void logEnd(SmtpSession s, Transaction tx, long size, Reply reply) {
        (reply.isPositive() ? accepted : rejected).inc();
        log.info("{}: client={}, helo=<{}>, from={}, to={}, size={}, result={}", tx.id, s.client(), s.helo(),
                tx.from, tx.recipientList(), size < 0 ? "-" : Long.toString(size), reply.summary());
    }

}
