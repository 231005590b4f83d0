package org.mailroom.imap.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a whole {@link CommandText} into a tag and a {@link Command} (RFC 9051 9 grammar). Knows
 * nothing of sessions or state: a syntax error is an {@link ImapSyntaxException}, which the session
 * answers with {@code BAD}; an unsupported SEARCH charset is the subclass
 * {@link BadCharsetException} ({@code NO [BADCHARSET]}).
 *
 * <p>Command names, keywords and options are case-insensitive (RFC 9051 9, "Note 1"); values
 * (mailbox names, flags, strings) come back as sent. Every list a client can make long is bounded
 * by one of the {@code MAX_} constants, and nesting by {@link ImapReader#MAX_DEPTH}.
 *
 * <p>The session-level commands are here; mailbox commands are in {@link MailboxCommandParser},
 * SEARCH in {@link SearchParser}, FETCH in {@link FetchParser}.
 */
public final class ImapCommandParser {

    /** Most flags in one STORE or APPEND flag list. */
    public static final int MAX_FLAGS = 1_000;

    /** Most items in other client lists (ENABLE capabilities, SETQUOTA resources, CREATE USE). */
    public static final int MAX_LIST_ITEMS = 1_000;

    /** Most search keys in one SEARCH, counting every key at every level. */
    public static final int MAX_SEARCH_KEYS = 1_000;

    /** Deepest nesting of NOT, OR and parenthesised lists in a SEARCH. */
    public static final int MAX_SEARCH_NESTING = 256;

    /** Most items in one FETCH item list, and most field names in one HEADER.FIELDS list. */
    public static final int MAX_FETCH_ITEMS = 1_000;

    /** Most patterns in one LIST pattern list (RFC 5258 3). */
    public static final int MAX_PATTERNS = 1_000;

    /** RFC 2971 3.3: at most 30 field-value pairs, fields at most 30 octets, values at most 1024. */
    public static final int MAX_ID_PAIRS = 30;

    private ImapCommandParser() {}

    /** A tag and its command. */
    public record Tagged(String tag, Command command) {}

    /**
     * The tag of a command line, or {@code null} when the line does not start with a valid tag
     * (the session then answers {@code * BAD}).
     */
    public static String tagOf(String firstLine) {
        int end = tagEnd(firstLine);
        return end < 0 ? null : firstLine.substring(0, end);
    }

    /** RFC 9051 9: {@code tag = 1*<any ASTRING-CHAR except "+">}; -1 if there is none. */
    private static int tagEnd(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != ' ') {
            char c = line.charAt(i);
            if (c == '+' || !(ImapStrings.isAtomChar(c) || c == ']')) {
                return -1;
            }
            i++;
        }
        return i == 0 ? -1 : i;
    }

    /**
     * The command name (upper-cased; {@code "UID FETCH"} for UID commands) of a first line, or
     * {@code null}. Lets the session choose a literal size limit (APPEND) before the octets arrive.
     * The name is not checked against the known commands.
     */
    public static String commandName(String firstLine) {
        int end = tagEnd(firstLine);
        if (end < 0 || end >= firstLine.length()) {
            return null;
        }
        String name = atomAt(firstLine, end + 1);
        if (name == null) {
            return null;
        }
        name = name.toUpperCase(Locale.ROOT);
        if (name.equals("UID")) {
            int next = end + 1 + name.length();
            String sub = next < firstLine.length() && firstLine.charAt(next) == ' '
                    ? atomAt(firstLine, next + 1) : null;
            return sub == null ? null : "UID " + sub.toUpperCase(Locale.ROOT);
        }
        return name;
    }

    private static String atomAt(String line, int start) {
        int i = start;
        while (i < line.length() && ImapStrings.isAtomChar(line.charAt(i))) {
            i++;
        }
        return i == start ? null : line.substring(start, i);
    }

    /** Parses a whole command (its lines and literals). */
    public static Tagged parse(CommandText text) throws ImapSyntaxException {
        ImapReader r = new ImapReader(text);
        int end = tagEnd(text.lines().get(0));
        if (end < 0) {
            throw new ImapSyntaxException("line does not start with a tag");
        }
        String tag = r.astringAtom();
        if (r.position() != end) {
            throw r.error("bad tag");
        }
        if (r.atEnd()) {
            throw r.error("missing command after tag");
        }
        r.space();
        String name = keyword(r);
        Command command = command(name, r);
        r.end();
        return new Tagged(tag, command);
    }

    private static Command command(String name, ImapReader r) throws ImapSyntaxException {
        return switch (name) {
            case "CAPABILITY" -> new Command.Capability();
            case "NOOP" -> new Command.Noop();
            case "LOGOUT" -> new Command.Logout();
            case "STARTTLS" -> new Command.StartTls();
            case "NAMESPACE" -> new Command.Namespace();
            case "IDLE" -> new Command.Idle();
            case "CHECK" -> new Command.Check();
            case "CLOSE" -> new Command.Close();
            case "UNSELECT" -> new Command.Unselect();
            case "AUTHENTICATE" -> authenticate(r);
            case "LOGIN" -> login(r);
            case "ENABLE" -> enable(r);
            case "ID" -> id(r);
            case "COMPRESS" -> compress(r);
            case "SELECT" -> MailboxCommandParser.select(r, false);
            case "EXAMINE" -> MailboxCommandParser.select(r, true);
            case "CREATE" -> MailboxCommandParser.create(r);
            case "DELETE" -> new Command.Delete(MailboxCommandParser.oneMailbox(r));
            case "RENAME" -> MailboxCommandParser.rename(r);
            case "SUBSCRIBE" -> new Command.Subscribe(MailboxCommandParser.oneMailbox(r));
            case "UNSUBSCRIBE" -> new Command.Unsubscribe(MailboxCommandParser.oneMailbox(r));
            case "LIST" -> MailboxCommandParser.list(r);
            case "LSUB" -> MailboxCommandParser.lsub(r);
            case "STATUS" -> MailboxCommandParser.status(r);
            case "APPEND" -> MailboxCommandParser.append(r);
            case "EXPUNGE" -> new Command.Expunge(null);
            case "SEARCH" -> SearchParser.search(r, false);
            case "FETCH" -> FetchParser.fetch(r, false);
            case "STORE" -> MessageCommandParser.store(r, false);
            case "COPY" -> MessageCommandParser.copyOrMove(r, false, false);
            case "MOVE" -> MessageCommandParser.copyOrMove(r, false, true);
            case "UID" -> uid(r);
            case "GETQUOTA" -> new Command.GetQuota(MailboxCommandParser.oneMailbox(r));
            case "GETQUOTAROOT" -> new Command.GetQuotaRoot(MailboxCommandParser.oneMailbox(r));
            case "SETQUOTA" -> setQuota(r);
            default -> throw new ImapSyntaxException("unknown command " + abbreviate(name));
        };
    }

    // ------------------------------------------------------------------ session-level commands

    /** RFC 9051 6.2.2, RFC 4959 SASL-IR: {@code AUTHENTICATE SP auth-type [SP (base64 / "=")]}. */
    private static Command authenticate(ImapReader r) throws ImapSyntaxException {
        r.space();
        String mechanism = r.atom().toUpperCase(Locale.ROOT);
        String initial = null;
        if (r.consume(' ')) {
            initial = r.atom();
            if (!initial.equals("=") && !isBase64(initial)) {
                throw r.error("initial response is not base64");
            }
        }
        return new Command.Authenticate(mechanism, initial);
    }

    /** RFC 9051 9: {@code base64 = *(4base64-char) [base64-terminal]}, here at least one group. */
    static boolean isBase64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0) {
            return false;
        }
        int pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        for (int i = 0; i < s.length() - pad; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9051 6.2.3: {@code LOGIN SP userid SP password}, both astrings (quoted, literal, atom). */
    private static Command login(ImapReader r) throws ImapSyntaxException {
        r.space();
        String user = r.astring();
        r.space();
        String password = r.astring();
        return new Command.Login(user, password);
    }

    /** RFC 5161 3.1: {@code ENABLE 1*(SP capability)}. */
    private static Command enable(ImapReader r) throws ImapSyntaxException {
        List<String> capabilities = new ArrayList<>();
        do {
            r.space();
            if (capabilities.size() == MAX_LIST_ITEMS) {
                throw r.error("more than " + MAX_LIST_ITEMS + " capabilities");
            }
            capabilities.add(r.atom().toUpperCase(Locale.ROOT));
        } while (!r.atEnd());
        return new Command.Enable(List.copyOf(capabilities));
    }

    /** RFC 2971 4: {@code ID SP ("(" [string SP nstring *(SP string SP nstring)] ")" / NIL)}. */
    private static Command id(ImapReader r) throws ImapSyntaxException {
        r.space();
        if (r.peek() != '(') {
            if (!r.atom().equalsIgnoreCase("NIL")) {
                throw r.error("expected a parameter list or NIL");
            }
            return new Command.Id(null);
        }
        r.beginList();
        Map<String, String> params = new LinkedHashMap<>();
        if (r.peek() != ')') {
            while (true) {
                if (params.size() == MAX_ID_PAIRS) {
                    throw r.error("more than " + MAX_ID_PAIRS + " ID field-value pairs");
                }
                String field = r.string();
                // RFC 2971 3.3: field strings at most 30 octets, values at most 1024.
                if (field.length() > 30) {
                    throw r.error("ID field longer than 30 octets");
                }
                r.space();
                String value = r.nstring();
                if (value != null && value.length() > 1024) {
                    throw r.error("ID value longer than 1024 octets");
                }
                // XXX a repeated field keeps its first value: RFC 2971 does not say, and a client
                // repeating one gains nothing from either choice.
                params.putIfAbsent(field, value);
                if (r.peek() == ')') {
                    break;
                }
                r.space();
            }
        }
        r.endList();
        return new Command.Id(Collections.unmodifiableMap(params));
    }

    /** RFC 4978 3: {@code COMPRESS SP algorithm}. */
    private static Command compress(ImapReader r) throws ImapSyntaxException {
        r.space();
        return new Command.Compress(r.atom().toUpperCase(Locale.ROOT));
    }

    /** RFC 9051 6.4.9: {@code UID SP (copy / move / fetch / search / store / uid-expunge)}. */
    private static Command uid(ImapReader r) throws ImapSyntaxException {
        r.space();
        String name = keyword(r);
        return switch (name) {
            case "FETCH" -> FetchParser.fetch(r, true);
            case "SEARCH" -> SearchParser.search(r, true);
            case "STORE" -> MessageCommandParser.store(r, true);
            case "COPY" -> MessageCommandParser.copyOrMove(r, true, false);
            case "MOVE" -> MessageCommandParser.copyOrMove(r, true, true);
            case "EXPUNGE" -> MessageCommandParser.uidExpunge(r);
            default -> throw r.error("unknown UID command " + abbreviate(name));
        };
    }

    /**
     * RFC 9208 4.1.3: {@code SETQUOTA SP quota-root-name SP "(" [resource-name SP resource-limit
     * *(SP resource-name SP resource-limit)] ")"}; a resource named twice keeps the last limit.
     */
    private static Command setQuota(ImapReader r) throws ImapSyntaxException {
        r.space();
        String root = r.astring();
        r.space();
        r.beginList();
        Map<String, Long> limits = new LinkedHashMap<>();
        if (r.peek() != ')') {
            do {
                if (limits.size() == MAX_LIST_ITEMS) {
                    throw r.error("more than " + MAX_LIST_ITEMS + " quota resources");
                }
                String resource = keyword(r);
                r.space();
                limits.put(resource, r.number64());
            } while (r.consume(' '));
        }
        r.endList();
        return new Command.SetQuota(root, Collections.unmodifiableMap(limits));
    }

    // ------------------------------------------------------------------ helpers shared by the parsers

    /** A command name, option or search key: an atom, upper-cased. */
    static String keyword(ImapReader r) throws ImapSyntaxException {
        return r.atom().toUpperCase(Locale.ROOT);
    }

    /** RFC 9051 9: {@code mailbox = "INBOX" / astring}, returned as sent. */
    static String mailbox(ImapReader r) throws ImapSyntaxException {
        return r.astring();
    }

    /**
     * RFC 9051 9: {@code flag = "\Answered" / ... / flag-keyword / flag-extension}, where
     * {@code flag-extension = "\" atom} and {@code flag-keyword} is an atom.
     */
    static String flag(ImapReader r) throws ImapSyntaxException {
        if (r.consume('\\')) {
            return "\\" + r.atom();
        }
        return r.atom();
    }

    /** RFC 9051 9: {@code flag-list = "(" [flag *(SP flag)] ")"}. */
    static List<String> flagList(ImapReader r) throws ImapSyntaxException {
        r.beginList();
        List<String> flags = new ArrayList<>();
        if (r.peek() != ')') {
            while (true) {
                if (flags.size() == MAX_FLAGS) {
                    throw r.error("more than " + MAX_FLAGS + " flags");
                }
                flags.add(flag(r));
                if (r.peek() == ')') {
                    break;
                }
                r.space();
            }
        }
        r.endList();
        return List.copyOf(flags);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
