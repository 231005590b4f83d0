package org.mailroom.imap.wire;

import static org.mailroom.imap.wire.ImapCommandParser.MAX_LIST_ITEMS;
import static org.mailroom.imap.wire.ImapCommandParser.MAX_PATTERNS;
import static org.mailroom.imap.wire.ImapCommandParser.keyword;
import static org.mailroom.imap.wire.ImapCommandParser.mailbox;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The commands that name mailboxes: SELECT/EXAMINE (RFC 7162 CONDSTORE, QRESYNC), CREATE (RFC 6154
 * USE), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST (RFC 5258, RFC 6154, RFC 5819), LSUB, STATUS
 * and APPEND. Each method starts after the command name and leaves the reader where the command
 * should end.
 */
final class MailboxCommandParser {

    private static final Set<String> LIST_SELECT_OPTIONS =
            Set.of("SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE");
    private static final Set<String> LIST_RETURN_OPTIONS =
            Set.of("SUBSCRIBED", "CHILDREN", "SPECIAL-USE", "STATUS");

    private MailboxCommandParser() {}

    /**
     * RFC 9051 6.3.2 / 6.3.3 with RFC 4466 {@code select-params}: {@code (CONDSTORE)} and RFC 7162
     * 3.2.5 {@code (QRESYNC (uidvalidity modseq [known-uids] [(seq-match uid-match)]))}. Unknown
     * parameters are BAD (RFC 4466 2.1).
     */
    static Command select(ImapReader r, boolean readOnly) throws ImapSyntaxException {
        r.space();
        String mailbox = mailbox(r);
        boolean condstore = false;
        Command.Qresync qresync = null;
        if (r.consume(' ')) {
            r.beginList();
            do {
                String param = keyword(r);
                if (param.equals("CONDSTORE") && !condstore) {
                    condstore = true;
                } else if (param.equals("QRESYNC") && qresync == null) {
                    r.space();
                    qresync = qresync(r);
                } else {
                    throw r.error("unknown or repeated select parameter " + ImapCommandParser.abbreviate(param));
                }
            } while (r.consume(' '));
            r.endList();
        }
        return new Command.Select(mailbox, readOnly, condstore, qresync);
    }

    private static Command.Qresync qresync(ImapReader r) throws ImapSyntaxException {
        r.beginList();
        long uidValidity = r.nzNumber();
        r.space();
        long modSeq = modSequenceValue(r);
        SequenceSet knownUids = null;
        SequenceSet seqMatch = null;
        SequenceSet uidMatch = null;
        if (r.consume(' ')) {
            boolean match = r.peek() == '(';
            if (!match) {
                knownUids = knownSet(r);
                match = r.consume(' ');
            }
            if (match) {
                r.beginList();
                seqMatch = knownSet(r);
                r.space();
                uidMatch = knownSet(r);
                r.endList();
            }
        }
        r.endList();
        return new Command.Qresync(uidValidity, modSeq, knownUids, seqMatch, uidMatch);
    }

    /** RFC 7162 3.2.5: known UIDs and the sequence match data are sets without {@code *} or $. */
    private static SequenceSet knownSet(ImapReader r) throws ImapSyntaxException {
        SequenceSet set = r.sequenceSet();
        if (set.usesStar() || set.isSavedResult()) {
            throw r.error("'*' and '$' are not allowed in QRESYNC sets");
        }
        return set;
    }

    /** RFC 7162 7: {@code mod-sequence-value = 1*DIGIT}, 1 to 2^63 - 1. */
    static long modSequenceValue(ImapReader r) throws ImapSyntaxException {
        long n = r.number64();
        if (n == 0) {
            throw r.error("mod-sequence 0 where a positive one is required");
        }
        return n;
    }

    /** RFC 9051 6.3.4 with RFC 6154 5.3 {@code CREATE mbox (USE (\Sent))}. */
    static Command create(ImapReader r) throws ImapSyntaxException {
        r.space();
        String mailbox = mailbox(r);
        List<String> use = List.of();
        if (r.consume(' ')) {
            r.beginList();
            if (!keyword(r).equals("USE")) {
                throw r.error("unknown CREATE parameter");
            }
            r.space();
            use = useAttributes(r);
            r.endList();
        }
        return new Command.Create(mailbox, use);
    }

    /** RFC 6154 6: {@code "(" [use-attr *(SP use-attr)] ")"}, each {@code "\" atom}. */
    private static List<String> useAttributes(ImapReader r) throws ImapSyntaxException {
        List<String> flags = ImapCommandParser.flagList(r);
        for (String f : flags) {
            if (!f.startsWith("\\")) {
                throw r.error("special-use attribute without '\\'");
            }
        }
        return flags;
    }

    /** RFC 9051 6.3.5, 6.3.7, 6.3.8: one mailbox argument. */
    static String oneMailbox(ImapReader r) throws ImapSyntaxException {
        r.space();
        return mailbox(r);
    }

    static Command rename(ImapReader r) throws ImapSyntaxException {
        String from = oneMailbox(r);
        String to = oneMailbox(r);
        return new Command.Rename(from, to);
    }

    /**
     * RFC 9051 6.3.9, RFC 5258 3 (selection options, pattern lists, RETURN), RFC 6154 (SPECIAL-USE),
     * RFC 5819 ({@code RETURN (STATUS (...))}). Options the server does not implement are BAD: the
     * command record carries only ones the session knows.
     */
    static Command list(ImapReader r) throws ImapSyntaxException {
        r.space();
        Set<String> select = Set.of();
        if (r.peek() == '(') {
            select = options(r, LIST_SELECT_OPTIONS, null);
            // RFC 5258 3: RECURSIVEMATCH alone (or with REMOTE only) is BAD.
            if (select.contains("RECURSIVEMATCH")
                    && !select.contains("SUBSCRIBED") && !select.contains("SPECIAL-USE")) {
                throw r.error("RECURSIVEMATCH needs another selection option");
            }
            r.space();
        }
        String reference = mailbox(r);
        r.space();
        List<String> patterns = new ArrayList<>();
        if (r.peek() == '(') {
            r.beginList();
            do {
                if (patterns.size() == MAX_PATTERNS) {
                    throw r.error("more than " + MAX_PATTERNS + " patterns");
                }
                patterns.add(r.listMailbox());
            } while (r.consume(' '));
            r.endList();
        } else {
            patterns.add(r.listMailbox());
        }
        Set<String> returns = Set.of();
        Set<Command.StatusItem> status = EnumSet.noneOf(Command.StatusItem.class);
        if (r.consume(' ')) {
            if (!keyword(r).equals("RETURN")) {
                throw r.error("expected RETURN");
            }
            r.space();
            returns = options(r, LIST_RETURN_OPTIONS, status);
        }
        return new Command.ListMailboxes(select, reference, List.copyOf(patterns), returns,
                Collections.unmodifiableSet(status));
    }

    /** {@code "(" [option *(SP option)] ")"}; STATUS takes its item list into {@code status}. */
    private static Set<String> options(ImapReader r, Set<String> known, Set<Command.StatusItem> status)
            throws ImapSyntaxException {
        r.beginList();
        Set<String> options = new LinkedHashSet<>();
        if (r.peek() != ')') {
            do {
                if (options.size() == MAX_LIST_ITEMS) {
                    throw r.error("too many options");
                }
                String option = keyword(r);
                if (!known.contains(option)) {
                    throw r.error("unknown option " + ImapCommandParser.abbreviate(option));
                }
                if (option.equals("STATUS")) {
                    if (options.contains("STATUS")) {
                        throw r.error("STATUS given twice");
                    }
                    r.space();
                    status.addAll(statusItems(r));
                }
                options.add(option);
            } while (r.consume(' '));
        }
        r.endList();
        return Collections.unmodifiableSet(options);
    }

    /** RFC 3501 6.3.9: {@code LSUB SP mailbox SP list-mailbox}. */
    static Command lsub(ImapReader r) throws ImapSyntaxException {
        String reference = oneMailbox(r);
        r.space();
        return new Command.Lsub(reference, r.listMailbox());
    }

    /** RFC 9051 6.3.11: {@code STATUS SP mailbox SP "(" status-att *(SP status-att) ")"}. */
    static Command status(ImapReader r) throws ImapSyntaxException {
        String mailbox = oneMailbox(r);
        r.space();
        return new Command.Status(mailbox, Collections.unmodifiableSet(statusItems(r)));
    }

    /**
     * RFC 9051 6.3.11 status-att, plus RECENT (RFC 3501), HIGHESTMODSEQ (RFC 7162 3.1.6) and
     * APPENDLIMIT (RFC 7889); at least one.
     */
    private static EnumSet<Command.StatusItem> statusItems(ImapReader r) throws ImapSyntaxException {
        r.beginList();
        EnumSet<Command.StatusItem> items = EnumSet.noneOf(Command.StatusItem.class);
        do {
            String name = keyword(r);
            try {
                items.add(Command.StatusItem.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw r.error("unknown status item " + ImapCommandParser.abbreviate(name));
            }
        } while (r.consume(' '));
        r.endList();
        return items;
    }

    /**
     * RFC 9051 6.3.12: {@code APPEND SP mailbox [SP flag-list] [SP date-time] SP literal}; the
     * message may also be an RFC 3516 {@code literal8} {@code ~{n}}, or RFC 6855 4
     * {@code UTF8 (~{n})}. One message only (no RFC 3502 MULTIAPPEND).
     */
    static Command append(ImapReader r) throws ImapSyntaxException {
        String mailbox = oneMailbox(r);
        r.space();
        List<String> flags = List.of();
        if (r.peek() == '(') {
            flags = ImapCommandParser.flagList(r);
            r.space();
        }
        OffsetDateTime date = null;
        if (r.peek() == '"') {
            date = dateTime(r);
            r.space();
        }
        Literal message;
        if (r.peek() == 'U' || r.peek() == 'u') {
            if (!keyword(r).equals("UTF8")) {
                throw r.error("expected a literal or UTF8");
            }
            r.space();
            r.beginList();
            if (r.peek() != '~') {
                throw r.error("RFC 6855: UTF8 takes a literal8 ~{n}");
            }
            message = r.literal(true);
            r.endList();
        } else {
            message = r.literal(true);
        }
        return new Command.Append(mailbox, flags, date, message);
    }

    private static final String[] MONTHS =
            {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    /** {@code date-month}, case-insensitive (RFC 9051 9, "Note 1"): 1 to 12, or 0 when not one. */
    static int month(String s) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(s)) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * RFC 9051 9: {@code date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP
     * zone DQUOTE}, {@code date-day-fixed = (SP DIGIT) / 2DIGIT}, e.g. {@code " 7-Feb-1994 21:52:25
     * -0800"}.
     */
    static OffsetDateTime dateTime(ImapReader r) throws ImapSyntaxException {
        String s = r.quoted();
        // XXX a one-digit day without its padding space is accepted too: some clients send it and
        // the meaning is not in doubt.
        if (s.length() == 26 && s.charAt(0) == ' ') {
            s = "0" + s.substring(1);
        } else if (s.length() == 25) {
            s = "0" + s;
        }
        if (s.length() != 26 || s.charAt(2) != '-' || s.charAt(6) != '-' || s.charAt(11) != ' '
                || s.charAt(14) != ':' || s.charAt(17) != ':' || s.charAt(20) != ' ') {
            throw r.error("bad date-time, expected \"dd-Mon-yyyy hh:mm:ss +zzzz\"");
        }
        int day = digits(r, s, 0, 2);
        int month = month(s.substring(3, 6));
        int year = digits(r, s, 7, 4);
        int hour = digits(r, s, 12, 2);
        int minute = digits(r, s, 15, 2);
        int second = digits(r, s, 18, 2);
        char sign = s.charAt(21);
        int zh = digits(r, s, 22, 2);
        int zm = digits(r, s, 24, 2);
        if (month == 0 || (sign != '+' && sign != '-')) {
            throw r.error("bad month or zone in date-time");
        }
        try {
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(sign == '-' ? -zh : zh, sign == '-' ? -zm : zm);
            return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second), zone);
        } catch (DateTimeException e) {
            throw r.error("date-time out of range");
        }
    }

    private static int digits(ImapReader r, String s, int from, int count) throws ImapSyntaxException {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw r.error("bad digit in date-time");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
