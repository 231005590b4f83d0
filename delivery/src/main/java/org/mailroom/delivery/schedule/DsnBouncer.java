package org.mailroom.delivery.schedule;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.QueueIds;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.dsn.DsnBuilder;
import org.mailroom.delivery.dsn.DsnRequest;
import org.mailroom.delivery.dsn.RecipientStatus;
import org.mailroom.delivery.queue.EnqueueOptions;
import org.mailroom.delivery.queue.MailLoopException;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueStore;
import org.mailroom.delivery.queue.QueueWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports as RFC 3464 DSNs, queued like any other message from the null sender {@code <>} (RFC
 * 5321 4.5.5), so that a report that cannot be delivered is never reported on in turn.
 */
public final class DsnBouncer implements Bouncer {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.queue");
    /** The first RFC 3463 code in a result: "550 5.1.1 ..." or "4.4.7 message expired ...". */
    private static final Pattern STATUS = Pattern.compile("(?:^|\\s)([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");
    private static final Pattern RELAY = Pattern.compile("relay=([^\\s,;]+)|\\b([A-Za-z0-9.-]+)\\[[0-9a-fA-F:.]+\\]");

    private final DsnBuilder builder;
    private final QueueWriter writer;
    private final QueueStore store;
    private final Consumer<String> wake;
    private final QueueIds ids = new QueueIds();
    private final long maxReturnedSize;
    private final Duration maxLifetime;
    private final Clock clock;

    /**
     * @param wake            called with the report's queue id after it was queued (the queue manager's {@code wake})
     * @param maxReturnedSize originals above this come back as their header section only
     */
    public DsnBouncer(DsnBuilder builder, QueueWriter writer, QueueStore store, Consumer<String> wake,
                      long maxReturnedSize, Duration maxLifetime, Clock clock) {
        this.builder = builder;
        this.writer = writer;
        this.store = store;
        this.wake = wake;
        this.maxReturnedSize = maxReturnedSize;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    @Override
    public void report(QueueEntry e, Kind kind, List<QueueEntry.Recipient> recipients) throws IOException {
        if (e.nullSender() || recipients.isEmpty()) return; // RFC 3461 6.2: never report on a report
        List<RecipientStatus> statuses = new ArrayList<>();
        for (QueueEntry.Recipient r : recipients) statuses.add(status(e, kind, r));
        DsnRequest req = new DsnRequest(switch (kind) {
            case FAILURE -> DsnRequest.Kind.FAILURE;
            case DELAY -> DsnRequest.Kind.DELAY;
            case SUCCESS -> DsnRequest.Kind.SUCCESS;
        }, e.envid(), e.reversePath(), e.arrival(), statuses,
                e.ret() == QueueEntry.Ret.HDRS ? DsnRequest.Ret.HDRS : DsnRequest.Ret.FULL,
                new QueuedContent(store, e.id()), maxReturnedSize);
        MessageContent dsn = builder.content(req);
        String id = ids.next();
        Envelope env = new Envelope(id, "", List.of(e.reversePath()),
                new SessionInfo("bounce", null, null, "local", null, null), clock.instant());
        try {
            writer.enqueue(env, dsn, EnqueueOptions.NONE);
        } catch (MailLoopException impossible) {
            throw new IOException("a DSN counted as a mail loop", impossible);
        }
        log.info("{}: sender {} notification: {}", e.id(), kind.name().toLowerCase(java.util.Locale.ROOT), id);
        wake.accept(id);
    }

    private RecipientStatus status(QueueEntry e, Kind kind, QueueEntry.Recipient r) {
        String result = r.lastResult() == null ? "" : r.lastResult();
        Matcher m = STATUS.matcher(result);
        // a failure may carry a 4.x.x code: 4.4.7 "delivery time expired" is reported as it is (RFC 3463 3.5)
        String status = m.find() ? m.group(1)
                : kind == Kind.FAILURE ? "5.0.0" : kind == Kind.DELAY ? "4.0.0" : "2.0.0";
        RecipientStatus.Action action = switch (kind) {
            case FAILURE -> RecipientStatus.Action.FAILED;
            case DELAY -> RecipientStatus.Action.DELAYED;
            // RFC 3461 5.2.2: delivered here, or relayed to a server we did not ask for a DSN
            case SUCCESS -> result.contains("delivered to maildir") || result.startsWith("250 2.0.0 delivered to ")
                    ? RecipientStatus.Action.DELIVERED
                    : RecipientStatus.Action.RELAYED;
        };
        Matcher relay = RELAY.matcher(result);
        String remoteMta = relay.find() ? (relay.group(1) != null ? relay.group(1) : relay.group(2)) : null;
        if (remoteMta != null && (remoteMta.equals("local") || remoteMta.startsWith("["))) remoteMta = null;
        Instant last = r.lastAttempt() == null ? clock.instant() : r.lastAttempt();
        // a ~/.forward command or file (~user:|cmd) is no address: report the one the sender used, as local(8) does
        String finalRecipient = r.address();
        if (org.mailroom.delivery.route.Route.UserTarget.parseQueueAddress(finalRecipient) != null && r.orcpt() != null
                && r.orcpt().indexOf(';') > 0) {
            finalRecipient = r.orcpt().substring(r.orcpt().indexOf(';') + 1);
        }
        return new RecipientStatus(finalRecipient, r.orcpt(), action, status, remoteMta,
                result.isEmpty() ? null : result, last,
                kind == Kind.DELAY ? e.arrival().plus(maxLifetime) : null);
    }
}
