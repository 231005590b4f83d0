package org.mailroom.pop3;

import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.store.Mailbox;
import org.mailroom.pop3.Pop3Request.Numbered;

/**
 * The TRANSACTION state's maildrop commands (RFC 1939 5, 7): STAT, LIST, UIDL, DELE, RSET, and QUIT
 * with the UPDATE state (RFC 1939 6). All but QUIT work on the session's {@link Maildrop} alone,
 * without touching the store.
 */
final class TransactionHandler {
    private final Pop3Session session;

    TransactionHandler(Pop3Session session) {
        this.session = session;
    }

    /** RFC 1939 5: "+OK nn mm", messages and octets not marked deleted. */
    Reply stat() {
        Maildrop m = session.maildrop();
        return Reply.ok(m.liveCount() + " " + m.liveSize());
    }

    /** RFC 1939 5: scan listings "msg octets", sizes with CRLF line ends. */
    Reply list(Numbered req) throws Pop3Error {
        Maildrop m = session.maildrop();
        if (req.msg() != Numbered.ALL) return Reply.ok(req.msg() + " " + m.require(req.msg()).rfc822Size());
        List<String> lines = new ArrayList<>();
        for (int n : m.live()) lines.add(n + " " + m.require(n).rfc822Size());
        return Reply.ok(m.liveCount() + " messages (" + m.liveSize() + " octets)", lines);
    }

    /** RFC 1939 7: unique-id listings "msg unique-id". */
    Reply uidl(Numbered req) throws Pop3Error {
        Maildrop m = session.maildrop();
        if (req.msg() != Numbered.ALL) return Reply.ok(req.msg() + " " + m.uniqueId(m.require(req.msg())));
        List<String> lines = new ArrayList<>();
        for (int n : m.live()) lines.add(n + " " + m.uniqueId(m.require(n)));
        return Reply.ok("", lines);
    }

    /** RFC 1939 5: only a mark; the message is removed in the UPDATE state. */
    Reply dele(Numbered req) throws Pop3Error {
        session.maildrop().delete(req.msg());
        return Reply.ok("Message " + req.msg() + " deleted");
    }

    /** RFC 1939 5. */
    Reply rset() {
        Maildrop m = session.maildrop();
        m.undeleteAll();
        return Reply.ok("Maildrop has " + m.liveCount() + " messages (" + m.liveSize() + " octets)");
    }

    /**
     * RFC 1939 6: in AUTHORIZATION just goodbye; in TRANSACTION enter UPDATE and expunge the marked
     * messages in one store call, answering only after it returned. If it failed, some deletions may
     * not have happened, and the reply says so with {@code -ERR [SYS/TEMP]}.
     */
    Reply quit() {
        session.quitting();
        if (session.state() == Pop3State.AUTHORIZATION) return Reply.ok("Bye").thenClose();
        session.enterUpdate();
        Maildrop m = session.maildrop();
        List<Long> uids = m.deletedUids();
        if (uids.isEmpty()) return Reply.ok("Bye").thenClose();
        Mailbox mailbox = m.mailbox();
        return session.blocking(() -> mailbox.expunge(uids), (removed, error) -> {
            if (error != null) {
                session.logFailure(error, "expunge");
                return Reply.err(RespCode.SYS_TEMP, "Some deleted messages were not removed").thenClose();
            }
            session.expunged(removed.size());
            return Reply.ok("Bye").thenClose();
        });
    }
}
