package org.mailroom.core.store.maildir;

import org.mailroom.core.io.DirectorySync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.StoreDelivery;

/**
 * Mail of every account under one directory: {@code <root>/<domain>/<local-part>/} is the Maildir of
 * {@code local-part@domain}. Thread-safe.
 */
public final class MaildirStore implements MailStore {
    private final Path root;
    private final String hostname;
    private final ConcurrentHashMap<Path, DirectorySync> dirSyncs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, ReentrantLock> mailboxLocks = new ConcurrentHashMap<>();
    /** Maildirs known to have tmp/ new/ cur/: saves three stats per delivery on the hot path. */
    private final java.util.Set<Path> complete = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong lastUidValidity = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param root     the {@code mail/} directory; created when missing
     * @param hostname goes into new file names, as the Maildir spec asks
     */
    public MaildirStore(Path root, String hostname) {
        this.root = root.toAbsolutePath().normalize();
        this.hostname = hostname;
    }

    public Path root() { return root; }

    @Override
    public StoreDelivery newDelivery() {
        return new MaildirDelivery(this);
    }

    @Override
    public Mailbox openInbox(String account) throws IOException {
        Path dir = maildir(account);
        ensureMaildir(dir);
        MaildirMailbox m = new MaildirMailbox(this, account, "INBOX", dir);
        m.sync();
        return m;
    }

    String hostname() { return hostname; }

    /**
     * A UIDVALIDITY for a new or rebuilt index: the current time in seconds (Dovecot's choice), but
     * always larger than any this process handed out, so a rebuild within the same second still
     * tells clients that their cached UIDs are void (RFC 9051 2.3.1.1).
     */
    long newUidValidity() {
        long now = java.time.Instant.now().getEpochSecond();
        return lastUidValidity.updateAndGet(last -> Math.max(now, last + 1));
    }

    DirectorySync dirSync(Path dir) {
        return dirSyncs.computeIfAbsent(dir, DirectorySync::new);
    }

    ReentrantLock lockFor(Path dir) {
        return mailboxLocks.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    /**
     * The Maildir of an account. The address has been validated by the account store; this checks
     * again that neither part can leave the mail root.
     */
    Path maildir(String account) {
        String a = account.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) throw new IllegalArgumentException("not an address: " + account);
        String local = a.substring(0, at), domain = a.substring(at + 1);
        for (String part : new String[] {local, domain}) {
            if (part.startsWith(".") || part.contains("/") || part.contains("\0") || part.equals("..")) {
                throw new IllegalArgumentException("unsafe address for a mailbox path: " + account);
            }
        }
        Path p = root.resolve(domain).resolve(local).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("unsafe address for a mailbox path: " + account);
        return p;
    }

    /** Creates {@code tmp/ new/ cur/} when missing; new directory entries are synced. */
    void ensureMaildir(Path dir) throws IOException {
        if (complete.contains(dir)) return;
        if (Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"))
                && Files.isDirectory(dir.resolve("tmp"))) {
            complete.add(dir);
            return;
        }
        Path p = dir;
        Path firstMissing = null;
        while (p != null && !Files.exists(p)) {
            firstMissing = p;
            p = p.getParent();
        }
        for (String sub : new String[] {"tmp", "new", "cur"}) Files.createDirectories(dir.resolve(sub));
        DirectorySync.force(dir);
        if (firstMissing != null) {
            for (Path q = dir; q != null && !q.equals(firstMissing.getParent()); q = q.getParent()) {
                if (q.getParent() != null) DirectorySync.force(q.getParent());
            }
        }
        complete.add(dir);
    }

    /**
     * Forgets that {@code dir} was complete, after a write into it failed because a directory
     * vanished (an administrator removed the Maildir): the next delivery re-creates it.
     */
    void forget(Path dir) {
        complete.remove(dir);
    }
}
