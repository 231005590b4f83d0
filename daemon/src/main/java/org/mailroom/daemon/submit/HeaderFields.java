package org.mailroom.daemon.submit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header section of a message with LF line ends, as far as {@code sendmail} needs it: which
 * fields are there, the addresses of {@code To:}/{@code Cc:}/{@code Bcc:} (for {@code -t}), and
 * the message without {@code Bcc:}. Not a full RFC 5322 parser: encoded words are left alone and
 * obsolete syntax is read leniently.
 */
public final class HeaderFields {

    /** One field: its name and its value with folding removed (CR LF / LF before WSP dropped). */
    public record Field(String name, String value, int start, int end) {}

    private final List<Field> fields;
    /** Offset of the first octet after the header section (after the empty line, if any). */
    private final int headerEnd;

    private HeaderFields(List<Field> fields, int headerEnd) {
        this.fields = fields;
        this.headerEnd = headerEnd;
    }

    /**
     * Reads the header fields at the start of {@code msg} up to the empty line; a line that is
     * neither a field nor a continuation (a message without a header) ends the section before it.
     */
    public static HeaderFields parse(byte[] msg) {
        return parse(msg, msg.length);
    }

    public static HeaderFields parse(byte[] msg, int length) {
        List<Field> fields = new ArrayList<>();
        int pos = 0, fieldStart = -1;
        while (pos < length) {
            int eol = indexOf(msg, (byte) '\n', pos, length);
            int next = eol < 0 ? length : eol + 1;
            int lineEnd = eol < 0 ? length : eol;
            if (lineEnd > pos && msg[lineEnd - 1] == '\r') lineEnd--;
            if (lineEnd == pos) { // the empty line
                if (fieldStart >= 0) fields.add(field(msg, fieldStart, pos));
                return new HeaderFields(fields, next);
            }
            byte first = msg[pos];
            if ((first == ' ' || first == '\t') && fieldStart >= 0) {
                pos = next;
                continue;
            }
            if (!isFieldLine(msg, pos, lineEnd)) {
                if (fieldStart >= 0) fields.add(field(msg, fieldStart, pos));
                return new HeaderFields(fields, pos);
            }
            if (fieldStart >= 0) fields.add(field(msg, fieldStart, pos));
            fieldStart = pos;
            pos = next;
        }
        if (fieldStart >= 0) fields.add(field(msg, fieldStart, length));
        return new HeaderFields(fields, length);
    }

    public List<Field> fields() { return fields; }

    public int headerEnd() { return headerEnd; }

    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(name));
    }

    /** The addresses in every {@code To:}, {@code Cc:} and {@code Bcc:} field, in order ({@code sendmail -t}). */
    public List<String> recipients() {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            String n = f.name().toLowerCase(Locale.ROOT);
            if (n.equals("to") || n.equals("cc") || n.equals("bcc")) out.addAll(addresses(f.value()));
        }
        return out;
    }

    /** {@code msg} without its {@code Bcc:} fields (all their lines). */
    public byte[] withoutBcc(byte[] msg) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(msg.length);
        int copied = 0;
        for (Field f : fields) {
            if (!f.name().equalsIgnoreCase("bcc")) continue;
            b.write(msg, copied, f.start() - copied);
            copied = f.end();
        }
        b.write(msg, copied, msg.length - copied);
        return b.toByteArray();
    }

    /**
     * The addr-specs of an RFC 5322 address-list: display names, comments and group names
     * ({@code friends: a@x, b@y;}) are dropped; {@code Name <a@x>} gives {@code a@x}; a source
     * route inside angle brackets is dropped too.
     */
    public static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder bare = new StringBuilder();
        StringBuilder angle = null;
        String angled = null;
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            StringBuilder into = angle != null ? angle : bare;
            if (quoted) {
                into.append(c);
                if (c == '\\' && i + 1 < value.length()) into.append(value.charAt(++i));
                else if (c == '"') quoted = false;
                continue;
            }
            if (comment > 0) {
                if (c == '\\') i++;
                else if (c == '(') comment++;
                else if (c == ')') comment--;
                continue;
            }
            switch (c) {
                case '"' -> { quoted = true; into.append(c); }
                case '(' -> comment = 1;
                case '<' -> angle = new StringBuilder();
                case '>' -> {
                    if (angle != null) {
                        angled = angle.toString();
                        angle = null;
                    }
                }
                case ':' -> {
                    if (angle != null) angle.append(c);
                    else bare.setLength(0); // "group-name:" starts a group; the name is no address
                }
                case ',', ';' -> {
                    if (angle != null) {
                        angle.append(c);
                    } else {
                        add(out, angled, bare);
                        angled = null;
                        bare.setLength(0);
                    }
                }
                default -> into.append(c);
            }
        }
        if (angle != null) angled = angle.toString(); // unclosed: take what there is
        add(out, angled, bare);
        return out;
    }

    private static void add(List<String> out, String angled, StringBuilder bare) {
        String a = angled != null ? angled : bare.toString();
        if (angled != null) {
            int colon = a.lastIndexOf(':'); // <@relay1,@relay2:user@example.org>
            if (colon >= 0 && a.startsWith("@")) a = a.substring(colon + 1);
        }
        a = a.strip();
        if (!a.isEmpty()) out.add(a);
    }

    private static Field field(byte[] msg, int start, int end) {
        String raw = new String(msg, start, end - start, StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        String value = raw.substring(colon + 1).replaceAll("\r?\n(?=[ \t])", "");
        if (value.endsWith("\n")) value = value.substring(0, value.length() - 1);
        if (value.endsWith("\r")) value = value.substring(0, value.length() - 1);
        return new Field(raw.substring(0, colon).strip(), value.strip(), start, end);
    }

    /** {@code name:} with a name of printable US-ASCII except colon (RFC 5322 2.2); WSP before the colon tolerated. */
    private static boolean isFieldLine(byte[] msg, int pos, int end) {
        int i = pos;
        while (i < end && msg[i] > ' ' && msg[i] < 127 && msg[i] != ':') i++;
        if (i == pos) return false;
        while (i < end && (msg[i] == ' ' || msg[i] == '\t')) i++;
        return i < end && msg[i] == ':';
    }

    private static int indexOf(byte[] b, byte x, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == x) return i;
        return -1;
    }
}
