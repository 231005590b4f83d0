package org.mailroom.smtp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.MessageContent;

/**
 * A sink for tests: the local domain is {@code example.test} with the users given by
 * {@link #users(Set)} (a transcript's {@code @user} lines); other local parts get 550 5.1.1, other
 * domains 550 5.7.1 (no relaying). Accepted messages are kept in memory with their exact bytes.
 */
final class TestSink implements MessageSink {
    record Accepted(Envelope envelope, byte[] content) {}

    private volatile Set<String> users = Set.of();
    private volatile CountDownLatch acceptGate;
    private volatile Outcome acceptOutcome;
    final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    final CountDownLatch acceptEntered = new CountDownLatch(1);

    void users(Set<String> addresses) {
        users = Set.copyOf(addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());
    }

    /** Makes {@link #accept} wait until {@code gate} is counted down. */
    void blockAcceptOn(CountDownLatch gate) { acceptGate = gate; }

    /** Makes {@link #accept} answer {@code o} instead of storing the message. */
    void acceptOutcome(Outcome o) { acceptOutcome = o; }

    @Override
    public Outcome checkRecipient(SessionInfo session, String reversePath, String recipient) {
        String r = recipient.toLowerCase(Locale.ROOT);
        if (!r.endsWith("@example.test")) return new Outcome(550, "5.7.1", "<" + recipient + ">: Relay access denied");
        if (!users.contains(r)) return new Outcome(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");
        return Outcome.ok("2.1.5", "Ok");
    }

    @Override
    public Outcome accept(Envelope envelope, MessageContent content) {
        acceptEntered.countDown();
        CountDownLatch g = acceptGate;
        try {
            if (g != null && !g.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("test latch never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(451, "4.3.0", "interrupted");
        }
        if (acceptOutcome != null) return acceptOutcome;
        try (InputStream in = content.open()) {
            accepted.add(new Accepted(envelope, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Outcome.ok("2.0.0", "Ok");
    }
}
