package org.mailroom.imap.wire;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code section} of {@code BODY[...]}, {@code BODY.PEEK[...]} and, with {@link Kind#NONE} or
 * {@link Kind#MIME} excluded, {@code BINARY[...]} (RFC 9051 6.4.5, 9).
 *
 * @param part   the part path, {@code [1, 2]} for {@code 1.2}; empty for the whole message
 * @param kind   what of that part
 * @param fields header field names for {@code HEADER.FIELDS} and {@code HEADER.FIELDS.NOT} (as sent;
 *               matched case-insensitively), otherwise empty
 */
public record Section(int[] part, Kind kind, List<String> fields) {

    public enum Kind {
        /** {@code BODY[]} or {@code BODY[1.2]}: the whole message or the part's body. */
        NONE(""),
        HEADER("HEADER"),
        HEADER_FIELDS("HEADER.FIELDS"),
        HEADER_FIELDS_NOT("HEADER.FIELDS.NOT"),
        TEXT("TEXT"),
        /** Only with a part number: the part's own MIME header. */
        MIME("MIME");

        private final String wire;

        Kind(String wire) { this.wire = wire; }

        public String wire() { return wire; }
    }

    public Section {
        part = part.clone();
        fields = List.copyOf(fields);
    }

    public static final Section WHOLE = new Section(new int[0], Kind.NONE, List.of());

    @Override
    public int[] part() { return part.clone(); }

    /**
     * The section as the response names it, without brackets: {@code 1.2.HEADER.FIELDS (SUBJECT FROM)}
     * (RFC 9051 7.5.2: field names as the client gave them, upper-cased here as Dovecot does).
     */
    public String wire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < part.length; i++) {
            if (i > 0) sb.append('.');
            sb.append(part[i]);
        }
        if (kind != Kind.NONE) {
            if (part.length > 0) sb.append('.');
            sb.append(kind.wire());
        }
        if (kind == Kind.HEADER_FIELDS || kind == Kind.HEADER_FIELDS_NOT) {
            sb.append(" (").append(fields.stream().map(f -> f.toUpperCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(" "))).append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Section s && java.util.Arrays.equals(part, s.part) && kind == s.kind
                && fields.equals(s.fields);
    }

    @Override
    public int hashCode() { return java.util.Arrays.hashCode(part) * 31 + kind.hashCode() * 7 + fields.hashCode(); }

    @Override
    public String toString() { return "[" + wire() + "]"; }
}
