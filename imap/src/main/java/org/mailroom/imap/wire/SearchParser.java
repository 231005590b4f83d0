package org.mailroom.imap.wire;

import static org.mailroom.imap.wire.ImapCommandParser.keyword;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SEARCH and UID SEARCH (RFC 9051 6.4.4, RFC 3501 6.4.4 NEW/OLD/RECENT, RFC 4731 / RFC 9051
 * 6.4.4.1 RETURN options, RFC 7162 3.1.5 MODSEQ, RFC 5182 {@code $}). Shorthands are normalised as
 * the {@link SearchKey} javadoc says; a parenthesised list and the top-level key sequence are
 * always an {@link SearchKey.And}, even of one key.
 *
 * <p>Bounded: at most {@link ImapCommandParser#MAX_SEARCH_KEYS} keys in all, lists nested at most
 * {@link ImapReader#MAX_DEPTH}, and NOT/OR/lists together at most
 * {@link ImapCommandParser#MAX_SEARCH_NESTING} deep (the parser recurses once per level).
 */
final class SearchParser {

    private final ImapReader r;
    private Charset charset = StandardCharsets.UTF_8;
    private int keys;
    private int nesting;

    private SearchParser(ImapReader r) {
        this.r = r;
    }

    /** RFC 9051 9: {@code search = "SEARCH" [search-return-opts] SP search-program}. */
    static Command search(ImapReader r, boolean uid) throws ImapSyntaxException {
        return new SearchParser(r).command(uid);
    }

    private Command command(boolean uid) throws ImapSyntaxException {
        r.space();
        Set<Command.SearchReturn> returns = null;
        if ("RETURN".equalsIgnoreCase(r.peekAtom())) {
            r.atom();
            r.space();
            returns = returnOptions();
            r.space();
        }
        String charsetName = null;
        if ("CHARSET".equalsIgnoreCase(r.peekAtom())) {
            r.atom();
            r.space();
            String name = r.peek() == '"' ? r.quoted() : r.atom();
            // RFC 9051 6.4.4: US-ASCII and UTF-8 must be supported; others get NO [BADCHARSET].
            charsetName = name.toUpperCase(Locale.ROOT);
            charset = switch (charsetName) {
                case "UTF-8" -> StandardCharsets.UTF_8;
                case "US-ASCII" -> StandardCharsets.US_ASCII;
                default -> throw new BadCharsetException(name);
            };
            r.space();
        }
        List<SearchKey> program = new ArrayList<>();
        do {
            program.add(key());
        } while (r.consume(' '));
        return new Command.Search(uid, charsetName, returns, new SearchKey.And(program));
    }

    /** RFC 4731 3.1 / RFC 9051 6.4.4.1: {@code RETURN ()} means {@code RETURN (ALL)}. */
    private Set<Command.SearchReturn> returnOptions() throws ImapSyntaxException {
        r.beginList();
        EnumSet<Command.SearchReturn> returns = EnumSet.noneOf(Command.SearchReturn.class);
        if (r.peek() != ')') {
            do {
                String option = keyword(r);
                try {
                    returns.add(Command.SearchReturn.valueOf(option));
                } catch (IllegalArgumentException e) {
                    throw r.error("unknown search return option " + ImapCommandParser.abbreviate(option));
                }
            } while (r.consume(' '));
        } else {
            returns.add(Command.SearchReturn.ALL);
        }
        r.endList();
        return Collections.unmodifiableSet(returns);
    }

    private SearchKey key() throws ImapSyntaxException {
        if (++keys > ImapCommandParser.MAX_SEARCH_KEYS) {
            throw r.error("more than " + ImapCommandParser.MAX_SEARCH_KEYS + " search keys");
        }
        int c = r.peek();
        if (c == '(') {
            enter();
            r.beginList();
            List<SearchKey> list = new ArrayList<>();
            do {
                list.add(key());
            } while (r.consume(' '));
            r.endList();
            nesting--;
            return new SearchKey.And(list);
        }
        if ((c >= '0' && c <= '9') || c == '*' || c == '$') {
            return new SearchKey.Seq(r.sequenceSet());
        }
        String name = keyword(r);
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag("\\Answered", true);
            case "DELETED" -> new SearchKey.Flag("\\Deleted", true);
            case "DRAFT" -> new SearchKey.Flag("\\Draft", true);
            case "FLAGGED" -> new SearchKey.Flag("\\Flagged", true);
            case "SEEN" -> new SearchKey.Flag("\\Seen", true);
            case "UNANSWERED" -> new SearchKey.Flag("\\Answered", false);
            case "UNDELETED" -> new SearchKey.Flag("\\Deleted", false);
            case "UNDRAFT" -> new SearchKey.Flag("\\Draft", false);
            case "UNFLAGGED" -> new SearchKey.Flag("\\Flagged", false);
            case "UNSEEN" -> new SearchKey.Flag("\\Seen", false);
            // RFC 3501 6.4.4: gone from RFC 9051, still sent by IMAP4rev1 clients.
            case "NEW" -> SearchKey.Recent.NEW;
            case "OLD" -> SearchKey.Recent.OLD;
            case "RECENT" -> SearchKey.Recent.RECENT;
            case "KEYWORD" -> new SearchKey.Keyword(argAtom(), true);
            case "UNKEYWORD" -> new SearchKey.Keyword(argAtom(), false);
            case "BCC" -> new SearchKey.Header("Bcc", arg());
            case "CC" -> new SearchKey.Header("Cc", arg());
            case "FROM" -> new SearchKey.Header("From", arg());
            case "TO" -> new SearchKey.Header("To", arg());
            case "SUBJECT" -> new SearchKey.Header("Subject", arg());
            case "HEADER" -> new SearchKey.Header(arg(), arg());
            case "BODY" -> new SearchKey.Body(arg());
            case "TEXT" -> new SearchKey.Text(arg());
            case "BEFORE" -> date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.BEFORE);
            case "ON" -> date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON);
            case "SINCE" -> date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE);
            case "SENTBEFORE" -> date(SearchKey.DateField.SENT, SearchKey.DateOp.BEFORE);
            case "SENTON" -> date(SearchKey.DateField.SENT, SearchKey.DateOp.ON);
            case "SENTSINCE" -> date(SearchKey.DateField.SENT, SearchKey.DateOp.SINCE);
            case "LARGER" -> new SearchKey.Size(true, argNumber64());
            case "SMALLER" -> new SearchKey.Size(false, argNumber64());
            case "UID" -> {
                r.space();
                yield new SearchKey.Uid(r.sequenceSet());
            }
            case "NOT" -> {
                enter();
                r.space();
                SearchKey k = key();
                nesting--;
                yield new SearchKey.Not(k);
            }
            case "OR" -> {
                enter();
                r.space();
                SearchKey left = key();
                r.space();
                SearchKey right = key();
                nesting--;
                yield new SearchKey.Or(left, right);
            }
            case "MODSEQ" -> modSeq();
            default -> throw r.error("unknown search key " + ImapCommandParser.abbreviate(name));
        };
    }

    private void enter() throws ImapSyntaxException {
        if (++nesting > ImapCommandParser.MAX_SEARCH_NESTING) {
            throw r.error("search keys nested deeper than " + ImapCommandParser.MAX_SEARCH_NESTING);
        }
    }

    /** An astring argument; literals decoded in the CHARSET. */
    private String arg() throws ImapSyntaxException {
        r.space();
        return r.astring(charset);
    }

    /** RFC 9051 9: {@code flag-keyword} is an atom. */
    private String argAtom() throws ImapSyntaxException {
        r.space();
        return r.atom();
    }

    private long argNumber64() throws ImapSyntaxException {
        r.space();
        return r.number64();
    }

    /**
     * RFC 7162 3.1.5: {@code "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer},
     * {@code entry-name = DQUOTE "/flags/" attr-flag DQUOTE}, {@code entry-type-req = "priv" /
     * "shared" / "all"}. The entry is checked and dropped: Mailroom keeps one mod-sequence per
     * message, not per flag.
     */
    private SearchKey modSeq() throws ImapSyntaxException {
        r.space();
        if (r.peek() == '"') {
            String entry = r.quoted();
            if (!entry.regionMatches(true, 0, "/flags/", 0, 7) || entry.length() == 7) {
                throw r.error("MODSEQ entry name must be \"/flags/<flag>\"");
            }
            r.space();
            String type = keyword(r);
            if (!type.equals("PRIV") && !type.equals("SHARED") && !type.equals("ALL")) {
                throw r.error("MODSEQ entry type must be priv, shared or all");
            }
            r.space();
        }
        return new SearchKey.ModSeq(r.number64());
    }

    /**
     * RFC 9051 9: {@code date = date-text / DQUOTE date-text DQUOTE}, {@code date-text = date-day
     * "-" date-month "-" date-year}, {@code date-day = 1*2DIGIT}, month names case-insensitive.
     */
    private SearchKey date(SearchKey.DateField field, SearchKey.DateOp op) throws ImapSyntaxException {
        r.space();
        String text = r.peek() == '"' ? r.quoted() : r.atom();
        return new SearchKey.Date(field, op, parseDate(r, text));
    }

    static LocalDate parseDate(ImapReader r, String text) throws ImapSyntaxException {
        int first = text.indexOf('-');
        int second = first < 0 ? -1 : text.indexOf('-', first + 1);
        if (first < 1 || first > 2 || second != first + 4 || text.length() != second + 5) {
            throw r.error("bad date, expected d-Mon-yyyy");
        }
        int day = 0;
        for (int i = 0; i < first; i++) {
            day = day * 10 + digit(r, text.charAt(i));
        }
        int month = MailboxCommandParser.month(text.substring(first + 1, second));
        int year = 0;
        for (int i = second + 1; i < text.length(); i++) {
            year = year * 10 + digit(r, text.charAt(i));
        }
        try {
            if (month == 0) {
                throw new DateTimeException("month");
            }
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw r.error("bad date " + ImapCommandParser.abbreviate(text));
        }
    }

    private static int digit(ImapReader r, char c) throws ImapSyntaxException {
        if (c < '0' || c > '9') {
            throw r.error("bad digit in date");
        }
        return c - '0';
    }
}
