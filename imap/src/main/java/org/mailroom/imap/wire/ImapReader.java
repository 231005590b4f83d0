package org.mailroom.imap.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tokenizer over one IMAP command line, without its CRLF (RFC 9051 section 9). It reads the
 * pieces a command parser needs, one call at a time, and throws {@link ImapSyntaxException} at the
 * first thing that does not fit; the caller turns that into {@code BAD}. It knows no commands and
 * no session.
 *
 * <p>Made over one line ({@link #ImapReader(String)}), a literal cannot be read: the line ends at
 * its announcement, {@link #literalMarker()} recognises {@code {n}} or {@code {n+}} as the last
 * thing on the line, and the session reads the octets in counted mode.
 *
 * <p>Made over a whole {@link CommandText} ({@link #ImapReader(CommandText)}), the reader walks all
 * its lines: where a string is expected ({@link #astring()}, {@link #string()}, {@link #nstring()},
 * {@link #list()}) and the line ends with a literal announcement, the value is the next literal
 * (decoded as strict UTF-8, or the charset given), and reading continues at the start of the next
 * line. {@link #literal()} returns the octets themselves (the APPEND message).
 *
 * <p>Not thread-safe; one instance per command.
 */
public final class ImapReader {

    /** Deepest parenthesised list nesting {@link #beginList()} and {@link #list()} accept. */
    public static final int MAX_DEPTH = 16;

    /** Largest {@code number} (RFC 9051 9): 2^32 - 1. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /** Largest {@code number64} (RFC 9051 9), also the bound for literal sizes. */
    public static final long MAX_NUMBER64 = Long.MAX_VALUE;

    /**
     * Largest literal {@link #astring()}, {@link #string()} and friends decode into a String
     * (a search text, a password, a mailbox name); larger ones are BAD. The APPEND message is read
     * with {@link #literal()}, which has no such bound (the session limits it before the octets
     * arrive).
     */
    public static final int MAX_TEXT_LITERAL = 64 * 1024;

    private final List<String> lines;
    private final List<Literal> literals;
    private int lineIndex;
    private String line;
    private int pos;
    private int depth;

    /** A reader over one line: literals cannot be read, only recognised. */
    public ImapReader(String line) {
        this(List.of(line), List.of());
    }

    /** A reader over a whole command: its lines and the literals between them. */
    public ImapReader(CommandText text) {
        this(text.lines(), text.literals());
    }

    private ImapReader(List<String> lines, List<Literal> literals) {
        for (String l : lines) {
            if (l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a command line has no CR or LF");
            }
        }
        this.lines = lines;
        this.literals = literals;
        this.line = lines.get(0);
    }

    /** Index of the line being read, 0 for the first. */
    public int lineIndex() {
        return lineIndex;
    }

    /** Current offset into the line (for error messages and tests). */
    public int position() {
        return pos;
    }

    /** Current list nesting depth. */
    public int depth() {
        return depth;
    }

    /** Whether the current line has been consumed (see {@link #end()} for the whole command). */
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

    /** Requires the end of the command: its last line consumed (RFC 9051: no trailing spaces). */
    public void end() throws ImapSyntaxException {
        if (!atEnd() || lineIndex != lines.size() - 1) {
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

    /** The atom at the current position without consuming it, or {@code null} if none is there. */
    public String peekAtom() {
        int end = pos;
        while (end < line.length() && ImapStrings.isAtomChar(line.charAt(end))) {
            end++;
        }
        return end == pos ? null : line.substring(pos, end);
    }

    /**
     * {@code list-mailbox = 1*list-char / string} (RFC 9051 9), a LIST pattern: ATOM-CHAR plus
     * {@code % * ]}, or a quoted string or literal.
     */
    public String listMailbox() throws ImapSyntaxException {
        if (peek() == '"' || peek() == '{') {
            return string();
        }
        int start = pos;
        while (!atEnd()) {
            char c = line.charAt(pos);
            if (!ImapStrings.isAtomChar(c) && c != '%' && c != '*' && c != ']') {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected a mailbox pattern");
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
     * {@code astring}: a quoted string, a literal (over a {@link CommandText}; decoded as strict
     * UTF-8) or {@code 1*ASTRING-CHAR}. Over a single line a literal is an error: the caller uses
     * {@link #literalMarker()} instead.
     */
    public String astring() throws ImapSyntaxException {
        return astring(StandardCharsets.UTF_8);
    }

    /** {@link #astring()} with literals decoded in {@code charset} (SEARCH CHARSET). */
    public String astring(Charset charset) throws ImapSyntaxException {
        if (peek() == '{') {
            return literalText(charset);
        }
        if (peek() == '"') {
            return quoted();
        }
        return astringAtom();
    }

    /** {@code string = quoted / literal}; literals decoded as strict UTF-8. */
    public String string() throws ImapSyntaxException {
        return string(StandardCharsets.UTF_8);
    }

    /** {@link #string()} with literals decoded in {@code charset}. */
    public String string(Charset charset) throws ImapSyntaxException {
        if (peek() == '{') {
            return literalText(charset);
        }
        if (peek() == '"') {
            return quoted();
        }
        throw error("expected a string");
    }

    /** {@code nstring = string / NIL}: {@code null} for {@code NIL} (any case). */
    public String nstring() throws ImapSyntaxException {
        if (peek() == 'N' || peek() == 'n') {
            String atom = atom();
            if (!atom.equalsIgnoreCase("NIL")) {
                throw error("expected a string or NIL");
            }
            return null;
        }
        return string();
    }

    /** Whether the current line ends with a literal announcement and a literal follows it. */
    public boolean literalAvailable() {
        return atLiteral() && lineIndex < literals.size();
    }

    /**
     * The literal announced at the end of the current line ({@code {n}}, {@code {n+}}, or with
     * {@code binary} also RFC 3516 {@code literal8} {@code ~{n}}); reading continues at the start
     * of the next line.
     */
    public Literal literal(boolean binary) throws ImapSyntaxException {
        int start = pos;
        if (binary) {
            consume('~');
        }
        if (peek() != '{') {
            pos = start;
            throw error("expected a literal");
        }
        LiteralMarker marker = literalMarker();
        if (lineIndex >= literals.size()) {
            pos = start;
            throw error("literal " + marker + " announced but not received");
        }
        Literal literal = literals.get(lineIndex);
        if (literal.size() != marker.size()) {
            pos = start;
            throw error("literal of " + literal.size() + " octets where " + marker + " was announced");
        }
        lineIndex++;
        line = lines.get(lineIndex);
        pos = 0;
        return literal;
    }

    /** {@code literal} ({@code {n}} / {@code {n+}}): see {@link #literal(boolean)}. */
    public Literal literal() throws ImapSyntaxException {
        return literal(false);
    }

    /** The octets of a small literal, also when the session kept it outside memory. */
    private static byte[] octets(Literal literal) {
        try {
            return literal.bytes();
        } catch (IllegalStateException notInMemory) {
            try (java.io.InputStream in = literal.open()) {
                return in.readNBytes((int) literal.size());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private String literalText(Charset charset) throws ImapSyntaxException {
        if (!literalAvailable()) {
            throw error("literal where a string on this line was expected");
        }
        int start = pos;
        Literal literal = literal(false);
        if (literal.size() > MAX_TEXT_LITERAL) {
            throw new ImapSyntaxException("string literal of " + literal.size() + " octets exceeds "
                    + MAX_TEXT_LITERAL + " at line " + lineIndex + " column " + (start + 1));
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets(literal)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ImapSyntaxException("literal is not valid " + charset.name()
                    + " at line " + lineIndex + " column " + (start + 1));
        }
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
                    items.add(literalText(StandardCharsets.UTF_8));
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

    /**
     * The literal announcement that ends {@code line} ({@code {n}}, {@code {n+}}, {@code ~{n}},
     * {@code ~{n+}}), or {@code null}: lets the framing layer know that octets follow the line.
     * Only the end of the line is looked at; whether the announcement stands where the grammar
     * allows a literal is decided when the command is parsed.
     */
    public static LiteralMarker trailingLiteral(String line) {
        if (!line.endsWith("}")) {
            return null;
        }
        int open = line.lastIndexOf('{');
        if (open < 0) {
            return null;
        }
        ImapReader r = new ImapReader(line.substring(open).replace('\r', ' ').replace('\n', ' '));
        try {
            return r.literalMarker();
        } catch (ImapSyntaxException e) {
            return null;
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

    /** An exception for bad input at the current position. */
    public ImapSyntaxException error(String message) {
        String where = lineIndex == 0 ? " at column " + (pos + 1)
                : " at line " + (lineIndex + 1) + " column " + (pos + 1);
        return new ImapSyntaxException(message + where);
    }
}
