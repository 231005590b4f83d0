package org.mailroom.delivery;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.local.LocalDelivery;
import org.mailroom.delivery.queue.EnqueueOptions;
import org.mailroom.delivery.queue.MailLoopException;
import org.mailroom.delivery.queue.QueueEntry;
import org.mailroom.delivery.queue.QueueEntry.Recipient.Notify;
import org.mailroom.delivery.queue.QueueWriter;
import org.mailroom.delivery.route.Route;
import org.mailroom.delivery.route.Router;
import org.mailroom.delivery.route.SenderBinding;
import org.mailroom.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink behind the SMTP listeners and the {@code sendmail} command.
 *
 * <p>At RCPT: a recipient in a local domain must be an account or an alias (550 5.1.1
 * otherwise); a recipient elsewhere is relayed only for sessions {@code relayAllowed} accepts
 * (authenticated, or from {@code relay.networks}), else 550 5.7.1. Relay tricks do not help: the
 * decision is taken on the domain after the last {@code @}, so {@code user%remote@local},
 * {@code remote!user@local} and {@code "user@remote"@local} are local parts of a local domain
 * (unknown ones get 550), and source routes were dropped by the parser (RFC 5321 appendix C).
 *
 * <p>At the end of DATA: mail whose recipients are all local accounts goes straight into their
 * INBOXes, as LMTP would, with no queue hop (DESIGN.md section 2); anything else (remote
 * recipients, alias targets elsewhere or refused) goes into the queue as one message, which the
 * queue manager delivers. Either way 250 is sent only when the message is durable.
 *
 * <p>Log lines, one per recipient, Postfix style:
 * {@code 4XJ2K9ABCD: to=<alice@example.org>, relay=local, delay=0.004, dsn=2.0.0, status=sent (delivered to maildir)}.
 */
public final class DeliverySink implements MessageSink {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.delivery");

    private final String hostname;
    private final Router router;
    private final LocalDelivery local;
    private final QueueWriter queue;
    private final Consumer<String> wake;
    private final Predicate<SessionInfo> relayAllowed;
    private final SenderBinding senders;
    private final ZoneId zone;
    private final Metrics metrics;

    /** Local delivery only, no relaying (tests of the local path). */
    public DeliverySink(String hostname, Router router, MailStore store, ZoneId zone) {
        this(hostname, router, new LocalDelivery(store), null, id -> { }, s -> false, null, zone);
    }

    /**
     * @param queue        where mail that is not all-local goes; null: such recipients are refused
     * @param wake         called with the queue id after a message was queued
     * @param relayAllowed whether a session may send to remote domains
     * @param senders      which senders an authenticated login may use; null: any
     */
    public DeliverySink(String hostname, Router router, LocalDelivery local, QueueWriter queue, Consumer<String> wake,
                        Predicate<SessionInfo> relayAllowed, SenderBinding senders, ZoneId zone) {
        this(hostname, router, local, queue, wake, relayAllowed, senders, zone, new Metrics());
    }

    /** As above, counting local deliveries made before the 250 in {@code metrics} ({@link DeliveryMetrics}). */
    public DeliverySink(String hostname, Router router, LocalDelivery local, QueueWriter queue, Consumer<String> wake,
                        Predicate<SessionInfo> relayAllowed, SenderBinding senders, ZoneId zone, Metrics metrics) {
        this.metrics = metrics;
        this.hostname = hostname;
        this.router = router;
        this.local = local;
        this.queue = queue;
        this.wake = wake;
        this.relayAllowed = relayAllowed;
        this.senders = senders;
        this.zone = zone;
    }

    @Override
    public Outcome checkSender(SessionInfo session, String reversePath) {
        if (forged(reversePath)) return new Outcome(553, "5.1.7", "<" + reversePath + ">: Sender address rejected: bad address syntax");
        if (senders == null || session.authUser() == null) return Outcome.ok("2.1.0", "Ok");
        try {
            if (senders.allowed(session.authUser(), reversePath)) return Outcome.ok("2.1.0", "Ok");
        } catch (IOException e) {
            return new Outcome(451, "4.3.0", "Temporary lookup failure");
        }
        return new Outcome(553, "5.7.1", "<" + reversePath + ">: Sender address rejected: not owned by user "
                + session.authUser());
    }

    /** The From: addresses of an authenticated submission must be the login's too (RFC 6409 8 allows the check). */
    private Outcome checkFromHeader(Envelope env, MessageContent content) {
        if (senders == null || env.session() == null || env.session().authUser() == null) return null;
        try {
            for (String from : HeaderAddresses.from(content)) {
                if (!senders.allowed(env.session().authUser(), from)) {
                    return new Outcome(553, "5.7.1", "From: <" + from + "> is not owned by user " + env.session().authUser());
                }
            }
        } catch (IOException e) {
            return new Outcome(451, "4.3.0", "Temporary lookup failure");
        }
        return null;
    }

    /**
     * Whether an address a client or sendmail gave has the queue's form for a ~/.forward command
     * or file ({@link Route.UserTarget#queueAddress()}). The SMTP parser cannot produce one, but
     * sendmail's arguments are not parsed as paths; queued as given, such an address would run a
     * command as another user, so it is refused wherever mail enters.
     */
    static boolean forged(String address) {
        return address != null && Route.UserTarget.parseQueueAddress(address) != null;
    }

    @Override
    public Outcome checkRecipient(SessionInfo session, String reversePath, String recipient) {
        if (forged(recipient)) return new Outcome(553, "5.1.3", "<" + recipient + ">: Recipient address rejected: bad address syntax");
        int at = recipient.lastIndexOf('@');
        String domain = at < 0 ? "" : recipient.substring(at + 1);
        if (!router.isLocalDomain(domain)) {
            if (queue != null && relayAllowed.test(session)) return Outcome.ok("2.1.5", "Ok");
            return new Outcome(550, "5.7.1", "<" + recipient + ">: Relay access denied");
        }
        List<Route> routes;
        try {
            routes = router.expand(recipient);
        } catch (IOException e) {
            log.warn("recipient check for <{}> failed: {}", recipient, e.toString());
            return new Outcome(451, "4.3.0", "<" + recipient + ">: Temporary lookup failure");
        }
        if (routes.size() == 1 && routes.get(0) instanceof Route.UnknownLocal u && u.address().equalsIgnoreCase(recipient)) {
            return new Outcome(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");
        }
        if (queue == null && !routes.stream().allMatch(r -> r instanceof Route.Local)) {
            return new Outcome(451, "4.3.0", "<" + recipient + ">: forwarding is not available");
        }
        return Outcome.ok("2.1.5", "Ok");
    }

    /** One final recipient of an accepted message. */
    private record Target(String address, String orcpt, String failure, Set<Notify> notifyOn) {}

    @Override
    public Outcome accept(Envelope env, MessageContent content) {
        Outcome spoofed = checkFromHeader(env, content);
        if (spoofed != null) {
            log.info("{}: reject: {} {} {}", env.id(), spoofed.code(), spoofed.enhancedStatus(), spoofed.text());
            return spoofed;
        }
        if (forged(env.reversePath()) || env.recipients().stream().anyMatch(DeliverySink::forged)) {
            log.warn("{}: reject: an address in the queue's form for ~/.forward commands: from=<{}> to={}", env.id(),
                    env.reversePath(), env.recipients());
            return new Outcome(553, "5.1.3", "Bad address syntax");
        }
        List<String> accounts = new ArrayList<>();
        LinkedHashMap<String, Target> targets = new LinkedHashMap<>();
        boolean needsQueue = false;
        try {
            for (int i = 0; i < env.recipients().size(); i++) {
                String rcpt = env.recipients().get(i);
                Envelope.RcptOptions given = env.rcptOptions(i);
                Set<Notify> notify = notify(given.notifyOn());
                int at = rcpt.lastIndexOf('@');
                if (!router.isLocalDomain(at < 0 ? "" : rcpt.substring(at + 1))) {
                    targets.putIfAbsent(rcpt.toLowerCase(Locale.ROOT), new Target(rcpt, given.orcpt(), null, notify));
                    needsQueue = true;
                    continue;
                }
                // RFC 3461 4.2: the client's ORCPT wins; else the address it gave, before alias expansion
                String orcpt = given.orcpt() != null ? given.orcpt() : "rfc822;" + rcpt;
                for (Route r : router.expand(rcpt)) {
                    if (r instanceof Route.Local l) {
                        if (!accounts.contains(l.account())) accounts.add(l.account());
                        targets.putIfAbsent(l.account(), new Target(l.account(), orcpt, null, notify));
                    } else if (r instanceof Route.Remote m) {
                        targets.putIfAbsent(m.address().toLowerCase(Locale.ROOT), new Target(m.address(), orcpt, null, notify));
                        needsQueue = true;
                    } else if (r instanceof Route.UnknownLocal u) {
                        if (u.address().equalsIgnoreCase(rcpt)) {
                            // the account vanished between RCPT and the end of DATA: the client
                            // retries and RCPT then answers; never drop a recipient silently
                            return new Outcome(451, "4.3.0", "Recipient <" + rcpt + "> changed during the transaction; try again");
                        }
                        targets.putIfAbsent(u.address().toLowerCase(Locale.ROOT),
                                new Target(u.address(), orcpt, "550 5.1.1 <" + u.address() + ">: user unknown", notify));
                        needsQueue = true;
                    } else if (r instanceof Route.UserTarget u) {
                        // issue 8: a ~/.forward command or file runs as its user, from the queue, after the 250
                        targets.putIfAbsent(u.queueAddress(), new Target(u.queueAddress(), orcpt, null, notify));
                        needsQueue = true;
                    } else if (r instanceof Route.Refused f) {
                        // the refusal becomes a bounce through the queue; the postmaster sees why here
                        log.info("{}: to=<{}>, orig_to=<{}>, relay=none, status=bounced ({})", env.id(), f.target(), rcpt, f.reason());
                        targets.putIfAbsent(rcpt.toLowerCase(Locale.ROOT) + " " + f.target(),
                                new Target(rcpt, orcpt, "550 5.7.1 alias target " + f.target() + ": " + f.reason(), notify));
                        needsQueue = true;
                    }
                }
            }
        } catch (IOException e) {
            return new Outcome(451, "4.3.0", "Temporary lookup failure");
        }
        // RFC 3463 X.2.2: an account over its quota refuses the message; with one reply for all
        // recipients, the others still get it through the queue and the full one a bounce
        long size = content.size() + content.lines();
        List<String> full = new ArrayList<>();
        for (String a : accounts) if (local.overQuota(a, size)) full.add(a);
        if (!full.isEmpty()) {
            if (full.size() == accounts.size() && !needsQueue) {
                log.info("{}: reject: 552 5.2.2 mailbox full: {}", env.id(), full);
                return new Outcome(552, "5.2.2", "Mailbox full");
            }
            for (String a : full) {
                Target t = targets.get(a);
                if (t != null) targets.put(a, new Target(t.address(), t.orcpt(), "552 5.2.2 <" + a + ">: mailbox full", t.notifyOn()));
            }
            accounts.removeAll(full);
            needsQueue = true;
        }
        return needsQueue ? enqueue(env, content, new ArrayList<>(targets.values())) : deliverLocally(env, content, accounts);
    }

    private Outcome enqueue(Envelope env, MessageContent content, List<Target> targets) {
        if (queue == null) return new Outcome(451, "4.3.0", "Remote delivery is not available");
        List<String> addresses = new ArrayList<>();
        List<EnqueueOptions.RcptOptions> opts = new ArrayList<>();
        for (Target t : targets) {
            addresses.add(t.address());
            opts.add(new EnqueueOptions.RcptOptions(t.orcpt(), t.notifyOn(), t.failure()));
        }
        Envelope queued = new Envelope(env.id(), env.reversePath(), addresses, env.session(), env.received());
        Envelope.MailOptions mail = env.mail();
        // the declared BODY, but 8-bit content that was declared 7BIT is still sent as 8BITMIME
        QueueEntry.Body body = switch (mail.body()) {
            case BINARY_MIME -> QueueEntry.Body.BINARY_MIME;
            case EIGHT_BIT_MIME -> QueueEntry.Body.EIGHT_BIT_MIME;
            case SEVEN_BIT -> eightBit(content) ? QueueEntry.Body.EIGHT_BIT_MIME : QueueEntry.Body.SEVEN_BIT;
        };
        QueueEntry.Ret ret = mail.ret() == null ? null : QueueEntry.Ret.valueOf(mail.ret().name());
        try {
            queue.enqueue(queued, content, new EnqueueOptions(mail.envid(), ret, body, mail.smtputf8(), opts));
        } catch (MailLoopException e) {
            return e.outcome();
        } catch (IOException | RuntimeException e) {
            log.warn("{}: cannot queue: {}", env.id(), e.toString());
            return LocalDelivery.diskFull(e) ? new Outcome(452, "4.3.1", "Insufficient system storage")
                    : new Outcome(451, "4.3.0", "Queue write failed; try again later");
        }
        wake.accept(env.id());
        return Outcome.ok("2.0.0", "Ok: queued as " + env.id());
    }

    private Outcome deliverLocally(Envelope env, MessageContent content, List<String> accounts) {
        MessageContent traced = content.prepend(TraceHeaders.bytes(TraceHeaders.received(env, hostname, zone)));
        try {
            local.deliver(accounts, env.reversePath(), traced);
        } catch (IOException | RuntimeException e) {
            boolean full = LocalDelivery.diskFull(e);
            DeliveryMetrics.counter(metrics, "deferred", true).add(env.recipients().size());
            for (String rcpt : env.recipients()) {
                log.warn("{}: to=<{}>, relay=local, delay={}, dsn={}, status=deferred ({})", env.id(), rcpt,
                        delay(env.received()), full ? "4.3.1" : "4.3.0", e.toString());
            }
            return full ? new Outcome(452, "4.3.1", "Insufficient system storage")
                        : new Outcome(451, "4.3.0", "Local delivery failed; try again later");
        }
        String delay = delay(env.received());
        DeliveryMetrics.counter(metrics, "sent", true).add(env.recipients().size());
        for (String rcpt : env.recipients()) {
            log.info("{}: to=<{}>, relay=local, delay={}, dsn=2.0.0, status=sent (delivered to maildir)",
                    env.id(), rcpt, delay);
        }
        return Outcome.ok("2.0.0", "Ok: queued as " + env.id());
    }

    /** The SPI's NOTIFY values as the queue's. */
    private static Set<Notify> notify(Set<Envelope.Notify> given) {
        Set<Notify> out = EnumSet.noneOf(Notify.class);
        for (Envelope.Notify n : given) out.add(Notify.valueOf(n.name()));
        return out;
    }

    /** RFC 6152: whether the content has octets above 127 (then it must go out as 8BITMIME). */
    static boolean eightBit(MessageContent content) {
        byte[] buf = new byte[(int) Math.max(1, Math.min(65536, content.size()))];
        try (InputStream in = content.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int any = 0;
                for (int i = 0; i < n; i++) any |= buf[i]; // no branch per octet: the JIT vectorizes it
                if (any < 0) return true;
            }
        } catch (IOException e) {
            return true; // the safe assumption: a server without 8BITMIME then refuses rather than corrupts it
        }
        return false;
    }

    private static String delay(Instant since) {
        long ms = Math.max(0, Duration.between(since, Instant.now()).toMillis());
        long frac = ms % 1000;
        return (ms / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac; // not String.format: hot path
    }
}
