package org.mailroom.imap.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One node of a message's MIME tree (RFC 2045, RFC 2046), as {@link MessageStructure} found it.
 * Offsets count octets of the CRLF view (RFC 9051 2.3.4) from the start of the message; each part
 * also knows the same offsets in the stored octets so that sections can be read without scanning.
 *
 * <p>A part is one of three kinds: a {@link Kind#MULTIPART} with {@link #children()}, a
 * {@link Kind#MESSAGE} ({@code message/rfc822} or {@code message/global}) whose body is the
 * encapsulated message {@link #message()}, or a {@link Kind#BASIC} leaf (text/* included). The
 * root of a message, and each encapsulated message, carries its {@link #envelope()}.
 * Header values are raw octets held one char per octet (ISO-8859-1), folds kept as CRLF.
 * Immutable once built.
 */
public final class MessagePart {

    /** A MIME parameter, name and value as sent (RFC 2231 continuations joined). */
    public record Param(String name, String value) {}

    public enum Kind { BASIC, MULTIPART, MESSAGE }

    Kind kind = Kind.BASIC;
    /**
     * A multipart or message part not parsed because of a limit ({@link MessageStructure#MAX_DEPTH},
     * {@link MessageStructure#MAX_PARTS}); BODYSTRUCTURE shows it as application/octet-stream.
     */
    boolean opaque;
    long headerOffset;
    long bodyOffset;
    long endOffset;
    long rawHeaderOffset;
    long rawBodyOffset;
    long rawEndOffset;
    long lines;
    String type = "text";
    String subtype = "plain";
    List<Param> params = List.of();
    String id;
    String description;
    String encoding;
    String md5;
    String disposition;
    List<Param> dispositionParams = List.of();
    List<String> languages = List.of();
    String location;
    List<MessagePart> children = List.of();
    MessagePart message;
    Envelope envelope;

    MessagePart() {}

    public Kind kind() { return kind; }

    /** Content type as sent ({@code text} when absent, RFC 2045 5.2). */
    public String type() { return type; }

    public String subtype() { return subtype; }

    public List<Param> params() { return params; }

    /** The first parameter of this name (any case), or null. */
    public String param(String name) {
        for (Param p : params) {
            if (p.name().equalsIgnoreCase(name)) {
                return p.value();
            }
        }
        return null;
    }

    public String id() { return id; }

    public String description() { return description; }

    /** Content-Transfer-Encoding token as sent, or null (meaning 7bit, RFC 2045 6.1). */
    public String encoding() { return encoding; }

    public String md5() { return md5; }

    public String disposition() { return disposition; }

    public List<Param> dispositionParams() { return dispositionParams; }

    public List<String> languages() { return languages; }

    public String location() { return location; }

    /** First octet of this part's header (CRLF view). */
    public long headerOffset() { return headerOffset; }

    /** First octet of this part's body (after the empty line, CRLF view). */
    public long bodyOffset() { return bodyOffset; }

    /**
     * One past the last octet of the body; the CRLF before a boundary line belongs to the boundary
     * (RFC 2046 5.1.1).
     */
    public long endOffset() { return endOffset; }

    /** {@code body-fld-octets}: the body's size in the CRLF view. */
    public long bodySize() { return endOffset - bodyOffset; }

    /** {@code body-fld-lines}: line ends in the body (Dovecot counts LFs the same way). */
    public long lines() { return lines; }

    public List<MessagePart> children() { return children; }

    /** The encapsulated message of a MESSAGE part, or null (not parsed: encoded or over a limit). */
    public MessagePart message() { return message; }

    /**
     * For the root of a message or an encapsulated message: its envelope; for a MESSAGE part: the
     * envelope of the message it encapsulates; otherwise null.
     */
    public Envelope envelope() {
        if (kind == Kind.MESSAGE) {
            return message == null ? null : message.envelope;
        }
        return envelope;
    }

    boolean isText() {
        return type.equalsIgnoreCase("text");
    }

    boolean is(String t, String s) {
        return type.equalsIgnoreCase(t) && subtype.equalsIgnoreCase(s);
    }

    void addChild(MessagePart p) {
        if (children.isEmpty()) {
            children = new ArrayList<>();
        }
        children.add(p);
    }

    void freeze() {
        children = children.isEmpty() ? List.of() : Collections.unmodifiableList(children);
    }

    @Override
    public String toString() {
        return (type + "/" + subtype).toLowerCase(Locale.ROOT) + "[" + headerOffset + "," + bodyOffset + ","
                + endOffset + ")";
    }
}
