package org.mailroom.imap.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code address} lists of ENVELOPE (RFC 9051 7.5.2, RFC 3501 7.4.2): a lenient parser of
 * RFC 5322 3.4 {@code address-list} with groups, routes (RFC 5322 4.4 obs-route) and comments,
 * written straight into IMAP form. Names stay raw (RFC 2047 words are not decoded).
 *
 * <p>Like Dovecot 2.3: a display name is the phrase's words joined by one space, or else the first
 * comment ({@code bob@y (Bob)}); a missing local part is {@code MISSING_MAILBOX} and a missing
 * domain {@code MISSING_DOMAIN} (a NIL host would announce a group, RFC 9051 7.5.2); junk after an
 * address up to the next comma is ignored.
 */
final class Addresses {

    /** Addresses written per list; the rest of a huge list is dropped. */
    static final int MAX_ADDRESSES = 10_000;

    static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    private enum T { ATOM, QUOTED, LITERAL, COMMENT, SPECIAL }

    private record Tok(T type, String text) {
        boolean is(char c) {
            return type == T.SPECIAL && text.charAt(0) == c;
        }

        boolean word() {
            return type == T.ATOM || type == T.QUOTED;
        }
    }

    private final List<Tok> toks;
    private int i;
    private final ImapOut out;
    private int written;

    private Addresses(List<Tok> toks, ImapOut out) {
        this.toks = toks;
        this.out = out;
    }

    /** Writes {@code (address...)} or {@code NIL} when the field is absent or holds no address. */
    static void write(ImapOut out, String value) {
        if (value == null) {
            out.nil();
            return;
        }
        int mark = out.size();
        out.c('(');
        Addresses a = new Addresses(tokenize(value), out);
        a.list();
        if (a.written == 0) {
            out.truncate(mark);
            out.nil();
        } else {
            out.c(')');
        }
    }

    private Tok peek() {
        return i < toks.size() ? toks.get(i) : null;
    }

    private void list() {
        while (i < toks.size() && written < MAX_ADDRESSES) {
            Tok t = peek();
            if (t.is(',') || t.is(';') || t.is('>')) {
                i++;
                continue;
            }
            int before = i;
            address(false);
            if (i == before) {
                i++;
            }
        }
    }

    private void address(boolean inGroup) {
        List<String> phrase = new ArrayList<>();
        String comment = null;
        boolean quoted = false;
        while (peek() != null && (peek().word() || peek().type == T.COMMENT)) {
            Tok t = toks.get(i++);
            if (t.type == T.COMMENT) {
                comment = comment == null ? t.text : comment;
            } else {
                phrase.add(t.text);
                quoted |= t.type == T.QUOTED;
            }
        }
        Tok t = peek();
        if (t != null && t.is(':') && !inGroup) {
            i++;
            emit(null, null, String.join(" ", phrase), null);
            while (peek() != null && !peek().is(';') && written < MAX_ADDRESSES) {
                if (peek().is(',')) {
                    i++;
                    continue;
                }
                int before = i;
                address(true);
                if (i == before) {
                    i++;
                }
            }
            if (peek() != null) {
                i++;
            }
            emit(null, null, null, null);
            return;
        }
        if (t != null && t.is('<')) {
            i++;
            angle(phrase.isEmpty() ? null : String.join(" ", phrase), comment, inGroup);
            return;
        }
        if (t != null && t.is('@')) {
            i++;
            String local = String.join("", phrase);
            String domain = domain();
            comment = trailingComment(comment);
            emit(comment, null, local.isEmpty() ? MISSING_MAILBOX : local, domain);
            skipJunk(inGroup);
            return;
        }
        if (phrase.size() == 1 && !quoted) {
            // XXX "To: foo" without a domain: Dovecot's MISSING_DOMAIN, not a NIL host
            emit(comment, null, phrase.get(0), MISSING_DOMAIN);
            skipJunk(inGroup);
        } else if (!phrase.isEmpty()) {
            // a display name without an address ("To: John Smith"), as Dovecot reads it
            emit(String.join(" ", phrase), null, MISSING_MAILBOX, MISSING_DOMAIN);
            skipJunk(inGroup);
        }
    }

    private void angle(String name, String comment, boolean inGroup) {
        String route = null;
        if (peek() != null && peek().is('@')) {
            StringBuilder r = new StringBuilder();
            while (peek() != null && !peek().is(':') && !peek().is('>')) {
                Tok t = toks.get(i++);
                if (t.type != T.COMMENT) {
                    r.append(t.text);
                }
            }
            if (peek() != null && peek().is(':')) {
                i++;
                route = r.toString();
            }
        }
        StringBuilder local = new StringBuilder();
        while (peek() != null && !peek().is('@') && !peek().is('>')) {
            Tok t = toks.get(i++);
            if (t.word() || t.is('.')) {
                local.append(t.text);
            } else if (t.type == T.COMMENT && comment == null) {
                comment = t.text;
            }
        }
        String domain = MISSING_DOMAIN;
        if (peek() != null && peek().is('@')) {
            i++;
            domain = domain();
            while (peek() != null && !peek().is('>')) {
                i++;
            }
        }
        if (peek() != null && peek().is('>')) {
            i++;
        }
        if (name == null) {
            name = trailingComment(comment);
        }
        emit(name, route, local.length() == 0 ? MISSING_MAILBOX : local.toString(), domain);
        skipJunk(inGroup);
    }

    private String domain() {
        StringBuilder d = new StringBuilder();
        while (peek() != null && (peek().type == T.ATOM || peek().type == T.LITERAL)) {
            d.append(toks.get(i++).text);
        }
        return d.length() == 0 ? MISSING_DOMAIN : d.toString();
    }

    private String trailingComment(String comment) {
        while (peek() != null && peek().type == T.COMMENT) {
            Tok t = toks.get(i++);
            if (comment == null) {
                comment = t.text;
            }
        }
        return comment;
    }

    private void skipJunk(boolean inGroup) {
        while (peek() != null && !peek().is(',') && !(inGroup && peek().is(';'))) {
            i++;
        }
    }

    private void emit(String name, String route, String mailbox, String host) {
        written++;
        out.c('(');
        if (name == null || name.isEmpty()) {
            out.nil();
        } else {
            out.humans(name);
        }
        out.c(' ').nstring(route).c(' ')
                .nstring(mailbox).c(' ').nstring(host).c(')');
    }

    private static final String SPECIALS = "<>@,;:\\]";
    private static final Tok[] SPECIAL_TOKS = new Tok[SPECIALS.length()];

    static {
        for (int k = 0; k < SPECIALS.length(); k++) SPECIAL_TOKS[k] = new Tok(T.SPECIAL, SPECIALS.substring(k, k + 1));
    }

    /** The one token of a special character, or null. */
    private static Tok special(char ch) {
        int k = SPECIALS.indexOf(ch);
        return k < 0 ? null : SPECIAL_TOKS[k];
    }

    private static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        MimeValues.Cursor c = new MimeValues.Cursor(s);
        while (c.more()) {
            char ch = s.charAt(c.i);
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
                c.i++;
            } else if (ch == '(') {
                out.add(new Tok(T.COMMENT, c.comment()));
            } else if (ch == '"') {
                out.add(new Tok(T.QUOTED, c.quoted()));
            } else if (ch == '[') {
                int end = s.indexOf(']', c.i);
                end = end < 0 ? s.length() : end + 1;
                out.add(new Tok(T.LITERAL, s.substring(c.i, end)));
                c.i = end;
            } else if (special(ch) != null) {
                out.add(special(ch));
                c.i++;
            } else {
                int start = c.i;
                while (c.i < s.length()) {
                    char a = s.charAt(c.i);
                    if (a <= ' ' || a == 0x7F || "()<>@,;:\\\"[]".indexOf(a) >= 0) {
                        break;
                    }
                    c.i++;
                }
                if (c.i == start) {
                    c.i++;
                    continue;
                }
                out.add(new Tok(T.ATOM, s.substring(start, c.i)));
            }
        }
        return out;
    }
}
