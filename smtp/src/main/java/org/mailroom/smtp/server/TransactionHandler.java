package org.mailroom.smtp.server;

import org.mailroom.core.spi.QueueIds;

import static org.mailroom.smtp.wire.EnhancedStatus.X_2_0_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_2_1_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_2_1_5;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_3_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_5_3;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_3_4;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_4;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_6_7;
import static org.mailroom.smtp.wire.ReplyCode.C250_OK;
import static org.mailroom.smtp.wire.ReplyCode.C452_INSUFFICIENT_STORAGE;
import static org.mailroom.smtp.wire.ReplyCode.C501_SYNTAX_ERROR_PARAMS;
import static org.mailroom.smtp.wire.ReplyCode.C552_EXCEEDED_STORAGE;
import static org.mailroom.smtp.wire.ReplyCode.C553_MAILBOX_NAME_NOT_ALLOWED;
import static org.mailroom.smtp.wire.ReplyCode.C555_PARAMS_NOT_RECOGNIZED;

import io.netty.channel.Channel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.smtp.wire.DsnSyntax;
import org.mailroom.smtp.wire.MailParams;
import org.mailroom.smtp.wire.Path;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpCommand;
import org.mailroom.smtp.wire.SmtpReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAIL, RCPT and RSET (RFC 5321 4.1.1.2, 4.1.1.3, 4.1.1.5): the envelope of a transaction.
 * Relaying and recipient existence are the sink's decisions (asked on the blocking executor, in
 * command order); the cheap rules in {@link #checks} run first, on the event loop.
 */
final class TransactionHandler {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.smtp");

    private static final Reply MAIL_OK = new Reply(C250_OK, X_2_1_0, "Ok");
    private static final Reply RCPT_OK = new Reply(C250_OK, X_2_1_5, "Ok");
    private static final Reply RSET_OK = new Reply(C250_OK, X_2_0_0, "Ok");

    private final SmtpSettings settings;
    private final MessageSink sink;
    private final BlockingExecutor executor;
    private final QueueIds queueIds;
    private final List<RcptCheck> checks;

    TransactionHandler(SmtpSettings settings, MessageSink sink, BlockingExecutor executor, QueueIds queueIds) {
        this.settings = settings;
        this.sink = sink;
        this.executor = executor;
        this.queueIds = queueIds;
        this.checks = List.of(this::requireAscii, this::recipientLimit);
    }

    CompletionStage<Reply> mail(SmtpSession s, SmtpCommand.Mail cmd) {
        if (s.messages() >= settings.maxMessagesPerSession()) {
            // smtp.maxMessagesPerSession; 452 so that the client sends the rest in a new session
            throw new SmtpReplyException(C452_INSUFFICIENT_STORAGE, X_4_3_0, "Error: too many messages in this session");
        }
        Envelope.MailOptions opts = mailOptions(cmd.params());
        // RFC 6531 3.5: a non-ASCII reverse path only in a transaction that gave SMTPUTF8
        if (cmd.from().nonAscii() && !opts.smtputf8()) throw nonAscii();
        Transaction tx = new Transaction(queueIds.next(), cmd.from(), opts);
        if (s.authUser() == null) {
            s.begin(tx);
            return CompletableFuture.completedFuture(MAIL_OK);
        }
        // issue "Submission" 5: an authenticated user sends only as their own addresses (the sink knows them)
        SessionInfo info = s.info();
        CompletableFuture<Reply> done = new CompletableFuture<>();
        executor.call(s.channel(), s.gate(), () -> sink.checkSender(info, cmd.from().address()),
                (Outcome outcome, Throwable err) -> {
                    if (err != null) {
                        log.warn("{}: sender check for {} failed: {}", tx.id, cmd.from(), err.toString());
                        done.complete(Replies.LOCAL_ERROR);
                    } else if (outcome.isOk()) {
                        s.begin(tx);
                        done.complete(MAIL_OK);
                    } else {
                        log.info("{}: reject: MAIL from {}: {}; from={} login=<{}>", tx.id, s.client(),
                                outcome.code() + " " + outcome.enhancedStatus() + " " + outcome.text(), cmd.from(), s.authUser());
                        done.complete(Replies.of(outcome));
                    }
                });
        return done;
    }

    /**
     * The MAIL parameters offered in the EHLO reply: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030 3),
     * RET and ENVID (RFC 3461 4.3, 4.4), SMTPUTF8 (RFC 6531 3.4). Duplicates were refused by the
     * parser (501).
     */
    private Envelope.MailOptions mailOptions(MailParams params) {
        String envid = null;
        Envelope.Ret ret = null;
        Envelope.Body body = Envelope.Body.SEVEN_BIT;
        boolean utf8 = false;
        for (String k : params.keywords()) {
            String v = params.get(k);
            switch (k) {
                case "SIZE" -> {
                    // RFC 1870 6.1: size-value = 1*20DIGIT
                    if (v == null || v.length() > 20 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw new SmtpReplyException(C501_SYNTAX_ERROR_PARAMS, X_5_5_4, "Error: bad SIZE parameter");
                    }
                    // RFC 1870 6.1: 552 when the declared size exceeds the fixed maximum
                    if (v.length() > 18 || Long.parseLong(v) > settings.maxMessageSize()) {
                        throw new SmtpReplyException(C552_EXCEEDED_STORAGE, X_5_3_4,
                                "Message size exceeds fixed maximum message size");
                    }
                }
                case "BODY" -> body = switch (DsnSyntax.body(v)) {
                    case "8BITMIME" -> Envelope.Body.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> Envelope.Body.BINARY_MIME;
                    default -> Envelope.Body.SEVEN_BIT;
                };
                case "RET" -> ret = Envelope.Ret.valueOf(DsnSyntax.ret(v));
                case "ENVID" -> envid = DsnSyntax.envid(v);
                case "SMTPUTF8" -> {
                    DsnSyntax.smtputf8(v);
                    utf8 = true;
                }
                default -> throw unknownParameter(k);
            }
        }
        return new Envelope.MailOptions(envid, ret, body, utf8);
    }

    /** RFC 3461 4.1, 4.2: NOTIFY and ORCPT are the RCPT parameters offered. */
    private static Envelope.RcptOptions rcptOptions(MailParams params) {
        String orcpt = null;
        Set<Envelope.Notify> notify = EnumSet.noneOf(Envelope.Notify.class);
        for (String k : params.keywords()) {
            String v = params.get(k);
            switch (k) {
                case "NOTIFY" -> DsnSyntax.notify(v).forEach(n -> notify.add(Envelope.Notify.valueOf(n)));
                case "ORCPT" -> orcpt = DsnSyntax.orcpt(v);
                default -> throw unknownParameter(k);
            }
        }
        return new Envelope.RcptOptions(orcpt, notify);
    }

    CompletionStage<Reply> rcpt(SmtpSession s, SmtpCommand.Rcpt cmd) {
        Transaction tx = s.transaction();
        Path to = cmd.to();
        Envelope.RcptOptions options = rcptOptions(cmd.params());
        for (RcptCheck c : checks) {
            Optional<Reply> no = c.check(tx, to);
            if (no.isPresent()) return CompletableFuture.completedFuture(rejected(s, tx, to, no.get()));
        }
        SessionInfo info = s.info();
        CompletableFuture<Reply> done = new CompletableFuture<>();
        Channel ch = s.channel();
        executor.call(ch, s.gate(), () -> sink.checkRecipient(info, tx.from.address(), to.address()),
                (Outcome outcome, Throwable err) -> {
                    if (err != null) {
                        log.warn("{}: recipient check for {} failed: {}", tx.id, to, err.toString());
                        done.complete(rejected(s, tx, to, Replies.LOCAL_ERROR));
                    } else if (outcome.isOk()) {
                        tx.recipients.add(to);
                        tx.rcptOptions.add(options);
                        s.recipientAccepted(tx);
                        done.complete(RCPT_OK);
                    } else {
                        done.complete(rejected(s, tx, to, Replies.of(outcome)));
                    }
                });
        return done;
    }

    Reply rset(SmtpSession s) {
        s.endTransaction();
        return RSET_OK;
    }

    private Reply rejected(SmtpSession s, Transaction tx, Path to, Reply reply) {
        tx.rejectedRecipients++;
        // Postfix style, one line per rejected recipient
        log.info("{}: reject: RCPT from {}: {}; from={} to={} helo=<{}>",
                tx.id, s.client(), reply.summary(), tx.from, to, s.helo());
        return reply;
    }

    /** RFC 6531 3.5: without SMTPUTF8 on MAIL a non-ASCII address gets 553 5.6.7. */
    private Optional<Reply> requireAscii(Transaction tx, Path to) {
        return to.nonAscii() && !tx.options.smtputf8() ? Optional.of(nonAscii().reply()) : Optional.empty();
    }

    /** RFC 5321 4.5.3.1.10: 452 for recipients over the limit; the client sends them later. */
    private Optional<Reply> recipientLimit(Transaction tx, Path to) {
        if (tx.recipients.size() < settings.maxRecipients()) return Optional.empty();
        return Optional.of(new Reply(C452_INSUFFICIENT_STORAGE, X_4_5_3, "Error: too many recipients"));
    }

    private static SmtpReplyException nonAscii() {
        return new SmtpReplyException(C553_MAILBOX_NAME_NOT_ALLOWED, X_5_6_7,
                "Error: non-ASCII address needs the SMTPUTF8 parameter on MAIL");
    }

    /** RFC 5321 4.1.1.11 / RFC 1869: 555 for a parameter that is not recognised. */
    private static SmtpReplyException unknownParameter(String keyword) {
        return new SmtpReplyException(C555_PARAMS_NOT_RECOGNIZED, X_5_5_4, "Error: unsupported parameter " + keyword);
    }
}
