package org.mailroom.core.account;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link AccountStore}: {@code users.properties}, one line per account, {@code #}
 * comments and blank lines kept as they are when the file is rewritten. An entry is
 * <pre>
 * address = phc[;scram]
 * alice@example.org = $argon2id$v=19$m=19456,t=2,p=1$...$...;SCRAM-SHA-256$4096:...$...:...
 * </pre>
 * the {@link PasswordHasher} string, then optionally {@code ;} and the account's
 * {@link ScramCredentials} (PostgreSQL's verifier format). Neither part contains {@code ;}. Lines
 * without the SCRAM part (written before it existed) stay valid: such an account cannot use
 * SCRAM-SHA-256 until {@code mailroom user passwd} sets its password again. The daemon and the
 * {@code mailroom user} command line both open the same file:
 *
 * <ul>
 *   <li><b>Readers</b> take no lock. Every call compares the file's mtime, size and inode with
 *       those of the copy in memory (one {@code stat}) and re-reads it when any differs, so a
 *       running daemon sees accounts the command line added without a restart or signal.</li>
 *   <li><b>Writers</b> are serialized by a lock inside this instance and, across processes, by an
 *       exclusive {@link FileChannel#lock() fcntl lock} on {@code users.properties.lock}. Under
 *       both locks a writer re-reads the file, changes it and replaces it atomically: write a
 *       temporary file in the same directory created with mode 0600, {@code fsync} it, rename it
 *       over the old one, {@code fsync} the directory. Readers therefore always see either the
 *       old or the new file, never a partial one, also after a crash.</li>
 *   <li>Passwords are stored only as {@link PasswordHasher} strings; the file and the lock file
 *       are mode 0600.</li>
 * </ul>
 *
 * <p>Open one instance per file in a JVM (the daemon wires one); a second instance in the same JVM
 * works but its writers wait by polling (see {@link #lockFile}).
 */
public final class PropertiesAccountStore implements AccountStore {
    private static final Logger log = LoggerFactory.getLogger(PropertiesAccountStore.class);

    private static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");

    // RFC 5322 3.2.3 atext, as used in the dot-atom local part of RFC 5321 4.1.2, lower-case
    // only (addresses are normalized first).
    // XXX '=' and '#' are excluded although RFC 5322 allows them: '=' would end the key in this
    // file and a leading '#' would make the line a comment. They occur in SRS and VERP return
    // paths, never in login names.
    private static final Pattern LOCAL_PART = Pattern.compile(
            "[a-z0-9!$%&'*+/?^_`{|}~-]+(\\.[a-z0-9!$%&'*+/?^_`{|}~-]+)*");
    // RFC 5321 4.1.2 Domain, letters-digits-hyphens labels. A single label is allowed: the
    // embedded default domain is "localhost".
    // XXX no internationalized (U-label) domains or local parts yet (RFC 6531).
    private static final Pattern DOMAIN = Pattern.compile(
            "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final Path file;
    private final Path lockPath;
    private final PasswordHasher hasher;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile String dummyHash;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /**
     * @param file   {@code users.properties}; it need not exist yet (then there are no accounts
     *               and the first {@link #add} creates it with mode 0600)
     * @param hasher hashes new passwords and checks logins
     */
    public PropertiesAccountStore(Path file, PasswordHasher hasher) {
        this(file, hasher, java.time.Duration.ZERO);
    }

    /**
     * @param verifiedTtl how long a password that verified may log in again without the Argon2id
     *                    hash ({@link VerifiedPasswords}); zero: never
     */
    public PropertiesAccountStore(Path file, PasswordHasher hasher, java.time.Duration verifiedTtl) {
        this.file = file.toAbsolutePath().normalize();
        this.lockPath = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.hasher = Objects.requireNonNull(hasher);
        this.verified = new VerifiedPasswords(verifiedTtl);
    }

    private final VerifiedPasswords verified;

    /** The file this store reads and writes. */
    public Path file() { return file; }

    @Override
    public Optional<Account> find(String address) throws IOException {
        String a = AccountStore.normalize(address);
        return current().entries.containsKey(a) ? Optional.of(new Account(a)) : Optional.empty();
    }

    /**
     * {@inheritDoc} The password array is not modified; the caller wipes it. A stored hash that
     * cannot be parsed never matches.
     */
    @Override
    public Optional<Account> authenticate(String address, char[] password) throws IOException {
        String a = AccountStore.normalize(address);
        String phc = phcOf(current().entries.get(a));
        if (phc != null && verified.verified(a, phc, password)) return Optional.of(new Account(a));
        // An unknown account costs one verify like a known one, so response time does not tell
        // an attacker which addresses exist.
        boolean ok = hasher.verify(password, phc != null ? phc : dummyHash());
        if (ok && phc != null) verified.remember(a, phc, password);
        return ok && phc != null ? Optional.of(new Account(a)) : Optional.empty();
    }

    @Override
    public Optional<ScramCredentials> scramSha256(String address) throws IOException {
        String v = current().entries.get(AccountStore.normalize(address));
        int semi = v == null ? -1 : v.indexOf(';');
        return semi < 0 ? Optional.empty() : Optional.ofNullable(ScramCredentials.parse(v.substring(semi + 1)));
    }

    /** The Argon2id part of an entry's value (null stays null). */
    private static String phcOf(String value) {
        int semi = value == null ? -1 : value.indexOf(';');
        return semi < 0 ? value : value.substring(0, semi);
    }

    /** The value stored for a new password: both the Argon2id hash and the SCRAM keys. Slow. */
    private String entryFor(char[] password) {
        return hasher.hash(password) + ";" + ScramCredentials.derive(password).encode();
    }

    /** {@inheritDoc} Sorted by address. */
    @Override
    public List<Account> list() throws IOException {
        List<Account> out = new ArrayList<>();
        for (String a : current().entries.keySet()) out.add(new Account(a));
        out.sort((x, y) -> x.address().compareTo(y.address()));
        return out;
    }

    /**
     * {@inheritDoc} The address is normalized and must be {@code local@domain} with a dot-atom
     * local part of at most 64 octets and a letters-digits-hyphens domain (RFC 5321 4.1.2,
     * 4.5.3.1.1). The password must not be empty; the array is not modified.
     */
    @Override
    public void add(String address, char[] password) throws IOException {
        String a = AccountStore.normalize(address);
        requireValidAddress(a);
        requirePassword(password);
        String phc = entryFor(password); // before taking the locks: ~50 ms
        modify(entries -> {
            if (entries.containsKey(a)) throw new IllegalArgumentException("account exists: " + a);
            entries.put(a, phc);
            return entries;
        });
        log.info("account added: user=<{}>", a);
    }

    /** {@inheritDoc} The password must not be empty; the array is not modified. */
    @Override
    public void setPassword(String address, char[] password) throws IOException {
        String a = AccountStore.normalize(address);
        requirePassword(password);
        if (!current().entries.containsKey(a)) throw new IllegalArgumentException("no such account: " + a);
        String phc = entryFor(password);
        modify(entries -> {
            if (!entries.containsKey(a)) throw new IllegalArgumentException("no such account: " + a);
            entries.put(a, phc);
            return entries;
        });
        log.info("password changed: user=<{}>", a);
    }

    @Override
    public boolean remove(String address) throws IOException {
        String a = AccountStore.normalize(address);
        boolean[] removed = {false};
        modify(entries -> {
            removed[0] = entries.remove(a) != null;
            return removed[0] ? entries : null;
        });
        if (removed[0]) log.info("account removed: user=<{}>", a);
        return removed[0];
    }

    /**
     * Validates a normalized address for {@link #add}.
     *
     * @throws IllegalArgumentException with a message naming the problem
     */
    static void requireValidAddress(String a) {
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) throw new IllegalArgumentException("not local@domain: " + a);
        String local = a.substring(0, at);
        String domain = a.substring(at + 1);
        // RFC 5321 4.5.3.1.1: local part at most 64 octets; 4.5.3.1.2: domain at most 255.
        if (local.length() > 64 || !LOCAL_PART.matcher(local).matches()) {
            throw new IllegalArgumentException("bad local part in " + a);
        }
        if (domain.length() > 255 || !DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("bad domain in " + a);
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) throw new IllegalArgumentException("empty password");
    }

    private String dummyHash() {
        String d = dummyHash;
        if (d == null) {
            // Same parameters as real hashes, made once; racing threads may each make one.
            d = hasher.hash("not a password".toCharArray());
            dummyHash = d;
        }
        return d;
    }

    // ---- reading ----------------------------------------------------------------------------

    /**
     * The parsed file as it was at {@code stamp}. {@code lines} keeps every line for rewriting;
     * {@code entries} maps normalized addresses to hashes (a later duplicate line wins, as with
     * {@link java.util.Properties}).
     */
    private record Snapshot(Stamp stamp, List<String> lines, Map<String, String> entries) {
        static final Snapshot EMPTY = new Snapshot(null, List.of(), Map.of());
    }

    /** What one stat tells about the file; null fields when it does not exist. */
    private record Stamp(FileTime mtime, long size, Object fileKey) {
        static final Stamp ABSENT = new Stamp(null, -1, null);
    }

    private Stamp stat() throws IOException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            // The inode (fileKey) changes with every atomic replacement, which matters when a
            // password change keeps the size and lands in the same mtime tick.
            return new Stamp(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        }
    }

    /** The snapshot, re-read first if the file changed since it was read. */
    private Snapshot current() throws IOException {
        Snapshot s = snapshot;
        Stamp now = stat();
        if (now.equals(s.stamp)) return s;
        s = read(now);
        snapshot = s;
        return s;
    }

    private Snapshot read(Stamp stamp) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Snapshot(Stamp.ABSENT, List.of(), Map.of());
        }
        // A writer re-reads an unchanged file under its lock: no need to repeat the warnings.
        return parse(stamp, lines, !stamp.equals(snapshot.stamp));
    }

    /**
     * @param stamp taken before the lines were read: a change during the read makes the next
     *              call read again rather than keep a stale copy
     * @param report whether to log lines that are not entries
     */
    private Snapshot parse(Stamp stamp, List<String> lines, boolean report) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String key = keyOf(lines.get(i));
            if (key == null) {
                if (report && !isCommentOrBlank(lines.get(i))) log.warn("{}:{}: ignored: not 'address = hash'", file, i + 1);
                continue;
            }
            String phc = lines.get(i).substring(lines.get(i).indexOf('=') + 1).trim();
            int semi = phc.indexOf(';');
            if (report && semi >= 0 && ScramCredentials.parse(phc.substring(semi + 1)) == null) {
                log.warn("{}:{}: <{}>: SCRAM-SHA-256 keys not recognized; SCRAM logins will fail", file, i + 1, key);
            }
            if (report && !PasswordHasher.wellFormed(phcOf(phc))) {
                // the hash itself is not logged: it is as sensitive as the file
                log.warn("{}:{}: <{}>: password hash not recognized; logins will fail", file, i + 1, key);
            }
            entries.put(key, phc);
        }
        return new Snapshot(stamp, List.copyOf(lines), Collections.unmodifiableMap(entries));
    }

    private static boolean isCommentOrBlank(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    /** The normalized address of an entry line, or null for comments, blanks and junk. */
    private static String keyOf(String line) {
        if (isCommentOrBlank(line)) return null;
        int eq = line.indexOf('=');
        if (eq <= 0) return null;
        String key = AccountStore.normalize(line.substring(0, eq));
        return key.isEmpty() ? null : key;
    }

    // ---- writing ----------------------------------------------------------------------------

    /**
     * Re-reads the file under both locks, applies {@code change} to a mutable copy of the entries
     * and writes the result back, unless {@code change} returns null (nothing to do).
     */
    private void modify(UnaryOperator<Map<String, String>> change) throws IOException {
        writeLock.lock();
        try (FileChannel lockChannel = openLockFile()) {
            lockFile(lockChannel); // released when the channel is closed
            Snapshot s = read(stat()); // another process may have written since our last look
            snapshot = s;
            Map<String, String> entries = change.apply(new LinkedHashMap<>(s.entries));
            if (entries == null) return;
            List<String> out = render(s.lines, entries);
            writeAtomically(out);
            snapshot = parse(stat(), out, false); // still under the file lock: nobody changed it since
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The new file: the old lines in their order with changed entries replaced and removed ones
     * dropped (comments stay), then the new entries.
     */
    private static List<String> render(List<String> old, Map<String, String> entries) {
        List<String> out = new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>(entries);
        for (String line : old) {
            String key = keyOf(line);
            if (key == null) {
                out.add(line);
            } else if (pending.containsKey(key)) {
                out.add(key + " = " + pending.remove(key));
            }
            // else: removed, or a duplicate line of an entry already written
        }
        if (old.isEmpty()) out.add("# Mailroom accounts: address = Argon2id hash;SCRAM-SHA-256 keys. Change with 'mailroom user'.");
        pending.forEach((k, v) -> out.add(k + " = " + v));
        return out;
    }

    private FileChannel openLockFile() throws IOException {
        Files.createDirectories(lockPath.getParent()); // the first "user add" on a fresh checkout makes conf/
        return FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                mode0600(lockPath.getParent()));
    }

    /**
     * An exclusive lock on the lock file, waiting for other processes. A second store instance
     * in this JVM makes {@code lock()} throw {@link OverlappingFileLockException} instead of
     * waiting (the JVM holds fcntl locks per process), so that case polls.
     */
    private static void lockFile(FileChannel ch) throws IOException {
        while (true) {
            try {
                ch.lock();
                return;
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for " + ch, ie);
                }
            }
        }
    }

    private void writeAtomically(List<String> lines) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", mode0600(dir));
        try {
            if (supportsPosix(dir)) Files.setPosixFilePermissions(tmp, MODE_0600); // whatever the umask
            keepOwner(tmp);
            StringBuilder sb = new StringBuilder();
            for (String l : lines) sb.append(l).append('\n');
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = StandardCharsets.UTF_8.encode(sb.toString());
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * XXX When root runs the command line on a file owned by the daemon's user, the renamed file
     * would belong to root and the daemon could no longer read it; so the new file takes the old
     * file's owner and group. Only root may do that; for others the owner is theirs anyway.
     */
    private void keepOwner(Path tmp) {
        try {
            PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            PosixFileAttributes now = view.readAttributes();
            if (!now.owner().equals(old.owner())) view.setOwner(old.owner());
            if (!now.group().equals(old.group())) view.setGroup(old.group());
        } catch (NoSuchFileException | UnsupportedOperationException e) {
            // first write, or not a POSIX file system: nothing to keep
        } catch (IOException e) {
            log.warn("{}: cannot keep owner of the old file: {}", file, e.getMessage());
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        // Makes the rename durable (Linux: fsync on a directory descriptor opened read-only).
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] mode0600(Path dir) {
        return supportsPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(MODE_0600)}
                : new FileAttribute<?>[0];
    }
}
