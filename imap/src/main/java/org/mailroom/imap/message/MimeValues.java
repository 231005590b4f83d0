package org.mailroom.imap.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lenient parsing of the MIME header values BODYSTRUCTURE reports: {@code Content-Type} and
 * {@code Content-Disposition} with parameters (RFC 2045 5.1, RFC 2183), RFC 2231 parameter
 * continuations, {@code Content-Language} lists (RFC 3282) and the transfer-encoding token
 * (RFC 2045 6.1). Comments (RFC 5322 3.2.2) are skipped. Case is kept as sent, as Dovecot does.
 */
final class MimeValues {

    /** Parameters kept per field; the rest are dropped. */
    static final int MAX_PARAMS = 64;

    private MimeValues() {}

    /** {@code type "/" subtype} and the parameters; subtype "" when there is no slash (Dovecot). */
    record TypeValue(String type, String subtype, List<MessagePart.Param> params) {}

    /** @return null when there is no type token at all */
    static TypeValue contentType(String v) {
        Cursor c = new Cursor(v);
        c.cfws();
        String type = c.token();
        if (type.isEmpty()) {
            return null;
        }
        c.cfws();
        String subtype = "";
        if (c.peek() == '/') {
            c.i++;
            c.cfws();
            subtype = c.token();
        }
        return new TypeValue(type, subtype, params(c));
    }

    /** {@code disposition-type *(";" parameter)} (RFC 2183 2); null without a type. */
    static TypeValue disposition(String v) {
        Cursor c = new Cursor(v);
        c.cfws();
        String type = c.token();
        if (type.isEmpty()) {
            return null;
        }
        return new TypeValue(type, "", params(c));
    }

    /** The first token of Content-Transfer-Encoding, or null. */
    static String encoding(String v) {
        Cursor c = new Cursor(v);
        c.cfws();
        String t = c.token();
        return t.isEmpty() ? null : t;
    }

    /** {@code Language-Tag *("," Language-Tag)} (RFC 3282 2); empty when none. */
    static List<String> languages(String v) {
        List<String> out = new ArrayList<>();
        Cursor c = new Cursor(v);
        while (c.more() && out.size() < MAX_PARAMS) {
            c.cfws();
            String t = c.token();
            if (!t.isEmpty()) {
                out.add(t);
            } else if (c.more()) {
                c.i++;
            }
        }
        return out;
    }

    private static List<MessagePart.Param> params(Cursor c) {
        List<MessagePart.Param> raw = new ArrayList<>();
        while (c.more() && raw.size() < MAX_PARAMS) {
            c.cfws();
            if (c.peek() != ';') {
                // XXX junk between parameters: skip to the next ';' like Dovecot's lenient parser
                if (!c.skipTo(';')) {
                    break;
                }
            }
            c.i++;
            c.cfws();
            String name = c.token();
            c.cfws();
            if (name.isEmpty() || c.peek() != '=') {
                continue;
            }
            c.i++;
            c.cfws();
            String value = c.peek() == '"' ? c.quoted() : c.valueRun();
            raw.add(new MessagePart.Param(name, value));
        }
        return joinContinuations(raw);
    }

    /**
     * RFC 2231 3: {@code name*0="a"; name*1="b"} becomes {@code name="ab"}; when a segment is
     * extended ({@code name*0*=utf-8''a%20}) the joined one is {@code name*}. Values are not
     * percent-decoded (BODYSTRUCTURE carries them as sent, like Dovecot).
     */
    private static List<MessagePart.Param> joinContinuations(List<MessagePart.Param> raw) {
        boolean any = false;
        for (MessagePart.Param p : raw) {
            if (segment(p.name()) >= 0) {
                any = true;
                break;
            }
        }
        if (!any) {
            return raw;
        }
        Map<String, String[]> segs = new LinkedHashMap<>();
        Map<String, Boolean> extended = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>();
        for (MessagePart.Param p : raw) {
            int star = segment(p.name());
            if (star < 0) {
                order.add(p);
                continue;
            }
            String base = p.name().substring(0, star);
            String key = base.toLowerCase(java.util.Locale.ROOT);
            String rest = p.name().substring(star + 1);
            boolean ext = rest.endsWith("*");
            int n = Integer.parseInt(ext ? rest.substring(0, rest.length() - 1) : rest);
            String[] arr = segs.get(key);
            if (arr == null) {
                arr = new String[MAX_PARAMS];
                segs.put(key, arr);
                order.add(new String[] {key, base});
            }
            if (n < arr.length && arr[n] == null) {
                arr[n] = p.value();
            }
            if (ext) {
                extended.put(key, true);
            }
        }
        List<MessagePart.Param> out = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof MessagePart.Param p) {
                out.add(p);
            } else {
                String[] kb = (String[]) o;
                StringBuilder sb = new StringBuilder();
                for (String s : segs.get(kb[0])) {
                    if (s == null) {
                        break;
                    }
                    sb.append(s);
                }
                out.add(new MessagePart.Param(extended.containsKey(kb[0]) ? kb[1] + "*" : kb[1], sb.toString()));
            }
        }
        return out;
    }

    /** Index of the {@code *} of a continuation segment name {@code name*N} or {@code name*N*}, else -1. */
    private static int segment(String name) {
        int star = name.indexOf('*');
        if (star <= 0) {
            return -1;
        }
        int end = name.endsWith("*") && name.length() > star + 1 ? name.length() - 1 : name.length();
        if (end == star + 1 || end - star - 1 > 2) {
            return -1;
        }
        for (int i = star + 1; i < end; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return star;
    }

    /** A position in a header value; characters are octets (ISO-8859-1). */
    static final class Cursor {
        final String s;
        int i;

        Cursor(String s) {
            this.s = s;
        }

        boolean more() { return i < s.length(); }

        int peek() { return i < s.length() ? s.charAt(i) : -1; }

        /** Skips white space and (nested) comments. */
        void cfws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else if (c == '(') {
                    comment();
                } else {
                    return;
                }
            }
        }

        /** Reads a comment starting at {@code (} and returns its text (quoted-pairs unescaped). */
        String comment() {
            StringBuilder sb = new StringBuilder();
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    sb.append(s.charAt(i++));
                    continue;
                }
                if (c == '\r' || c == '\n') {
                    continue;
                }
                if (c == '(') {
                    if (depth++ > 0) {
                        sb.append(c);
                    }
                } else if (c == ')') {
                    if (--depth == 0) {
                        return sb.toString();
                    }
                    sb.append(c);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        /** RFC 2045 5.1 token: not SP, CTL or tspecials. */
        String token() {
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        /** A parameter value that is not quoted: anything up to ';', white space or '('. */
        String valueRun() {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ';' || c == ' ' || c == '\t' || c == '(' || c < 0x20) {
                    break;
                }
                i++;
            }
            return s.substring(start, i);
        }

        /** A quoted string starting at '"'; the content with quoted-pairs unescaped. */
        String quoted() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                } else if (c == '\r' || c == '\n') {
                    continue; // RFC 5322 2.2.3: a fold inside the string is unfolded
                }
                sb.append(c);
            }
            return sb.toString();
        }

        boolean skipTo(char want) {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == want) {
                    return true;
                }
                if (c == '"') {
                    quoted();
                } else if (c == '(') {
                    comment();
                } else {
                    i++;
                }
            }
            return false;
        }

        static boolean isTokenChar(char c) {
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
            return switch (c) {
                case '(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '[', ']', '?', '=' -> false;
                default -> true;
            };
        }
    }
}
