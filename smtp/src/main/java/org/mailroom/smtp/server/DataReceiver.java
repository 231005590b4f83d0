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
import org.mailroom.smtp.wire.Path;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpReplyException;
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

    DataReceiver(SmtpSettings settings, MessageSink sink, BlockingExecutor executor) {
        this.settings = settings;
        this.sink = sink;
        this.executor = executor;
    }

    Reply start(SmtpSession s) {
        Transaction tx = s.transaction();
        if (tx.recipients.isEmpty()) {
            if (tx.rejectedRecipients == 0) {
                throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: need RCPT command");
            }
            // RFC 2920 3.1: with pipelining, DATA after only failed RCPTs gets 554 (or 503)
            Reply r = new Reply(C554_TRANSACTION_FAILED, X_5_5_1, "Error: no valid recipients");
            logEnd(s, tx, -1, r);
            throw new SmtpReplyException(r);
        }
        tx.content = new ContentBuffer(settings.spoolDir(), settings.spillThreshold());
        s.dataStarted();
        s.lineDecoder().startDotData(settings.maxMessageSize());
        return new Reply(C354_START_DATA, null, "End data with <CR><LF>.<CR><LF>");
    }

    /** Appends one piece of content; spills to disk, with input paused, when memory is used up. */
    void chunk(SmtpSession s, DataChunk chunk) {
        Transaction tx = s.transaction();
        ContentBuffer buf = tx.content;
        try {
            if (buf == null || tx.spillError != null) return;
            buf.append(chunk.content());
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

    /** RFC 5321 4.1.1.4: the reply to the end of data. Completes on the event loop. */
    CompletionStage<Reply> end(SmtpSession s, DataEnd end) {
        Transaction tx = s.transaction();
        ContentBuffer buf = tx.content;
        tx.content = null;
        Reply refusal = refusal(tx, end);
        Envelope env = refusal != null ? null : new Envelope(tx.id, tx.from.address(),
                tx.recipients.stream().map(Path::address).toList(), s.info(), Instant.now());
        CompletableFuture<Reply> done = new CompletableFuture<>();
        executor.call(s.channel(), s.gate(), () -> {
            try {
                return env == null ? null : sink.accept(env, buf);
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
    private static void logEnd(SmtpSession s, Transaction tx, long size, Reply reply) {
        log.info("{}: client={}, helo=<{}>, from={}, to={}, size={}, result={}", tx.id, s.client(), s.helo(),
                tx.from, tx.recipientList(), size < 0 ? "-" : Long.toString(size), reply.summary());
    }

}
