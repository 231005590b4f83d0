package org.mailroom.imap.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tokenizer over one IMAP command line, without its CRLF (RFC 9051 section 9). It reads the
 * pieces a command parser needs, one call at a time, and throws {@link ImapSyntaxException} at the
 * first thing that does not fit; the caller turns that into {@code BAD}. It knows no commands and
 * no session.
 *
 * <p>A literal cannot be read here: the line ends at its announcement. {@link #literalMarker()}
 * recognises {@code {n}} or {@code {n+}} as the last thing on the line; the session then reads the
 * octets in counted mode and continues with the next line.
 *
 * <p>Not thread-safe; one instance per line.
 */
public final class ImapReader {

    /** Deepest parenthesised list nesting {@link #beginList()} and {@link #list()} accept. */
    public static final int MAX_DEPTH = 16;

    /** Largest {@code number} (RFC 9051 9): 2^32 - 1. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /** Largest {@code number64} (RFC 9051 9), also the bound for literal sizes. */
    public static final long MAX_NUMBER64 = Long.MAX_VALUE;

    private final String line;
    private int pos;
    private int depth;

    public ImapReader(String line) {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a command line has no CR or LF");
        }
        this.line = line;
    }

    /** Current offset into the line (for error messages and tests). */
    public int position() {
        return pos;
    }

    /** Current list nesting depth. */
    public int depth() {
        return depth;
    }

    /** Whether the whole line has been consumed. */
    public boolean atEnd() {
        return pos >= line.length();
    }

    /** The next character without consuming it, or -1 at the end. */
    public int peek() {
        return atEnd() ? -1 : line.charAt(pos);
    }

    /** Consumes {@code c} if it is next and says whether it did. */
    public boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Requires exactly one SP. */
    public void space() throws ImapSyntaxException {
        expect(' ');
    }

    /** Requires {@code c} next. */
    public void expect(char c) throws ImapSyntaxException {
        if (!consume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** Requires the end of the line (RFC 9051: no trailing spaces). */
    public void end() throws ImapSyntaxException {
        if (!atEnd()) {
            throw error("unexpected characters at end of line");
        }
    }

    /** {@code atom = 1*ATOM-CHAR}. */
    public String atom() throws ImapSyntaxException {
        int start = pos;
        while (!atEnd() && ImapStrings.isAtomChar(line.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected an atom");
        }
        return line.substring(start, pos);
    }

    /** {@code 1*ASTRING-CHAR}: an atom that may also contain {@code ]}. */
    public String astringAtom() throws ImapSyntaxException {
        int start = pos;
        while (!atEnd() && (ImapStrings.isAtomChar(line.charAt(pos)) || line.charAt(pos) == ']')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected an atom");
        }
        return line.substring(start, pos);
    }

    /**
     * {@code quoted = DQUOTE *QUOTED-CHAR DQUOTE}, with {@code \"} and {@code \\} the only escapes.
     * Non-ASCII characters are accepted (RFC 9051 allows UTF-8 in quoted strings).
     */
    public String quoted() throws ImapSyntaxException {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error("unterminated quoted string");
            }
            char c = line.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (atEnd()) {
                    throw error("unterminated quoted string");
                }
                char e = line.charAt(pos++);
                if (e != '"' && e != '\\') {
                    pos--;
                    throw error("only \\\" and \\\\ may be escaped in a quoted string");
                }
                sb.append(e);
            } else if (c == 0) {
                pos--;
                throw error("NUL in quoted string");
            } else {
                sb.append(c);
            }
        }
    }

    /**
     * An {@code astring} that is on this line: a quoted string or {@code 1*ASTRING-CHAR}. When
     * {@link #peek()} is {@code '{'} the caller must use {@link #literalMarker()} instead.
     */
    public String astring() throws ImapSyntaxException {
        if (peek() == '"') {
            return quoted();
        }
        if (peek() == '{') {
            throw error("literal where a string on this line was expected");
        }
        return astringAtom();
    }

    /** {@code number}: 1*DIGIT up to 2^32 - 1. */
    public long number() throws ImapSyntaxException {
        return digits(MAX_NUMBER);
    }

    /** {@code nz-number}: like {@link #number()} without leading zero and not 0. */
    public long nzNumber() throws ImapSyntaxException {
        if (peek() == '0') {
            throw error("expected a non-zero number");
        }
        return digits(MAX_NUMBER);
    }

    /** {@code number64}: 1*DIGIT up to 2^63 - 1. */
    public long number64() throws ImapSyntaxException {
        return digits(MAX_NUMBER64);
    }

    private long digits(long max) throws ImapSyntaxException {
        int start = pos;
        long n = 0;
        while (!atEnd() && line.charAt(pos) >= '0' && line.charAt(pos) <= '9') {
            int d = line.charAt(pos) - '0';
            if (n > (max - d) / 10) {
                pos = start;
                throw error("number exceeds " + max);
            }
            n = n * 10 + d;
            pos++;
        }
        if (pos == start) {
            throw error("expected a number");
        }
        return n;
    }

    /** A {@code sequence-set} (see {@link SequenceSet}): the run of {@code 0-9 : , * $}. */
    public SequenceSet sequenceSet() throws ImapSyntaxException {
        int start = pos;
        while (!atEnd() && "0123456789:,*$".indexOf(line.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return SequenceSet.parse(line.substring(start, pos));
        } catch (ImapSyntaxException e) {
            pos = start;
            throw error(e.getMessage());
        }
    }

    /** Opens a parenthesised list: consumes {@code (} and checks {@link #MAX_DEPTH}. */
    public void beginList() throws ImapSyntaxException {
        if (depth == MAX_DEPTH) {
            throw error("lists nested deeper than " + MAX_DEPTH);
        }
        expect('(');
        depth++;
    }

    /** Closes the innermost open list: consumes {@code )}. */
    public void endList() throws ImapSyntaxException {
        if (depth == 0) {
            throw error("')' without '('");
        }
        expect(')');
        depth--;
    }

    /**
     * A whole parenthesised list of atoms, quoted strings and nested lists, separated by single
     * spaces: atoms and quoted strings become {@code String}s (an atom keeps its text, so
     * {@code NIL} and {@code "NIL"} are not told apart), nested lists become {@code List}s. For
     * simple arguments such as flag lists; command-specific lists use {@link #beginList()}.
     */
    public List<Object> list() throws ImapSyntaxException {
        beginList();
        List<Object> items = new ArrayList<>();
        if (!consume(')')) {
            while (true) {
                int c = peek();
                if (c == '(') {
                    items.add(list());
                } else if (c == '"') {
                    items.add(quoted());
                } else if (c == '{') {
                    throw error("literal inside a list is not supported here");
                } else {
                    items.add(listAtom());
                }
                if (consume(')')) {
                    break;
                }
                space();
            }
        }
        depth--;
        return Collections.unmodifiableList(items);
    }

    /** Atoms in lists may hold {@code \} (flags) and {@code * % ]} (fetch sections, patterns). */
    private String listAtom() throws ImapSyntaxException {
        int start = pos;
        while (!atEnd()) {
            char c = line.charAt(pos);
            if (c == '(' || c == ')' || c == ' ' || c == '"' || c == '{' || c < 0x20 || c >= 0x7F) {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected an atom, a string or a list");
        }
        return line.substring(start, pos);
    }

    /**
     * A literal announcement {@code {n}} or {@code {n+}} that ends the line (RFC 9051 4.3, RFC 7888);
     * after it the reader is {@link #atEnd()}.
     */
    public LiteralMarker literalMarker() throws ImapSyntaxException {
        int start = pos;
        try {
            expect('{');
            long size = number64();
            boolean nonSync = consume('+');
            expect('}');
            if (!atEnd()) {
                throw error("a literal announcement must end the line");
            }
            return new LiteralMarker(size, nonSync);
        } catch (ImapSyntaxException e) {
            pos = start;
            throw e;
        }
    }

    /** Whether the rest of the line is a literal announcement (without consuming anything). */
    public boolean atLiteral() {
        if (peek() != '{' || !line.endsWith("}")) {
            return false;
        }
        int save = pos;
        try {
            literalMarker();
            return true;
        } catch (ImapSyntaxException e) {
            return false;
        } finally {
            pos = save;
        }
    }

    private ImapSyntaxException error(String message) {
        return new ImapSyntaxException(message + " at column " + (pos + 1));
    }
}
