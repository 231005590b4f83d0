package org.mailroom.imap.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * FETCH and UID FETCH (RFC 9051 6.4.5, RFC 3501 RFC822.* items, RFC 3516 BINARY, RFC 7162 MODSEQ,
 * CHANGEDSINCE and VANISHED). The macros ALL, FAST and FULL are expanded; UID FETCH does not add
 * the UID item here (the session does, RFC 9051 6.4.9).
 */
final class FetchParser {

    /** Deepest part path ({@code 1.2.3...}) accepted in a section. */
    static final int MAX_PART_DEPTH = 100;

    private static final List<FetchItem> FAST = List.of(
            FetchItem.Simple.FLAGS, FetchItem.Simple.INTERNALDATE, FetchItem.Simple.RFC822_SIZE);
    private static final List<FetchItem> ALL = List.of(FetchItem.Simple.FLAGS,
            FetchItem.Simple.INTERNALDATE, FetchItem.Simple.RFC822_SIZE, FetchItem.Simple.ENVELOPE);
    private static final List<FetchItem> FULL = List.of(FetchItem.Simple.FLAGS,
            FetchItem.Simple.INTERNALDATE, FetchItem.Simple.RFC822_SIZE, FetchItem.Simple.ENVELOPE,
            FetchItem.Simple.BODY);

    private FetchParser() {}

    /**
     * RFC 9051 9: {@code fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
     * "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]}.
     */
    static Command fetch(ImapReader r, boolean uid) throws ImapSyntaxException {
        r.space();
        SequenceSet set = r.sequenceSet();
        r.space();
        List<FetchItem> items;
        if (r.peek() == '(') {
            r.beginList();
            items = new ArrayList<>();
            do {
                if (items.size() == ImapCommandParser.MAX_FETCH_ITEMS) {
                    throw r.error("more than " + ImapCommandParser.MAX_FETCH_ITEMS + " fetch items");
                }
                items.add(item(r));
            } while (r.consume(' '));
            r.endList();
            items = List.copyOf(items);
        } else {
            String macro = r.peekAtom();
            macro = macro == null ? "" : macro.toUpperCase(Locale.ROOT);
            items = switch (macro) {
                case "ALL" -> ALL;
                case "FAST" -> FAST;
                case "FULL" -> FULL;
                default -> null;
            };
            if (items != null) {
                r.atom();
            } else {
                items = List.of(item(r));
            }
        }
        long changedSince = -1;
        boolean vanished = false;
        if (r.consume(' ')) {
            // RFC 7162 3.1.4.1 / 3.2.6: fetch-modifiers.
            r.beginList();
            do {
                String modifier = ImapCommandParser.keyword(r);
                if (modifier.equals("CHANGEDSINCE") && changedSince < 0) {
                    r.space();
                    changedSince = MailboxCommandParser.modSequenceValue(r);
                } else if (modifier.equals("VANISHED") && !vanished) {
                    vanished = true;
                } else {
                    throw r.error("unknown or repeated fetch modifier " + ImapCommandParser.abbreviate(modifier));
                }
            } while (r.consume(' '));
            r.endList();
            // RFC 7162 3.2.6: VANISHED only in UID FETCH and only with CHANGEDSINCE, else BAD.
            if (vanished && (!uid || changedSince < 0)) {
                throw r.error("VANISHED needs UID FETCH and CHANGEDSINCE");
            }
        }
        return new Command.Fetch(uid, set, items, changedSince, vanished);
    }

    /** RFC 9051 9 {@code fetch-att}, plus RFC822, RFC822.HEADER, RFC822.TEXT (RFC 3501), MODSEQ. */
    private static FetchItem item(ImapReader r) throws ImapSyntaxException {
        String name = name(r);
        switch (name) {
            case "ENVELOPE": return FetchItem.Simple.ENVELOPE;
            case "FLAGS": return FetchItem.Simple.FLAGS;
            case "INTERNALDATE": return FetchItem.Simple.INTERNALDATE;
            case "RFC822.SIZE": return FetchItem.Simple.RFC822_SIZE;
            case "BODYSTRUCTURE": return FetchItem.Simple.BODYSTRUCTURE;
            case "UID": return FetchItem.Simple.UID;
            case "MODSEQ": return FetchItem.Simple.MODSEQ;
            case "RFC822": return FetchItem.Simple.RFC822;
            case "RFC822.HEADER": return FetchItem.Simple.RFC822_HEADER;
            case "RFC822.TEXT": return FetchItem.Simple.RFC822_TEXT;
            case "BODY":
                if (r.peek() != '[') {
                    return FetchItem.Simple.BODY;
                }
                return body(r, false);
            case "BODY.PEEK":
                return body(r, true);
            case "BINARY":
            case "BINARY.PEEK": {
                int[] part = binarySection(r);
                long[] partial = partial(r);
                return new FetchItem.Binary(part, name.equals("BINARY.PEEK"), partial[0], partial[1]);
            }
            case "BINARY.SIZE":
                return new FetchItem.BinarySize(binarySection(r));
            default:
                throw r.error("unknown fetch item " + ImapCommandParser.abbreviate(name));
        }
    }

    private static FetchItem body(ImapReader r, boolean peek) throws ImapSyntaxException {
        Section section = section(r);
        long[] partial = partial(r);
        return new FetchItem.Body(section, peek, partial[0], partial[1]);
    }

    /** Letters, digits, {@code .} and {@code -}, upper-cased: a fetch item or section text name. */
    private static String name(ImapReader r) throws ImapSyntaxException {
        StringBuilder sb = new StringBuilder(16);
        while (true) {
            int c = r.peek();
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-';
            if (!ok || sb.length() > 64) {
                break;
            }
            r.consume((char) c);
            sb.append((char) c);
        }
        if (sb.length() == 0) {
            throw r.error("expected a fetch item");
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * RFC 9051 9: {@code section = "[" [section-spec] "]"}, {@code section-spec = section-msgtext /
     * (section-part ["." section-text])}, {@code section-text = section-msgtext / "MIME"}.
     */
    private static Section section(ImapReader r) throws ImapSyntaxException {
        r.expect('[');
        if (r.consume(']')) {
            return Section.WHOLE;
        }
        List<Integer> part = new ArrayList<>();
        String text = null;
        if (r.peek() >= '0' && r.peek() <= '9') {
            part.add(partNumber(r));
            while (r.consume('.')) {
                if (r.peek() >= '0' && r.peek() <= '9') {
                    if (part.size() == MAX_PART_DEPTH) {
                        throw r.error("part path deeper than " + MAX_PART_DEPTH);
                    }
                    part.add(partNumber(r));
                } else {
                    text = name(r);
                    break;
                }
            }
        } else {
            text = name(r);
        }
        Section.Kind kind;
        List<String> fields = List.of();
        if (text == null) {
            kind = Section.Kind.NONE;
        } else {
            kind = switch (text) {
                case "HEADER" -> Section.Kind.HEADER;
                case "HEADER.FIELDS" -> Section.Kind.HEADER_FIELDS;
                case "HEADER.FIELDS.NOT" -> Section.Kind.HEADER_FIELDS_NOT;
                case "TEXT" -> Section.Kind.TEXT;
                case "MIME" -> Section.Kind.MIME;
                default -> throw r.error("unknown section " + ImapCommandParser.abbreviate(text));
            };
            if (kind == Section.Kind.MIME && part.isEmpty()) {
                throw r.error("MIME needs a part number");
            }
            if (kind == Section.Kind.HEADER_FIELDS || kind == Section.Kind.HEADER_FIELDS_NOT) {
                r.space();
                fields = headerList(r);
            }
        }
        r.expect(']');
        return new Section(toArray(part), kind, fields);
    }

    /** RFC 9051 9: {@code header-list = "(" header-fld-name *(SP header-fld-name) ")"}, astrings. */
    private static List<String> headerList(ImapReader r) throws ImapSyntaxException {
        r.beginList();
        List<String> fields = new ArrayList<>();
        do {
            if (fields.size() == ImapCommandParser.MAX_FETCH_ITEMS) {
                throw r.error("more than " + ImapCommandParser.MAX_FETCH_ITEMS + " header fields");
            }
            String field = r.astring();
            if (field.isEmpty()) {
                throw r.error("empty header field name");
            }
            fields.add(field);
        } while (r.consume(' '));
        r.endList();
        return fields;
    }

    /** RFC 9051 9: {@code section-binary = "[" [section-part] "]"}. */
    private static int[] binarySection(ImapReader r) throws ImapSyntaxException {
        r.expect('[');
        List<Integer> part = new ArrayList<>();
        if (!r.consume(']')) {
            do {
                if (part.size() == MAX_PART_DEPTH) {
                    throw r.error("part path deeper than " + MAX_PART_DEPTH);
                }
                part.add(partNumber(r));
            } while (r.consume('.'));
            r.expect(']');
        }
        return toArray(part);
    }

    private static int partNumber(ImapReader r) throws ImapSyntaxException {
        long n = r.nzNumber();
        if (n > Integer.MAX_VALUE) {
            throw r.error("part number too large");
        }
        return (int) n;
    }

    /** RFC 9051 9: {@code partial = "<" number64 "." nz-number64 ">"}; {-1, 0} when absent. */
    private static long[] partial(ImapReader r) throws ImapSyntaxException {
        if (!r.consume('<')) {
            return new long[] {-1, 0};
        }
        long start = r.number64();
        r.expect('.');
        long count = r.number64();
        if (count == 0) {
            throw r.error("partial octet count must not be 0");
        }
        r.expect('>');
        return new long[] {start, count};
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
