package org.mailroom.imap.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands on messages other than FETCH and SEARCH: STORE (RFC 9051 6.4.6, RFC 7162 3.1.3
 * UNCHANGEDSINCE), COPY (6.4.7), MOVE (RFC 6851), EXPUNGE (6.4.3) and UID EXPUNGE (RFC 4315 2.1),
 * each also as a UID command where the grammar has one.
 */
final class MessageCommandParser {

    private MessageCommandParser() {}

    /**
     * RFC 9051 9: {@code store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags},
     * {@code store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))};
     * RFC 7162 3.1.3: {@code store-modifier = "UNCHANGEDSINCE" SP mod-sequence-valzer}.
     */
    static Command store(ImapReader r, boolean uid) throws ImapSyntaxException {
        r.space();
        SequenceSet set = r.sequenceSet();
        r.space();
        long unchangedSince = -1;
        if (r.peek() == '(') {
            r.beginList();
            if (!ImapCommandParser.keyword(r).equals("UNCHANGEDSINCE")) {
                throw r.error("unknown STORE modifier");
            }
            r.space();
            unchangedSince = r.number64();
            r.endList();
            r.space();
        }
        Command.StoreMode mode = Command.StoreMode.REPLACE;
        if (r.consume('+')) {
            mode = Command.StoreMode.ADD;
        } else if (r.consume('-')) {
            mode = Command.StoreMode.REMOVE;
        }
        String item = ImapCommandParser.keyword(r);
        boolean silent = item.equals("FLAGS.SILENT");
        if (!silent && !item.equals("FLAGS")) {
            throw r.error("expected FLAGS or FLAGS.SILENT");
        }
        r.space();
        List<String> flags;
        if (r.peek() == '(') {
            flags = ImapCommandParser.flagList(r);
        } else {
            List<String> list = new ArrayList<>();
            do {
                if (list.size() == ImapCommandParser.MAX_FLAGS) {
                    throw r.error("more than " + ImapCommandParser.MAX_FLAGS + " flags");
                }
                list.add(ImapCommandParser.flag(r));
            } while (r.consume(' '));
            flags = List.copyOf(list);
        }
        return new Command.Store(uid, set, unchangedSince, mode, silent, flags);
    }

    /** RFC 9051 6.4.7 / RFC 6851 3.1: {@code COPY|MOVE SP sequence-set SP mailbox}. */
    static Command copyOrMove(ImapReader r, boolean uid, boolean move) throws ImapSyntaxException {
        r.space();
        SequenceSet set = r.sequenceSet();
        r.space();
        String mailbox = ImapCommandParser.mailbox(r);
        return move ? new Command.Move(uid, set, mailbox) : new Command.Copy(uid, set, mailbox);
    }

    /** RFC 4315 2.1 / RFC 9051 6.4.9: {@code UID EXPUNGE SP sequence-set}. */
    static Command uidExpunge(ImapReader r) throws ImapSyntaxException {
        r.space();
        return new Command.Expunge(r.sequenceSet());
    }
}
