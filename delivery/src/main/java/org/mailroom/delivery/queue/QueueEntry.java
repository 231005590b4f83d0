package org.mailroom.delivery.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The envelope record of one queued message: everything but the content. Immutable; a change is a
 * new value ({@code with...}) written back with {@link QueueStore#update}.
 *
 * @param id          queue id ({@link QueueId}), also the file names
 * @param reversePath MAIL FROM without angle brackets; {@code ""} is the null sender (RFC 5321 4.5.5)
 * @param arrival     when the message was received (end of data)
 * @param envid       RFC 3461 4.4 ENVID as received, in xtext form (never decoded: see DsnRequest), or null
 * @param ret         RFC 3461 4.3 RET, or null when not given
 * @param body        RFC 6152 / RFC 3030 BODY parameter; {@link Body#SEVEN_BIT} when not given
 * @param smtputf8    RFC 6531 3.4: the message needs SMTPUTF8 at the next hop
 * @param origin      who handed the message over (for DSNs and the postmaster)
 * @param attempts    delivery attempts made so far
 * @param nextAttempt not before this instant is the message tried again
 * @param recipients  per-recipient state, in RCPT order; never empty
 */
public record QueueEntry(String id, String reversePath, Instant arrival, String envid, Ret ret, Body body,
                         boolean smtputf8, Origin origin, int attempts, Instant nextAttempt,
                         List<Recipient> recipients) {

    /** RFC 3461 4.3: how much of the message a DSN returns. */
    public enum Ret { FULL, HDRS }

    /** The BODY parameter: 7BIT (RFC 5321), 8BITMIME (RFC 6152), BINARYMIME (RFC 3030). */
    public enum Body {
        SEVEN_BIT("7BIT"), EIGHT_BIT_MIME("8BITMIME"), BINARY_MIME("BINARYMIME");

        private final String keyword;

        Body(String keyword) { this.keyword = keyword; }

        /** The SMTP keyword, as on the wire and in the record. */
        public String keyword() { return keyword; }

        /** @return the body type for an SMTP keyword (case-insensitive), or null */
        public static Body ofKeyword(String k) {
            for (Body b : values()) if (b.keyword.equalsIgnoreCase(k)) return b;
            return null;
        }
    }

    /**
     * What the receiving session knew (the fields of {@link org.mailroom.core.spi.SessionInfo} worth
     * keeping past the connection); any may be null.
     *
     * @param client the client's IP address as text, e.g. {@code 192.0.2.7} or {@code 2001:db8::1}
     */
    public record Origin(String listener, String client, String helo, String protocol, String authUser) {
        public static final Origin NONE = new Origin(null, null, null, null, null);
    }

    public QueueEntry {
        QueueId.require(id);
        Objects.requireNonNull(reversePath, "reversePath ('' is the null sender)");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        origin = origin == null ? Origin.NONE : origin;
        if (attempts < 0) throw new IllegalArgumentException("attempts < 0");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("no recipients");
    }

    public boolean nullSender() { return reversePath.isEmpty(); }

    public QueueEntry withAttempts(int n) {
        return new QueueEntry(id, reversePath, arrival, envid, ret, body, smtputf8, origin, n, nextAttempt, recipients);
    }

    public QueueEntry withNextAttempt(Instant t) {
        return new QueueEntry(id, reversePath, arrival, envid, ret, body, smtputf8, origin, attempts, t, recipients);
    }

    public QueueEntry withRecipients(List<Recipient> r) {
        return new QueueEntry(id, reversePath, arrival, envid, ret, body, smtputf8, origin, attempts, nextAttempt, r);
    }

    /** This entry with recipient {@code index} replaced. */
    public QueueEntry withRecipient(int index, Recipient r) {
        List<Recipient> l = new ArrayList<>(recipients);
        l.set(index, r);
        return withRecipients(l);
    }

    /** Recipients still to be tried (PENDING or DEFERRED). */
    public List<Recipient> undelivered() {
        return recipients.stream().filter(r -> !r.state().isFinal()).toList();
    }

    /**
     * One recipient and how far it got.
     *
     * @param address      RCPT TO address without angle brackets
     * @param orcpt        RFC 3461 4.2 ORCPT as {@code addr-type;address} (xtext decoded), or null
     * @param notifyOn     RFC 3461 4.1 NOTIFY; empty when the client gave none (the server then
     *                     behaves as FAILURE,DELAY), {@code {NEVER}} alone otherwise exclusive
     * @param state        where delivery stands
     * @param lastAttempt  when it was last tried, or null
     * @param lastResult   the last reply or error, e.g. {@code 451 4.3.0 mx.example[192.0.2.1]: try later}, or null
     * @param delayWarned  a delay DSN (RFC 3464, action=delayed) was sent already
     */
    public record Recipient(String address, String orcpt, Set<Notify> notifyOn, State state, Instant lastAttempt,
                            String lastResult, boolean delayWarned) {

        /** RFC 3461 4.1 NOTIFY values. */
        public enum Notify { SUCCESS, FAILURE, DELAY, NEVER }

        /** Delivery state of a recipient (not to be confused with the queue directory). */
        public enum State {
            PENDING, DEFERRED, DELIVERED, FAILED;

            public boolean isFinal() { return this == DELIVERED || this == FAILED; }
        }

        public Recipient {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(state, "state");
            notifyOn = notifyOn == null || notifyOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(notifyOn));
            // RFC 3461 4.1: NEVER must not be combined with the others
            if (notifyOn.contains(Notify.NEVER) && notifyOn.size() > 1) {
                throw new IllegalArgumentException("NOTIFY=NEVER combined with other values");
            }
        }

        /** A new recipient as accepted by RCPT. */
        public static Recipient of(String address) {
            return new Recipient(address, null, Set.of(), State.PENDING, null, null, false);
        }

        public Recipient withState(State s) {
            return new Recipient(address, orcpt, notifyOn, s, lastAttempt, lastResult, delayWarned);
        }

        /** Records one attempt: when, with what result, and the resulting state. */
        public Recipient withAttempt(Instant when, String result, State s) {
            return new Recipient(address, orcpt, notifyOn, s, when, result, delayWarned);
        }

        public Recipient withDelayWarned(boolean warned) {
            return new Recipient(address, orcpt, notifyOn, state, lastAttempt, lastResult, warned);
        }
    }
}
