package org.mailroom.delivery.schedule;

import java.io.IOException;
import java.util.List;
import org.mailroom.delivery.queue.QueueEntry;

/**
 * Reports on a queued message to its sender (RFC 3464). Implementations enqueue the report
 * durably before returning. Never called for the null sender.
 */
public interface Bouncer {

    enum Kind { FAILURE, DELAY, SUCCESS }

    /**
     * @param entry      the message as it stands after the attempt
     * @param recipients the recipients this report is about (a subset of the entry's)
     */
    void report(QueueEntry entry, Kind kind, List<QueueEntry.Recipient> recipients) throws IOException;
}
