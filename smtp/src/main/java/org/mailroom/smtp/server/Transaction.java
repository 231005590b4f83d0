package org.mailroom.smtp.server;

import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.spi.Envelope;
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
    /** ENVID, RET, BODY and SMTPUTF8 from MAIL. */
    final Envelope.MailOptions options;
    final List<Path> recipients = new ArrayList<>();
    /** ORCPT and NOTIFY of each accepted recipient, parallel to {@link #recipients}. */
    final List<Envelope.RcptOptions> rcptOptions = new ArrayList<>();
    /** RCPTs answered with 4xx/5xx: decides 554 vs 503 for DATA without recipients (RFC 2920 3.1). */
    int rejectedRecipients;
    /** Set between 354 and the end of data; null once handed over for the end of data. */
    ContentBuffer content;
    Throwable spillError;

    // BDAT (RFC 3030): the content arrives in chunks, possibly over several commands
    /** BDAT was used: DATA is refused from now on (RFC 3030 2). */
    boolean chunking;
    /** The chunk being read ends the message. */
    boolean lastChunk;
    /** Octets announced by the chunk being read, for its 250 reply. */
    long chunkSize;
    /** Octets received in all chunks so far, as on the wire (the SIZE measure). */
    long chunkOctets;
    /** A CR ended the previous chunk piece: CR LF may be split between chunks. */
    boolean crPending;
    boolean bareCr;
    boolean bareLf;

    Transaction(String id, Path from, Envelope.MailOptions options) {
        this.id = id;
        this.from = from;
        this.options = options;
    }

    Transaction(String id, Path from) {
        this(id, from, Envelope.MailOptions.NONE);
    }

    /** {@code <a@b>,<c@d>} for the log line. */
    String recipientList() {
        StringBuilder b = new StringBuilder();
        for (Path p : recipients) b.append(b.length() == 0 ? "" : ",").append(p);
        return b.toString();
    }
}
