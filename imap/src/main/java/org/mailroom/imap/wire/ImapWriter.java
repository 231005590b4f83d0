package org.mailroom.imap.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Collection;

/**
 * Builds server responses (RFC 9051 7) into a Netty {@link ByteBuf}. Tokens are separated
 * automatically: every token ({@link #atom}, {@link #number}, {@link #string}, {@link #literal},
 * {@link #open}, ...) is preceded by one SP unless it is the first on the line or follows
 * {@code (} or {@code [}; {@link #raw} glues text to the previous token without a space (for
 * {@code BODY[1.2]<0>}). {@link #crlf()} ends a line.
 *
 * <pre>
 * w.untagged().number(12).atom("FETCH").open().atom("UID").number(7).atom("FLAGS")
 *  .flags(List.of("\\Seen")).close().crlf();             // * 12 FETCH (UID 7 FLAGS (\Seen))
 * w.status(null, Status.OK, "UIDVALIDITY 3857529045", "UIDs valid");
 * </pre>
 *
 * <p>Strings are written as {@link ImapStrings} decides (quoted for short printable US-ASCII, else a
 * synchronizing literal of the UTF-8 octets; servers never send {@code {n+}}, RFC 7888). The hot
 * path (FETCH of many messages) allocates nothing per token: no String.format, no regex, numbers
 * written digit by digit. Not thread-safe; one writer per buffer, used on the session's event
 * loop.
 */
public final class ImapWriter {

    /** The status responses (RFC 9051 7.1). */
    public enum Status { OK, NO, BAD, BYE, PREAUTH }

    private final ByteBuf out;
    private boolean space;

    public ImapWriter(ByteBuf out) {
        this.out = out;
    }

    /** The buffer written to. */
    public ByteBuf buffer() {
        return out;
    }

    // ------------------------------------------------------------------ line starts and ends

    /** Starts an untagged response: {@code *}. */
    public ImapWriter untagged() {
        return atom("*");
    }

    /** Starts a tagged response with the command's tag. */
    public ImapWriter tagged(String tag) {
        return atom(tag);
    }

    /**
     * A whole command continuation request (RFC 9051 7.5): {@code + text CRLF}; {@code text} may be
     * empty (an empty SASL challenge) or base64.
     */
    public ImapWriter continuation(String text) {
        out.writeByte('+').writeByte(' ');
        writeText(text);
        return crlf();
    }

    /**
     * A whole status response line (RFC 9051 7.1): {@code tag status [code] text CRLF}, for example
     * {@code * OK [UIDVALIDITY 3857529045] UIDs valid}.
     *
     * @param tag  {@code null} for an untagged response
     * @param code the response code without brackets, {@code null} for none
     * @param text human-readable text, not empty (RFC 3501 {@code text = 1*TEXT-CHAR}); CR, LF and
     *             NUL in it are written as spaces
     */
    public ImapWriter status(String tag, Status status, String code, String text) {
        atom(tag == null ? "*" : tag).atom(status.name());
        if (code != null) {
            beginCode().raw(code).endCode();
        }
        return text(text).crlf();
    }

    /** Opens a response code: {@code [}. */
    public ImapWriter beginCode() {
        separate();
        out.writeByte('[');
        space = false;
        return this;
    }

    /** Closes a response code: {@code ]}. */
    public ImapWriter endCode() {
        out.writeByte(']');
        space = true;
        return this;
    }

    /** The human-readable rest of a line (RFC 9051 {@code text}); CR, LF and NUL become spaces. */
    public ImapWriter text(String text) {
        separate();
        writeText(text);
        space = true;
        return this;
    }

    private void writeText(String text) {
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // A line break in text would end the response early and let the rest pose as another.
            if (c == '\r' || c == '\n' || c == 0) {
                ByteBufUtil.writeUtf8(out, text, from, i);
                out.writeByte(' ');
                from = i + 1;
            }
        }
        ByteBufUtil.writeUtf8(out, text, from, text.length());
    }

    /** Ends the line: CRLF. */
    public ImapWriter crlf() {
        out.writeByte('\r').writeByte('\n');
        space = false;
        return this;
    }

    // ------------------------------------------------------------------ tokens

    private void separate() {
        if (space) {
            out.writeByte(' ');
        }
    }

    /**
     * An atom or any other US-ASCII token written as is ({@code FETCH}, {@code \Seen},
     * {@code RFC822.SIZE}); the caller knows it needs no quoting.
     */
    public ImapWriter atom(CharSequence atom) {
        separate();
        ByteBufUtil.writeAscii(out, atom);
        space = true;
        return this;
    }

    /**
     * Octets already in IMAP syntax (an ENVELOPE or BODYSTRUCTURE made elsewhere, literals included),
     * glued to the previous token without a space.
     */
    public ImapWriter raw(byte[] octets) {
        out.writeBytes(octets);
        space = true;
        return this;
    }

    /** US-ASCII glued to the previous token without a space. */
    public ImapWriter raw(CharSequence text) {
        ByteBufUtil.writeAscii(out, text);
        space = true;
        return this;
    }

    /** One US-ASCII character glued to the previous token. */
    public ImapWriter raw(char c) {
        out.writeByte(c);
        space = true;
        return this;
    }

    /** A non-negative number. */
    public ImapWriter number(long n) {
        separate();
        writeDigits(n);
        space = true;
        return this;
    }

    /** {@link #number} glued to the previous token: {@code raw('<').rawNumber(0).raw('>')}. */
    public ImapWriter rawNumber(long n) {
        writeDigits(n);
        space = true;
        return this;
    }

    private void writeDigits(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative number " + n);
        }
        int digits = 1;
        for (long t = n; t >= 10; t /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int start = out.writerIndex();
        for (int i = start + digits - 1; i >= start; i--) {
            out.setByte(i, '0' + (int) (n % 10));
            n /= 10;
        }
        out.writerIndex(start + digits);
    }

    /** A sequence set in its canonical form ({@code 1:3,7}). */
    public ImapWriter sequenceSet(SequenceSet set) {
        return atom(set.toString());
    }

    /** {@code NIL}. */
    public ImapWriter nil() {
        return atom("NIL");
    }

    /** Opens a parenthesised list. */
    public ImapWriter open() {
        separate();
        out.writeByte('(');
        space = false;
        return this;
    }

    /** Closes a parenthesised list. */
    public ImapWriter close() {
        out.writeByte(')');
        space = true;
        return this;
    }

    /** A flag list: {@code (\Seen $Junk)}; flags are atoms as stored. */
    public ImapWriter flags(Collection<String> flags) {
        open();
        for (String flag : flags) {
            atom(flag);
        }
        return close();
    }

    /** {@code string}: quoted when {@link ImapStrings#isQuotable}, else a literal of the UTF-8 octets. */
    public ImapWriter string(String s) {
        return string(s, false);
    }

    /**
     * {@code string}, where {@code utf8} says the client accepts UTF-8 in quoted strings (RFC 6855 3
     * after ENABLE UTF8=ACCEPT; RFC 9051 IMAP4rev2): then non-ASCII text is quoted too.
     */
    public ImapWriter string(String s, boolean utf8) {
        separate();
        space = true;
        if (quotable(s, utf8)) {
            out.writeByte('"');
            int from = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    ByteBufUtil.writeUtf8(out, s, from, i);
                    out.writeByte('\\');
                    from = i;
                }
            }
            ByteBufUtil.writeUtf8(out, s, from, s.length());
            out.writeByte('"');
            return this;
        }
        literalHeader(ByteBufUtil.utf8Bytes(s), false);
        ByteBufUtil.writeUtf8(out, s);
        return this;
    }

    private static boolean quotable(String s, boolean utf8) {
        if (s.length() > ImapStrings.MAX_QUOTED) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c > 0x7F && !utf8)) {
                return false;
            }
        }
        return true;
    }

    /** {@code nstring}: {@code NIL} for {@code null}, else {@link #string(String)}. */
    public ImapWriter nstring(String s) {
        return s == null ? nil() : string(s);
    }

    /** {@code astring}: the bare atom when {@link ImapStrings#isAstringAtom} and not NIL. */
    public ImapWriter astring(String s) {
        if (ImapStrings.isAstringAtom(s) && !s.equalsIgnoreCase("NIL")) {
            return atom(s);
        }
        return string(s);
    }

    /**
     * A mailbox name (RFC 9051 5.1, 6.3.1): {@code INBOX} in any case as {@code INBOX}; for a client
     * with UTF8=ACCEPT enabled the UTF-8 name, quoted if need be (RFC 6855 3), otherwise the modified
     * UTF-7 form (RFC 3501 5.1.3) as an astring.
     */
    public ImapWriter mailbox(String name, boolean utf8Accept) {
        if (name.equalsIgnoreCase("INBOX")) {
            return atom("INBOX");
        }
        if (!utf8Accept && needsUtf7(name)) {
            name = ImapStrings.encodeMailbox(name);
        }
        if (ImapStrings.isAstringAtom(name) && !name.equalsIgnoreCase("NIL")) {
            return atom(name);
        }
        return string(name, utf8Accept);
    }

    private static boolean needsUtf7(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '&' || c < 0x20 || c > 0x7E) {
                return true;
            }
        }
        return false;
    }

    /** A literal {@code {n}CRLF} and the readable bytes of {@code content} (left unread). */
    public ImapWriter literal(ByteBuf content) {
        int n = content.readableBytes();
        literalPrefix(n, false);
        out.writeBytes(content, content.readerIndex(), n);
        return this;
    }

    /** A literal {@code {n}CRLF} and {@code content}. */
    public ImapWriter literal(byte[] content) {
        literalPrefix(content.length, false);
        out.writeBytes(content);
        return this;
    }

    /** RFC 3516 / RFC 9051 {@code literal8}: {@code ~{n}CRLF} and the bytes, for BINARY[...]. */
    public ImapWriter literal8(ByteBuf content) {
        int n = content.readableBytes();
        literalPrefix(n, true);
        out.writeBytes(content, content.readerIndex(), n);
        return this;
    }

    /**
     * Only the announcement {@code {n}CRLF} (or {@code ~{n}CRLF}): the caller then sends exactly
     * {@code size} octets itself, for example a message file as a {@code FileRegion} after this
     * buffer.
     */
    public ImapWriter literalPrefix(long size, boolean literal8) {
        separate();
        literalHeader(size, literal8);
        space = true;
        return this;
    }

    private void literalHeader(long size, boolean literal8) {
        if (literal8) {
            out.writeByte('~');
        }
        out.writeByte('{');
        writeDigits(size);
        out.writeByte('}').writeByte('\r').writeByte('\n');
    }
}
