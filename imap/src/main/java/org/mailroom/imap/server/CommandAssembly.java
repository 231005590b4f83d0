package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.mailroom.core.frame.DataEnd;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.imap.wire.CommandText;
import org.mailroom.imap.wire.ImapCommandParser;
import org.mailroom.imap.wire.Literal;
import org.mailroom.imap.wire.LiteralMarker;

/**
 * Puts one command together from lines and literals (RFC 9051 4.3, RFC 7888) and enforces the
 * framing limits: literal size (small before login, {@code APPENDLIMIT} for APPEND), literals per
 * command, octets per command. It decides; the session acts on the {@link Action} it returns
 * (sends {@code + Ready}, answers, executes).
 *
 * <p>How the octets reach it: a non-synchronizing literal {@code {n+}} is switched to counted mode
 * by the frame decoder itself ({@link #announced}, given to
 * {@link org.mailroom.core.frame.LineDecoder#countedAfter}), because the client sends the octets at
 * once and a pipelined command may be waiting in the gate meanwhile; a synchronizing literal
 * {@code {n}} is switched by the session after it sent {@code +} (the client waits for it).
 *
 * <p>Refusals, and what happens to the rest of the command:
 * <ul>
 *   <li>a synchronizing literal over the limit: tagged {@code NO [TOOBIG]} for APPEND (RFC 7889 4),
 *       {@code BAD [TOOBIG]} otherwise, without {@code +}; the client does not send it, and the
 *       next line is a new command;</li>
 *   <li>a non-synchronizing literal over the limit (RFC 7888 4): tagged {@code BAD [TOOBIG]}, then
 *       its octets and the rest of the command are read and dropped; one so large that reading it
 *       is not worth it ({@link #DISCARD_LIMIT}) ends the connection with {@code BYE};</li>
 *   <li>a line too long (the decoder drops it): tagged {@code BAD} when its head shows the tag, else
 *       {@code * BAD}; a non-synchronizing literal announced at its end and the rest of the command
 *       are dropped the same way.</li>
 * </ul>
 * Literals are held in memory until the command runs, except an APPEND message over the spill
 * threshold: it is appended to a {@link ContentBuffer}, which the session writes to the spool
 * directory on the blocking executor, with input paused, each time {@link #spillDue} says so.
 *
 * <p>Event-loop only; one per session.
 */
final class CommandAssembly {
    /** Non-synchronizing literals over the limit but at most this large are read and dropped; larger ones end the connection. */
    static final long DISCARD_LIMIT = 64L * 1024 * 1024;

    enum Kind {
        /** Nothing to do until more input arrives. */
        MORE,
        /** Send {@code + Ready for literal data} and read {@link Action#octets} in counted mode. */
        GO_AHEAD,
        /** A whole command: execute {@link Action#text}. */
        COMMAND,
        /** Answer {@code <tag or *> NO|BAD [code] message}; the command is over. */
        NO, BAD,
        /** Answer {@code * BYE message} and close. */
        BYE
    }

    record Action(Kind kind, String tag, CommandText text, long octets, String code, String message) {
        static final Action MORE = new Action(Kind.MORE, null, null, 0, null, null);

        static Action refuse(Kind k, String tag, String code, String message) {
            return new Action(k, tag, null, 0, code, message);
        }
    }

    /** Where the assembly is between messages. */
    private enum Phase { IDLE, LITERAL, NEXT_LINE, SKIP_AFTER_TOO_LONG, SKIP_LITERAL, SKIP_NEXT_LINE }

    /** What the session knows that the limits depend on. */
    interface Limits {
        /** The largest literal for a command of this name ({@code APPEND}, {@code UID FETCH}, null: unknown). */
        long literalLimit(String commandName);
    }

    private final ImapSettings settings;
    private final Limits limits;
    private final io.netty.buffer.ByteBufAllocator alloc;

    private Phase phase = Phase.IDLE;
    private String tag;
    private String name;
    private List<String> lines;
    private List<Literal> literals;
    private ByteBuf literal;
    /** Instead of {@link #literal}: an APPEND message too large for memory. */
    private ContentBuffer spooled;
    private long size;
    /** Takes an unfinished spooled message when the command is dropped (deletes its file, off the loop). */
    private final java.util.function.Consumer<ContentBuffer> discard;

    CommandAssembly(ImapSettings settings, Limits limits, io.netty.buffer.ByteBufAllocator alloc,
                    java.util.function.Consumer<ContentBuffer> discard) {
        this.settings = settings;
        this.limits = limits;
        this.alloc = alloc;
        this.discard = discard;
    }

    /** For the frame decoder: the size of a non-synchronizing literal announced at the end of a line, or -1. */
    static long announced(String line) {
        LiteralMarker m = marker(line);
        return m != null && m.nonSynchronizing() ? m.size() : -1;
    }

    /** The literal announcement {@code {n}} or {@code {n+}} that ends a line (RFC 9051 4.3), or null. */
    static LiteralMarker marker(String line) {
        int n = line.length();
        if (n < 3 || line.charAt(n - 1) != '}') return null;
        int end = n - 1;
        boolean nonSync = line.charAt(end - 1) == '+';
        if (nonSync) end--;
        int open = line.lastIndexOf('{', end);
        if (open < 0 || open == end - 1 || end - open - 1 > 18) return null;
        long size = 0;
        for (int i = open + 1; i < end; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') return null;
            size = size * 10 + (c - '0');
        }
        return new LiteralMarker(size, nonSync);
    }

    /** True between commands: nothing half-read. */
    boolean idle() { return phase == Phase.IDLE || phase == Phase.SKIP_AFTER_TOO_LONG; }

    /** The tag of the command being read, or null. */
    String tag() { return tag; }

    Action line(String text) {
        switch (phase) {
            case SKIP_NEXT_LINE -> {
                skipAfter(marker(text));
                return Action.MORE;
            }
            case LITERAL, SKIP_LITERAL -> {
                return Action.MORE; // cannot happen: the decoder is counting octets
            }
            case IDLE, SKIP_AFTER_TOO_LONG -> {
                tag = ImapCommandParser.tagOf(text);
                name = ImapCommandParser.commandName(text);
                lines = new ArrayList<>(2);
                literals = new ArrayList<>(0);
                size = 0;
            }
            case NEXT_LINE -> { /* the command goes on */ }
        }
        lines.add(text);
        size += text.length() + 2;
        LiteralMarker m = marker(text);
        if (size > settings.maxCommandSize()) return refuse(m, Kind.BAD, null, "Command too long");
        if (m == null) {
            CommandText whole = new CommandText(lines, literals);
            String t = tag;
            literals = null; // the command's now: the session discards a spooled one after it ran
            clear();
            return new Action(Kind.COMMAND, t, whole, 0, null, null);
        }
        if (tag == null) return refuse(m, Kind.BAD, null, "Missing or invalid tag");
        if (literals.size() >= settings.maxLiterals()) return refuse(m, Kind.BAD, null, "Too many literals");
        long limit = limits.literalLimit(name);
        boolean message = "APPEND".equals(name);
        if (m.size() > limit || (!message && size + m.size() > settings.maxCommandSize())) {
            if (m.nonSynchronizing() && m.size() > DISCARD_LIMIT) {
                clear();
                return Action.refuse(Kind.BYE, null, "TOOBIG", "Literal too large");
            }
            // RFC 7889 4: APPEND over the limit is NO [TOOBIG]; RFC 7888 4: a non-synchronizing
            // literal the server will not take is BAD [TOOBIG], and its octets are read and dropped
            return refuse(m, message && !m.nonSynchronizing() ? Kind.NO : Kind.BAD, "TOOBIG",
                    message ? "Message too large" : "Literal too large");
        }
        if (!message) size += m.size();
        if (m.size() == 0) {
            literals.add(Literal.of(new byte[0]));
            phase = Phase.NEXT_LINE;
        } else {
            phase = Phase.LITERAL;
            if (message && settings.spoolDir() != null && m.size() > settings.spillThreshold()) {
                spooled = new ContentBuffer(settings.spoolDir(), settings.spillThreshold());
            } else {
                literal = alloc.buffer((int) Math.min(m.size(), 64 * 1024), (int) Math.min(m.size(), Integer.MAX_VALUE));
            }
        }
        return m.nonSynchronizing() ? Action.MORE : new Action(Kind.GO_AHEAD, tag, null, m.size(), null, null);
    }

    /**
     * A line was too long (the decoder drops it up to its LF).
     *
     * @param head its first octets
     */
    Action tooLong(String head) {
        boolean inCommand = phase == Phase.NEXT_LINE;
        boolean skipping = phase == Phase.SKIP_NEXT_LINE;
        String t = inCommand ? tag : skipping ? null : ImapCommandParser.tagOf(head);
        clear();
        phase = Phase.SKIP_AFTER_TOO_LONG;
        return skipping ? Action.MORE : Action.refuse(Kind.BAD, t, null, "Line too long");
    }

    /** A too-long line arrived while a command waited for a continuation line: only the octets after it matter. */
    void tooLongElsewhere() {
        clear();
        phase = Phase.SKIP_AFTER_TOO_LONG;
    }

    /** Octets of a literal; takes ownership of {@code content}. */
    void chunk(ByteBuf content) {
        try {
            if (phase == Phase.LITERAL && spooled != null) spooled.append(content);
            else if (phase == Phase.LITERAL) literal.writeBytes(content);
            else if (phase == Phase.SKIP_AFTER_TOO_LONG) phase = Phase.SKIP_LITERAL;
        } finally {
            content.release();
        }
    }

    /**
     * The spooled message when its memory part is full: the session calls {@link ContentBuffer#spill}
     * on the blocking executor, with input paused, before more octets arrive; else null.
     */
    ContentBuffer spillDue() {
        return spooled != null && spooled.shouldSpill() ? spooled : null;
    }

    Action end(DataEnd e) {
        switch (phase) {
            case LITERAL -> {
                if (spooled != null) {
                    literals.add(new SpooledLiteral(spooled));
                    spooled = null;
                    phase = Phase.NEXT_LINE;
                    return Action.MORE;
                }
                byte[] b = new byte[literal.readableBytes()];
                literal.readBytes(b);
                literal.release();
                literal = null;
                literals.add(Literal.of(b));
                phase = Phase.NEXT_LINE;
            }
            case SKIP_LITERAL, SKIP_AFTER_TOO_LONG -> phase = Phase.SKIP_NEXT_LINE;
            default -> { /* a literal that was never announced to us: nothing to do */ }
        }
        return Action.MORE;
    }

    /** Forgets the command being read and its buffers (STARTTLS, COMPRESS, end of connection). */
    void reset() {
        clear();
    }

    /** Refuses the command; a non-synchronizing literal it announced is skipped with the rest of it. */
    private Action refuse(LiteralMarker m, Kind kind, String code, String message) {
        String t = tag;
        clear();
        skipAfter(m);
        return Action.refuse(kind, t, code, message);
    }

    /** After a dropped line: the command goes on (and is dropped) only if a non-synchronizing literal follows. */
    private void skipAfter(LiteralMarker m) {
        if (m == null || !m.nonSynchronizing()) phase = Phase.IDLE;
        else phase = m.size() == 0 ? Phase.SKIP_NEXT_LINE : Phase.SKIP_LITERAL;
    }

    private void clear() {
        if (literal != null) literal.release();
        literal = null;
        if (spooled != null) discard.accept(spooled);
        spooled = null;
        if (literals != null) {
            for (Literal l : literals) if (l instanceof SpooledLiteral s) discard.accept(s.content());
        }
        lines = null;
        literals = null;
        tag = null;
        name = null;
        size = 0;
        phase = Phase.IDLE;
    }
}
