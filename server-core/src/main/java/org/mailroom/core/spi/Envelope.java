package org.mailroom.core.spi;

import java.time.Instant;
import java.util.List;

/**
 * The SMTP envelope of one message.
 *
 * @param id          the queue id that every log line about this message carries
 * @param reversePath MAIL FROM address without angle brackets; empty for the null sender {@code <>}
 * @param recipients  RCPT TO addresses in the order accepted, each accepted by the sink
 * @param session     who handed the message over
 * @param received    when the end of data was received
 */
public record Envelope(String id, String reversePath, List<String> recipients, SessionInfo session, Instant received) {}
