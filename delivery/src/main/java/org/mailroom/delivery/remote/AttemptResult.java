package org.mailroom.delivery.remote;

import java.util.List;

/**
 * The outcome of one transaction (or attempt to start one) with one host.
 *
 * @param relay           {@code mx.example[192.0.2.1]:25}
 * @param recipients      one result per recipient, in the order given
 * @param connectionLost  the session broke (connect failure, 421, timeout, drop, TLS or AUTH
 *                        failure): temporary results here say nothing about the recipients and
 *                        another host should be tried (RFC 5321 5.1)
 */
public record AttemptResult(String relay, List<RecipientResult> recipients, boolean connectionLost) {
    public AttemptResult {
        recipients = List.copyOf(recipients);
    }
}
