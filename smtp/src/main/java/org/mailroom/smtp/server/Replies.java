package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.EnhancedStatus.X_4_3_0;
import static org.mailroom.smtp.wire.ReplyCode.C451_LOCAL_ERROR;

import org.mailroom.core.spi.Outcome;
import org.mailroom.smtp.wire.EnhancedStatus;
import org.mailroom.smtp.wire.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replies shared by the handlers. */
final class Replies {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.smtp");

    private Replies() {}

    /** RFC 5321 4.2.5: a local problem is a 451, so the client tries again later. */
    static final Reply LOCAL_ERROR = new Reply(C451_LOCAL_ERROR, X_4_3_0, "Error: local error in processing");

    /**
     * The sink's decision as a reply. A sink that returns no valid 2xx/4xx/5xx code is a bug in the
     * sink; the client gets a 451 rather than something it cannot interpret.
     */
    static Reply of(Outcome o) {
        int code = o.code();
        if (code < 200 || code > 599 || code / 100 == 3) {
            log.warn("sink returned an invalid reply code {}; answering 451", code);
            return LOCAL_ERROR;
        }
        EnhancedStatus status = EnhancedStatus.parse(o.enhancedStatus());
        if (status != null && status.statusClass() != code / 100) status = null;
        return new Reply(code, status, o.text() == null ? "" : o.text().split("\r?\n", -1)[0]);
    }
}
