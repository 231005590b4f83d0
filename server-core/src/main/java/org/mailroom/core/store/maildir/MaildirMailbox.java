package org.mailroom.core.store.maildir;

import org.mailroom.core.io.DirectorySync;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Maildir folder. {@link #sync()} reconciles the UID list with the directories: files that
 * vanished are dropped, files that appeared (our deliveries or other tools') get the next UIDs in
 * name order, and files in {@code new/} are moved to {@code cur/} as the Maildir spec expects of a
 * reader. The snapshot this session sees changes only in {@link #sync()} and {@link #expunge}.
 */
final class MaildirMailbox implements Mailbox {
    private static final Logger log = LoggerFactory.getLogger(MaildirMailbox.class);

    private final String account;
    private final String name;
    private final Path dir;
    private final ReentrantLock lock;
    private long uidValidity;
    private long uidNext;
    private List<MessageRef> snapshot = List.of();
    private Map<Long, Path> files = Map.of();
    private Map<Long, String> bases = Map.of();

    private final MaildirStore store;

    MaildirMailbox(MaildirStore store, String account, String name, Path dir) {
        this.store = store;
        this.account = account;
        this.name = name;
        this.dir = dir;
        this.lock = store.lockFor(dir);
    }

    @Override public String account() { return account; }
    @Override public String name() { return name; }
    @Override public long uidValidity() { return uidValidity; }
    @Override public long uidNext() { return uidNext; }
    @Override public List<MessageRef> messages() { return snapshot; }

    @Override
    public List<MessageRef> sync() throws IOException {
        lock.lock();
        try {
            UidList list = readOrRebuild();
            Map<String, Path> found = scan();
            boolean changed = list.byBase.keySet().retainAll(found.keySet());
            TreeMap<String, Path> fresh = new TreeMap<>(MaildirName::compareArrival);
            for (Map.Entry<String, Path> f : found.entrySet()) {
                if (!list.byBase.containsKey(f.getKey())) fresh.put(f.getKey(), f.getValue());
            }
            for (Map.Entry<String, Path> f : fresh.entrySet()) {
                String base = f.getKey();
                long size = MaildirName.field(base, 'S');
                long w = MaildirName.field(base, 'W');
                if (size < 0 || w < 0) {
                    long[] measured = measure(f.getValue());
                    size = measured[0];
                    w = measured[1];
                }
                long secs = MaildirName.epochSeconds(base);
                long date = secs > 0 ? secs * 1000 : Files.getLastModifiedTime(f.getValue()).toMillis();
                list.byBase.put(base, new UidList.Entry(list.uidNext++, size, w, date, base));
                changed = true;
            }
            if (changed) list.write(dir);
            install(list, found);
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InputStream open(long uid) throws IOException {
        Path p = files.get(uid);
        if (p == null) throw new NoSuchFileException("uid " + uid);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            // another tool renamed it (flags) or moved it from new/ to cur/: look for the base name
            Path again = scan().get(bases.get(uid));
            if (again == null) throw e;
            return Files.newInputStream(again);
        }
    }

    @Override
    public List<Long> expunge(Collection<Long> uids) throws IOException {
        if (uids.isEmpty()) return List.of();
        lock.lock();
        try {
            UidList list = readOrRebuild();
            Map<String, Path> found = scan();
            List<Long> removed = new ArrayList<>();
            java.util.Set<Path> dirs = new java.util.HashSet<>();
            for (long uid : uids) {
                String base = bases.get(uid);
                if (base == null) continue;
                UidList.Entry e = list.byBase.get(base);
                if (e == null || e.uid() != uid) continue; // gone already
                Path p = found.get(base);
                if (p != null) {
                    Files.deleteIfExists(p);
                    dirs.add(p.getParent());
                }
                list.byBase.remove(base);
                found.remove(base);
                removed.add(uid);
            }
            if (!removed.isEmpty()) {
                list.write(dir);
                for (Path d : dirs) DirectorySync.force(d);
            }
            install(list, found);
            return removed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        snapshot = List.of();
    }

    private void install(UidList list, Map<String, Path> found) {
        List<MessageRef> refs = new ArrayList<>(list.byBase.size());
        Map<Long, Path> f = new HashMap<>();
        Map<Long, String> b = new HashMap<>();
        for (UidList.Entry e : list.byBase.values()) {
            Path p = found.get(e.base());
            if (p == null) continue;
            refs.add(new MessageRef(e.uid(), e.size(), e.rfc822Size(), Instant.ofEpochMilli(e.internalDate()),
                    MaildirName.flags(p.getFileName().toString())));
            f.put(e.uid(), p);
            b.put(e.uid(), e.base());
        }
        uidValidity = list.uidValidity;
        uidNext = list.uidNext;
        snapshot = List.copyOf(refs);
        files = f;
        bases = b;
    }

    private UidList readOrRebuild() throws IOException {
        try {
            UidList l = UidList.read(dir);
            if (l != null) return l;
        } catch (UidList.Corrupt e) {
            Path aside = dir.resolve(UidList.FILE + ".corrupt");
            Files.move(dir.resolve(UidList.FILE), aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn("{}: {} unreadable ({}); moved to {} and rebuilt with a new UIDVALIDITY",
                    account, UidList.FILE, e.getMessage(), aside.getFileName());
        }
        UidList l = new UidList();
        l.uidValidity = store.newUidValidity();
        l.uidNext = 1;
        return l;
    }

    /**
     * Base name to current path over {@code cur/} and {@code new/}; files in {@code new/} are moved
     * to {@code cur/} with an empty info part. No fsync: the UID list refers to base names, so a
     * move lost in a crash changes nothing.
     */
    private Map<String, Path> scan() throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        Path cur = dir.resolve("cur");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cur)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (MaildirName.isMessageName(n)) out.put(MaildirName.base(n), p);
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("new"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!MaildirName.isMessageName(n)) continue;
                String base = MaildirName.base(n);
                Path target = cur.resolve(MaildirName.withFlags(base, MaildirName.flags(n)));
                try {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                    out.put(base, target);
                } catch (NoSuchFileException e) {
                    // moved by a concurrent reader: it is in cur/ now
                    Path again = target;
                    if (Files.exists(again)) out.put(base, again);
                }
            }
        }
        return out;
    }

    /** Size and CRLF size of a file written by another tool (it may use LF or CRLF line ends). */
    private static long[] measure(Path p) throws IOException {
        long size = 0, bareLf = 0;
        byte[] buf = new byte[65536];
        int prev = -1;
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && prev != '\r') bareLf++;
                    prev = buf[i];
                }
                size += n;
            }
        }
        return new long[] {size, size + bareLf};
    }
}
