package org.mailroom.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code mailroom.properties} from the configuration directory. The syntax is that of
 * {@link java.util.Properties} (comments with {@code #} or {@code !}, {@code key=value} or
 * {@code key: value}, a trailing backslash continues a line) with three differences that serve an
 * administrator: the file is UTF-8, a key given twice is an error, and every error names the file,
 * the line and the key. A missing file means the embedded defaults.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "mailroom.properties";

    private ConfigLoader() {}

    /** One raw entry with the line it started on. */
    public record Entry(String key, String value, int line) {}

    public static Config load(Path configDir) throws ConfigError {
        Path file = configDir.resolve(FILE_NAME);
        Map<String, Entry> entries;
        try {
            entries = readEntries(file);
        } catch (NoSuchFileException e) {
            return Config.defaults(configDir);
        }
        Map<Key<?>, Object> values = new HashMap<>();
        for (Key<?> k : Keys.ALL) values.put(k, k.parse(k.defaultText()));
        Map<String, String> transports = new HashMap<>();
        Map<String, String> mailboxFormats = new HashMap<>();
        for (Entry e : entries.values()) {
            if (e.key().startsWith(Keys.TRANSPORT_PREFIX)) {
                try {
                    String domain = Key.domains(e.key().substring(Keys.TRANSPORT_PREFIX.length())).get(0);
                    String v = e.value().trim();
                    if (v.startsWith("smtp:")) v = v.substring(5);
                    transports.put(domain, v.equalsIgnoreCase("local") ? "local" : Key.relayHost(v));
                } catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
                    throw new ConfigError(file, e.line(), e.key(), ex instanceof IndexOutOfBoundsException
                            ? "expected transport.<domain>" : ex.getMessage() + " (expected local or [host]:port)");
                }
                continue;
            }
            if (e.key().startsWith(Keys.MAILBOX_FORMAT_PREFIX)) {
                String address = e.key().substring(Keys.MAILBOX_FORMAT_PREFIX.length()).toLowerCase(java.util.Locale.ROOT);
                int at = address.lastIndexOf('@');
                if (at <= 0 || at == address.length() - 1 || address.contains("/")) {
                    throw new ConfigError(file, e.line(), e.key(), "expected mailbox.format.<address> (local-part@domain)");
                }
                try {
                    mailboxFormats.put(address, Keys.MAILBOX_FORMAT.parse(e.value()));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigError(file, e.line(), e.key(), ex.getMessage());
                }
                continue;
            }
            Key<?> k = Keys.byName(e.key());
            if (k == null) throw new ConfigError(file, e.line(), e.key(), "unknown key" + suggestion(e.key()));
            try {
                values.put(k, k.parse(e.value()));
            } catch (IllegalArgumentException ex) {
                throw new ConfigError(file, e.line(), e.key(), ex.getMessage());
            }
        }
        return new Config(configDir, values, transports, mailboxFormats);
    }

    /**
     * Parses a properties-syntax file into entries in file order.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws ConfigError on unreadable files, bad escapes and duplicate keys
     */
    public static Map<String, Entry> readEntries(Path file) throws ConfigError, NoSuchFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (MalformedInputException e) {
            throw new ConfigError(file, 0, null, "not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigError(file, 0, null, "cannot read: " + e.getMessage());
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int startLine = i + 1;
            String line = stripLeading(lines.get(i));
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') continue;
            StringBuilder logical = new StringBuilder();
            while (true) {
                if (endsWithContinuation(line) && i + 1 < lines.size()) {
                    logical.append(line, 0, line.length() - 1);
                    line = stripLeading(lines.get(++i));
                } else {
                    logical.append(line);
                    break;
                }
            }
            String l = logical.toString();
            int sep = findSeparator(l);
            String rawKey = sep < 0 ? l : l.substring(0, sep);
            String rawValue = "";
            if (sep >= 0) {
                int v = sep;
                while (v < l.length() && Character.isWhitespace(l.charAt(v))) v++;
                if (v < l.length() && (l.charAt(v) == '=' || l.charAt(v) == ':')) v++;
                rawValue = stripLeading(l.substring(v));
            }
            String key;
            String value;
            try {
                key = unescape(rawKey.strip());
                value = unescape(rawValue).strip();
            } catch (IllegalArgumentException e) {
                throw new ConfigError(file, startLine, rawKey.strip(), e.getMessage());
            }
            Entry prev = out.put(key, new Entry(key, value, startLine));
            if (prev != null) {
                throw new ConfigError(file, startLine, key, "given twice (first on line " + prev.line() + ")");
            }
        }
        return out;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) i++;
        return s.substring(i);
    }

    private static boolean endsWithContinuation(String s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) n++;
        return n % 2 == 1;
    }

    private static int findSeparator(String l) {
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '\\') { i++; continue; }
            if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') return i;
        }
        return -1;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') { sb.append(c); continue; }
            if (++i >= s.length()) break;
            char e = s.charAt(i);
            switch (e) {
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
                        throw new IllegalArgumentException("bad \\u escape");
                    }
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    private static String suggestion(String key) {
        Key<?> best = null;
        int bestD = Integer.MAX_VALUE;
        for (Key<?> k : Keys.ALL) {
            int d = distance(k.name().toLowerCase(), key.toLowerCase());
            if (d < bestD) { bestD = d; best = k; }
        }
        return best != null && bestD <= 3 ? " (did you mean " + best.name() + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
