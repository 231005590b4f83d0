package org.mailroom.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its property name, the default written as it would be in the file, a
 * parser from the file's text, and the line of documentation that {@code docs/configuration.md}
 * repeats. Parsers throw {@link IllegalArgumentException} with a message that completes
 * "file:line: key: ...".
 */
public final class Key<T> {
    private final String name;
    private final String defaultText;
    private final Function<String, T> parser;
    private final String doc;

    Key(String name, String defaultText, Function<String, T> parser, String doc) {
        this.name = name;
        this.defaultText = defaultText;
        this.parser = parser;
        this.doc = doc;
    }

    public String name() { return name; }
    public String defaultText() { return defaultText; }
    public String doc() { return doc; }

    T parse(String text) { return parser.apply(text.trim()); }

    @Override
    public String toString() { return name; }

    // ---- value types ------------------------------------------------------------------------

    static String string(String s) { return s; }

    static Function<String, Integer> integer(int min, int max) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number: \"" + s + "\"");
            }
            if (v < min || v > max) throw new IllegalArgumentException(v + " is out of range " + min + ".." + max);
            return v;
        };
    }

    static Boolean bool(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": return true;
            case "false": case "no": case "off": return false;
            default: throw new IllegalArgumentException("expected true or false, not \"" + s + "\"");
        }
    }

    /** {@code 25M}, {@code 512k}, {@code 1G} or plain bytes (binary multiples). */
    public static Long size(String s) {
        if (s.isEmpty()) throw new IllegalArgumentException("empty size");
        char u = Character.toUpperCase(s.charAt(s.length() - 1));
        long mult = switch (u) { case 'K' -> 1L << 10; case 'M' -> 1L << 20; case 'G' -> 1L << 30; default -> 1; };
        String num = mult == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long v = Long.parseLong(num.trim());
            if (v < 0) throw new NumberFormatException();
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad size \"" + s + "\" (e.g. 25M, 512k, 1000)");
        }
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 5d}; a plain number is seconds. */
    static Duration duration(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            char u = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
            String num = Character.isDigit(u) ? t : t.substring(0, t.length() - 1).trim();
            long v = Long.parseLong(num);
            if (v < 0) throw new NumberFormatException();
            return switch (u) {
                case 's' -> Duration.ofSeconds(v);
                case 'm' -> Duration.ofMinutes(v);
                case 'h' -> Duration.ofHours(v);
                case 'd' -> Duration.ofDays(v);
                default -> {
                    if (!Character.isDigit(u)) throw new NumberFormatException();
                    yield Duration.ofSeconds(v);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration \"" + s + "\" (e.g. 250ms, 30s, 5m, 1h)");
        }
    }

    /** Comma- or space-separated listen addresses; empty switches the listener off. */
    static List<ListenAddress> listen(String s) {
        List<ListenAddress> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) if (!part.isEmpty()) out.add(ListenAddress.parse(part));
        return List.copyOf(out);
    }

    /** Comma-separated domain names, lower-cased. */
    static List<String> domains(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) {
            if (part.isEmpty()) continue;
            String d = part.toLowerCase(Locale.ROOT);
            if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw new IllegalArgumentException("bad domain name \"" + part + "\"");
            }
            out.add(d);
        }
        return List.copyOf(out);
    }

    /** Comma-separated Unix user names, or {@code %group}: letters, digits, '.', '_', '-' ($ last for Samba machine accounts). */
    static List<String> names(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) {
            if (part.isEmpty()) continue;
            if (!part.matches("%?[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?")) {
                throw new IllegalArgumentException("bad user or group name \"" + part + "\"");
            }
            out.add(part);
        }
        return List.copyOf(out);
    }

    static List<Cidr> networks(String s) {
        List<Cidr> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) if (!part.isEmpty()) out.add(Cidr.parse(part));
        return List.copyOf(out);
    }

    static Function<String, String> oneOf(String... values) {
        return s -> {
            String v = s.toLowerCase(Locale.ROOT);
            for (String ok : values) if (ok.equals(v)) return v;
            throw new IllegalArgumentException("expected one of " + String.join(", ", values) + ", not \"" + s + "\"");
        };
    }

    /** {@code [host]:port} or {@code [host]} (port 25), or empty; the brackets say "no MX look-up". */
    static String relayHost(String s) {
        if (s.isEmpty()) return s;
        if (!s.matches("\\[[A-Za-z0-9.:-]+\\](:\\d{1,5})?")) {
            throw new IllegalArgumentException("expected [host]:port, not \"" + s + "\"");
        }
        int close = s.indexOf(']');
        if (close < s.length() - 1) {
            int port = Integer.parseInt(s.substring(close + 2));
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range in \"" + s + "\"");
            return s;
        }
        return s + ":25";
    }

    /** A host name for greetings and trace headers; empty means "ask the system at start". */
    static String hostname(String s) {
        if (!s.isEmpty() && !s.toLowerCase(Locale.ROOT).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("bad host name \"" + s + "\"");
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
