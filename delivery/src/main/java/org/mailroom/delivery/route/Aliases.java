package org.mailroom.delivery.route;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailroom.config.ConfigError;

/**
 * The aliases file, in the syntax of {@code /etc/aliases} (aliases(5)): {@code name: target,
 * target}; a line that starts with white space continues the previous one; {@code #} starts a
 * comment line. A name is a bare local part, which applies to every local domain, or a full
 * address for one domain; names are case-insensitive. Targets are addresses; a bare local part is
 * qualified with the domain of the address being expanded.
 *
 * <p>Targets that are commands ({@code |cmd}), files ({@code /path}) or includes
 * ({@code :include:}) are parsed and kept, so that an administrator's file loads, but delivery
 * refuses them: {@link Router} turns them into a failed route with the reason, which is bounced.
 * XXX the aliases file names no user to run a command or write a file as (Postfix uses the file's
 * owner or default_privs); only a Unix user's {@code .forward} may have them run, as that user, with
 * {@code local.forwardPrograms} (docs/local-mail.md).
 *
 * <p>Immutable; {@link #load} parses a file.
 */
public final class Aliases {
    private final Map<String, List<String>> entries;

    private Aliases(Map<String, List<String>> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static Aliases empty() {
        return new Aliases(Map.of());
    }

    /** @return the aliases of {@code file}, or none when it does not exist */
    public static Aliases load(Path file) throws ConfigError {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (MalformedInputException e) {
            throw new ConfigError(file, 0, null, "not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigError(file, 0, null, "cannot read: " + e.getMessage());
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            int start = i + 1;
            i++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
            if (Character.isWhitespace(line.charAt(0))) {
                throw new ConfigError(file, start, null, "continuation line without an alias before it");
            }
            StringBuilder logical = new StringBuilder(line);
            while (i < lines.size() && !lines.get(i).isEmpty() && Character.isWhitespace(lines.get(i).charAt(0))
                    && !lines.get(i).isBlank() && !lines.get(i).stripLeading().startsWith("#")) {
                logical.append(' ').append(lines.get(i).strip());
                i++;
            }
            String l = logical.toString();
            int colon = l.indexOf(':');
            if (colon <= 0) throw new ConfigError(file, start, null, "expected \"name: target, ...\"");
            String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (name.startsWith("\"") && name.endsWith("\"") && name.length() > 1) name = name.substring(1, name.length() - 1);
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == ',')) {
                throw new ConfigError(file, start, name, "bad alias name");
            }
            List<String> targets = new ArrayList<>();
            for (String t : splitTargets(l.substring(colon + 1))) {
                if (!t.isEmpty()) targets.add(t);
            }
            if (targets.isEmpty()) throw new ConfigError(file, start, name, "no targets");
            Integer prev = firstLine.putIfAbsent(name, start);
            if (prev != null) throw new ConfigError(file, start, name, "given twice (first on line " + prev + ")");
            out.put(name, List.copyOf(targets));
        }
        return new Aliases(out);
    }

    /** Splits on commas outside double quotes ({@code "|cmd with, comma"} stays whole). */
    private static List<String> splitTargets(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) {
                out.add(unquote(cur.toString().strip()));
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(unquote(cur.toString().strip()));
        return out;
    }

    private static String unquote(String t) {
        return t.length() > 1 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    /**
     * The targets of {@code address} ({@code local@domain}, lower case): the entry for the full
     * address if there is one, else the entry for the local part; null when neither exists.
     */
    public List<String> lookup(String local, String domain) {
        List<String> t = entries.get(local + "@" + domain);
        return t != null ? t : entries.get(local);
    }

    public int size() { return entries.size(); }
}
