package org.mailroom.smtp.server;

import java.util.Optional;
import org.mailroom.smtp.wire.Path;
import org.mailroom.smtp.wire.Reply;

/**
 * One RCPT policy rule that can be decided on the event loop, without blocking. The session runs
 * its list top to bottom before asking the sink; the first rejection wins (STYLE.md 1.2.5).
 */
@FunctionalInterface
interface RcptCheck {

    /** @return the rejection, or empty to let the next check decide */
    Optional<Reply> check(Transaction tx, Path recipient);
}
