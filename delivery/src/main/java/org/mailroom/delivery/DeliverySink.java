package org.mailroom.delivery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.delivery.route.Route;
import org.mailroom.delivery.route.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink behind the SMTP listeners. Recipients in local domains must be existing accounts
 * (550 5.1.1 otherwise); recipients elsewhere are refused (550 5.7.1: this server never relays
 * for unauthenticated clients). At the end of DATA the message goes straight into every
 * recipient's INBOX, as LMTP would, with no queue hop: written and fdatasynced into each
 * {@code tmp/}, renamed, directory synced, and only then 250 (DESIGN.md section 2).
 *
 * <p>Log lines, one per recipient, Postfix style:
 * {@code 4XJ2K9ABCD: to=<alice@example.org>, relay=local, delay=0.004, dsn=2.0.0, status=sent (delivered to maildir)}.
 */
public final class DeliverySink implements MessageSink {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.delivery");

    private final String hostname;
    private final Router router;
    private final MailStore store;
    private final ZoneId zone;

    public DeliverySink(String hostname, Router router, MailStore store) {
        this(hostname, router, store, ZoneId.systemDefault());
    }

    public DeliverySink(String hostname, Router router, MailStore store, ZoneId zone) {
        this.hostname = hostname;
        this.router = router;
        this.store = store;
        this.zone = zone;
    }

    @Override
    public Outcome checkRecipient(SessionInfo session, String reversePath, String recipient) {
        Route r;
        try {
            r = router.route(recipient);
        } catch (IOException e) {
            log.warn("recipient check for <{}> failed: {}", recipient, e.toString());
            return new Outcome(451, "4.3.0", "<" + recipient + ">: Temporary lookup failure");
        }
        if (r instanceof Route.Local) return Outcome.ok("2.1.5", "Ok");
        if (r instanceof Route.UnknownLocal) {
            return new Outcome(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");
        }
        // TODO(#4, #5): authenticated clients and relay.networks relay through the queue
        return new Outcome(550, "5.7.1", "<" + recipient + ">: Relay access denied");
    }

    @Override
    public Outcome accept(Envelope env, MessageContent content) {
        List<String> accounts = new ArrayList<>();
        try {
            for (String rcpt : env.recipients()) {
                Route r = router.route(rcpt);
                if (!(r instanceof Route.Local l)) {
                    // the account vanished between RCPT and end of DATA: let the client retry,
                    // RCPT will then give the right answer; never drop a recipient silently
                    return new Outcome(451, "4.3.0", "Recipient <" + rcpt + "> changed during the transaction; try again");
                }
                accounts.add(l.account());
            }
        } catch (IOException e) {
            return new Outcome(451, "4.3.0", "Temporary lookup failure");
        }
        String trace = TraceHeaders.returnPath(env.reversePath()) + TraceHeaders.received(env, hostname, zone);
        MessageContent stored = content.prepend(TraceHeaders.bytes(trace));
        StoreDelivery d = store.newDelivery();
        try {
            for (String a : accounts) d.addRecipient(a);
            d.write(stored);
            d.commit();
        } catch (IOException | RuntimeException e) {
            d.abort();
            boolean full = String.valueOf(e.getMessage()).contains("No space left");
            for (String rcpt : env.recipients()) {
                log.warn("{}: to=<{}>, relay=local, delay={}, dsn={}, status=deferred ({})", env.id(), rcpt,
                        delay(env.received()), full ? "4.3.1" : "4.3.0", e.toString());
            }
            return full ? new Outcome(452, "4.3.1", "Insufficient system storage")
                        : new Outcome(451, "4.3.0", "Local delivery failed; try again later");
        }
        String delay = delay(env.received());
        for (int i = 0; i < env.recipients().size(); i++) {
            log.info("{}: to=<{}>, relay=local, delay={}, dsn=2.0.0, status=sent (delivered to maildir of {})",
                    env.id(), env.recipients().get(i), delay, accounts.get(i));
        }
        return Outcome.ok("2.0.0", "Ok: queued as " + env.id());
    }

    private static String delay(Instant since) {
        long ms = Math.max(0, Duration.between(since, Instant.now()).toMillis());
        long frac = ms % 1000;
        return (ms / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac; // not String.format: hot path
    }
}
