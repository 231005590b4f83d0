package org.mailroom.core.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Look-ups in passwd(5) and group(5) files. Each call reads the file again (they are small, and an
 * account added with useradd is seen at once, as getpwnam sees it). The first matching line wins,
 * as in glibc's files source; lines starting with '+' or '-' (NIS compat) and malformed lines are
 * skipped.
 */
public final class Passwd {
    /** One passwd(5) line. */
    public record Account(String name, long uid, long gid, String home, String shell) {}

    private final Path passwd;
    private final Path group;

    /** @param passwd usually {@code /etc/passwd}; @param group usually {@code /etc/group} */
    public Passwd(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    /** The host's files. */
    public static Passwd system() {
        return new Passwd(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** The account called {@code name} (case-sensitive, as Unix names are); empty if none. */
    public Optional<Account> byName(String name) throws IOException {
        for (String line : lines(passwd)) {
            Account a = parse(line);
            if (a != null && a.name().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** The first account with {@code uid}; empty if none. */
    public Optional<Account> byUid(long uid) throws IOException {
        for (String line : lines(passwd)) {
            Account a = parse(line);
            if (a != null && a.uid() == uid) return Optional.of(a);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code user} belongs to {@code groupName}: the group is the account's primary group
     * (passwd's gid) or lists the user among its members (group(5)'s fourth field).
     */
    public boolean isMember(String user, String groupName) throws IOException {
        Optional<Account> a = byName(user);
        for (String line : lines(group)) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || !f[0].equals(groupName)) continue;
            if (a.isPresent() && f[2].equals(Long.toString(a.get().gid()))) return true;
            for (String m : f[3].split(",")) if (m.trim().equals(user)) return true;
            return false;
        }
        return false;
    }

    static Account parse(String line) {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) return null;
        String[] f = line.split(":", -1);
        if (f.length < 7 || f[0].isEmpty()) return null;
        try {
            return new Account(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], f[6]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> lines(Path p) throws IOException {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
