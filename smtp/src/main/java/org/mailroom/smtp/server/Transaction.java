package org.mailroom.smtp.server;

import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.smtp.wire.Path;

/**
 * One mail transaction (RFC 5321 3.3): from MAIL to the end of DATA, RSET, EHLO/HELO or STARTTLS.
 * Touched only on the session's event loop, except {@link #content}, which is handed to the
 * blocking executor while the session's input is paused.
 */
final class Transaction {
    final String id;
    final Path from;
    final List<Path> recipients = new ArrayList<>();
    /** RCPTs answered with 4xx/5xx: decides 554 vs 503 for DATA without recipients (RFC 2920 3.1). */
    int rejectedRecipients;
    /** Set between 354 and the end of data; null once handed over for the end of data. */
    ContentBuffer content;
    Throwable spillError;

    Transaction(String id, Path from) {
        this.id = id;
        this.from = from;
    }

    /** {@code <a@b>,<c@d>} for the log line. */
    String recipientList() {
        StringBuilder b = new StringBuilder();
        for (Path p : recipients) b.append(b.length() == 0 ? "" : ",").append(p);
        return b.toString();
    }
}
