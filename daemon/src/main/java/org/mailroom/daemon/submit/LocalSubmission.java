package org.mailroom.daemon.submit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.QueueIds;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.spi.SessionInfo.LocalUser;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.unix.Passwd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon does with one local submission: the same two sink calls an SMTP session makes
 * (STYLE.md "Single entry into the queue"), with the sender and recipients completed the way
 * sendmail does and the header completed as RFC 6409 section 8 allows a submission server to:
 * {@code Date:}, {@code Message-ID:} and {@code From:} are added when missing. Blocking: runs on
 * the submit server's own threads.
 */
public final class LocalSubmission {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.submit");
    /** The listener name local submissions carry; the daemon's relay predicate trusts it. */
    public static final String LISTENER = "sendmail";
    private static final int MAX_HEADER_SCAN = 256 * 1024;
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** The answer: OK with the queue id, or the sink's (or our) refusal. */
    public record Result(String id, Outcome outcome) {
        public String line() {
            return outcome.isOk() ? "OK " + id : "ERR " + outcome.code() + " " + outcome.enhancedStatus() + " " + outcome.text();
        }
    }

    private final MessageSink sink;
    private final String hostname;
    private final String myorigin;
    private final TrustedUsers trusted;
    private final Passwd passwd;
    private final ZoneId zone;
    private final QueueIds ids = new QueueIds();

    /**
     * @param hostname for the Message-ID, the Received: and X-Authentication-Warning: fields
     * @param myorigin the domain of the default sender ({@code user@myorigin}) and of recipients
     *                 and senders given without one ({@code sendmail root}), as Postfix's
     *                 {@code myorigin} and {@code append_at_myorigin}
     * @param passwd   to learn the submitting user's uid for the Received: field
     */
    public LocalSubmission(MessageSink sink, String hostname, String myorigin, TrustedUsers trusted, Passwd passwd,
                           ZoneId zone) {
        this.sink = sink;
        this.hostname = hostname;
        this.myorigin = myorigin;
        this.trusted = trusted;
        this.passwd = passwd;
        this.zone = zone;
    }

    /** The session every local submission runs in: trusted to relay, no client address, the user. */
    public static SessionInfo session(LocalUser user) {
        return new SessionInfo(LISTENER, null, null, "local", null, null, user);
    }

    /**
     * The user the kernel named ({@code SO_PEERCRED} gives a name, or the uid in decimal when the
     * uid has no passwd entry) with its uid from the passwd database; uid -1 when unknown.
     */
    LocalUser who(String kernelName) {
        if (kernelName.chars().allMatch(Character::isDigit) && !kernelName.isEmpty()) {
            return new LocalUser(Long.parseLong(kernelName), kernelName);
        }
        try {
            return new LocalUser(passwd.byName(kernelName).map(Passwd.Account::uid).orElse(-1L), kernelName);
        } catch (IOException e) {
            log.warn("cannot read the passwd database: {}", e.toString());
            return new LocalUser(-1, kernelName);
        }
    }

    /** Checks every recipient, completes the header, hands the message to the sink. */
    public Result submit(SubmitRequest req, String unixUser, MessageContent content) {
        String id = ids.next();
        LocalUser user = who(unixUser);
        SessionInfo session = session(user);
        String own = unixUser + "@" + myorigin;
        String sender = req.sender() == null ? own : qualify(req.sender());
        // sendmail's rule: -f by an untrusted user is taken, but the message says who set it
        String warning = null;
        if (req.sender() != null && !sender.equalsIgnoreCase(own) && !trusted.isTrusted(user)) {
            warning = "X-Authentication-Warning: " + hostname + ": " + unixUser + " set sender to "
                    + (sender.isEmpty() ? "<>" : sender) + " using -f\n";
            log.info("{}: sendmail user={} set sender to <{}> using -f (not a trusted user)", id, unixUser, sender);
        }
        List<String> rcpts = new ArrayList<>();
        for (String r : req.recipients()) {
            String q = qualify(r);
            if (rcpts.stream().anyMatch(q::equalsIgnoreCase)) continue;
            Outcome o = sink.checkRecipient(session, sender, q);
            if (!o.isOk()) {
                log.info("{}: sendmail user={} from=<{}> rejected: {} {} {}", id, unixUser, sender, o.code(),
                        o.enhancedStatus(), o.text());
                return new Result(id, o);
            }
            rcpts.add(q);
        }
        byte[] added;
        try {
            added = missingFields(content, req, sender, own, id, warning);
        } catch (IOException e) {
            return new Result(id, new Outcome(451, "4.3.0", "cannot read the message: " + e.getMessage()));
        }
        Instant now = Instant.now();
        Envelope env = new Envelope(id, sender, List.copyOf(rcpts), session, now);
        log.info("{}: sendmail user={} uid={} from=<{}> nrcpt={} size={}", id, unixUser, user.uid(), sender, rcpts.size(),
                content.size());
        Outcome o = sink.accept(env, added.length == 0 ? content : content.prepend(added));
        if (!o.isOk()) log.info("{}: sendmail not accepted: {} {} {}", id, o.code(), o.enhancedStatus(), o.text());
        return new Result(id, o);
    }

    /** An address without a domain gets {@code @myorigin}; the null sender stays null. */
    private String qualify(String address) {
        return address.isEmpty() || address.indexOf('@') >= 0 ? address : address + "@" + myorigin;
    }

    /** {@code Date:}, {@code Message-ID:} and {@code From:} when the message has none. */
    private byte[] missingFields(MessageContent content, SubmitRequest req, String sender, String own, String id,
                                 String warning) throws IOException {
        byte[] head;
        try (InputStream in = content.open()) {
            head = in.readNBytes(MAX_HEADER_SCAN);
        }
        HeaderFields h = HeaderFields.parse(head);
        StringBuilder sb = new StringBuilder();
        if (warning != null) sb.append(warning);
        if (!h.has("from")) {
            String addr = sender.isEmpty() ? own : sender;
            sb.append("From: ");
            if (req.fullName() != null && !req.fullName().isBlank()) sb.append(phrase(req.fullName().strip())).append(" <").append(addr).append('>');
            else sb.append(addr);
            sb.append('\n');
        }
        if (!h.has("date")) sb.append("Date: ").append(RFC5322.format(ZonedDateTime.now(zone))).append('\n');
        if (!h.has("message-id")) sb.append("Message-ID: <").append(id).append('@').append(hostname).append(">\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A display name: as is when it is atoms, quoted when it has specials, RFC 2047 when not ASCII. */
    static String phrase(String name) {
        boolean ascii = name.chars().allMatch(c -> c >= ' ' && c < 127);
        if (!ascii) {
            return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "?=";
        }
        boolean atoms = name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == ' ' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0);
        if (atoms) return name;
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
