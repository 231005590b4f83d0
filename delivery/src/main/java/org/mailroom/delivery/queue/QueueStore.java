package org.mailroom.delivery.queue;

import org.mailroom.core.io.DirectorySync;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.mailroom.core.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue on disk, Postfix style: the directories are the states.
 *
 * <pre>
 * queue/messages/&lt;id&gt;.msg      content, LF line ends, written once, never moved
 * queue/incoming/&lt;id&gt;.env      the record ({@link QueueEntryFormat}) of a message not yet picked up
 * queue/active/&lt;id&gt;.env        picked up by the queue manager (in-memory state, see {@link #recover})
 * queue/deferred/&lt;id&gt;.env      waiting for its next attempt
 * queue/hold/&lt;id&gt;.env          held by the postmaster
 * queue/corrupt/             quarantined records and content, never deleted by Mailroom
 * queue/tmp/                 files being written; emptied by {@link #recover}
 * queue/spare/               emptied files of removed messages, reused for new ones; emptied by {@link #recover}
 * </pre>
 *
 * A state change is one {@code rename(2)} of the small record; the content stays where it is.
 *
 * <p>Invariants:
 * <ul>
 * <li>A record in a state directory implies durable content: the content is renamed into
 *     {@code messages/} and that directory fsynced before the record is renamed into place.
 * <li>Every write is temp file, fdatasync, rename, directory fsync; a method returns only when
 *     its change is durable. Directory fsyncs are group commits ({@link DirectorySync}): concurrent
 *     callers renaming into one directory share one fsync. Exceptions, each explained where it
 *     is made: moves in and out of {@code active/} and {@link #delete} are not synced (after a
 *     crash they can only bring back a message, never lose one).
 * <li>Operations on one id are serialized by a lock of that id alone; different ids never wait
 *     for each other (not even for each other's fsyncs).
 * <li>Ids are checked with {@link QueueId} before any path is built.
 * </ul>
 *
 * <p>All methods block (disk, fsync) and are for the blocking executor, never an event loop.
 * {@link #recover} runs once at start, before any other method.
 */
public final class QueueStore {
    private static final Logger log = LoggerFactory.getLogger(QueueStore.class);
    private static final String MSG = ".msg";
    private static final String ENV = ".env";
    private static final int MAX_RECORD = 16 << 20;

    /** The queue directories. */
    public enum State {
        INCOMING, ACTIVE, DEFERRED, HOLD, CORRUPT;

        public String dirName() { return name().toLowerCase(Locale.ROOT); }
    }

    /** A record and the directory it was found in. */
    public record Stored(State state, QueueEntry entry) {}

    /**
     * What {@link #recover} did.
     *
     * @param tempFilesRemoved files deleted from {@code tmp/}
     * @param requeued         records moved from {@code active/} back to {@code incoming/}
     * @param quarantined      records or content files moved to {@code corrupt/}
     * @param queued           messages in the queue afterwards
     */
    public record RecoveryReport(int tempFilesRemoved, int requeued, int quarantined, int queued) {}

    private final Path root;
    private final Path messages;
    private final Path tmp;
    private final Path spare;
    /**
     * Files of removed messages, emptied, waiting to be written again: a new queue file then costs
     * no inode allocation (ext4 without a journal scans the recently freed inodes on every create)
     * and its fdatasync no sync of the parent directory, which a file's first fsync includes.
     * PostgreSQL recycles its WAL segments for the same reasons.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Path> spares = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger spareCount = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong spareNames = new java.util.concurrent.atomic.AtomicLong();
    /** Spares kept at most; beyond that a removed file is unlinked. */
    static final int SPARES_MAX = 512;
    private final Map<State, Path> dirs = new EnumMap<>(State.class);
    private final Map<Path, DirectorySync> syncs;
    private final ConcurrentHashMap<String, ReentrantLock> busy = new ConcurrentHashMap<>();

    /** Creates the directories under {@code root} (usually {@code <data>/queue}) if missing. */
    public QueueStore(Path root) throws IOException {
        this(root, DirectorySync::force);
    }

    /** With a replaceable directory fsync, for tests that simulate a slow disk. */
    QueueStore(Path root, DirectorySync.Fsync fsync) throws IOException {
        this.root = root;
        this.messages = root.resolve("messages");
        this.tmp = root.resolve("tmp");
        this.spare = root.resolve("spare");
        for (State s : State.values()) dirs.put(s, root.resolve(s.dirName()));
        Map<Path, DirectorySync> m = new java.util.HashMap<>();
        for (Path d : allDirs()) {
            Files.createDirectories(d);
            m.put(d, new DirectorySync(d, fsync));
        }
        this.syncs = Map.copyOf(m);
    }

    public Path root() { return root; }

    /** Enqueues into {@code incoming/}; see {@link #enqueue(QueueEntry, MessageContent, State)}. */
    public QueueEntry enqueue(QueueEntry entry, MessageContent content) throws IOException {
        return enqueue(entry, content, State.INCOMING);
    }

    /**
     * Stores a new message. Content and record are written to temporary files ({@code tmp/}, or a
     * reused one from {@code spare/}) and fdatasynced; the
     * content is renamed into {@code messages/}, that directory fsynced, then the record renamed into
     * {@code into} and that directory fsynced (both group commits). Returns only when the message is
     * durable; the caller may then answer 250. On failure nothing of the message is left behind
     * (best effort) and the exception is thrown.
     *
     * @param into {@link State#INCOMING} normally; {@link State#ACTIVE} when the caller hands the
     *             entry to the queue manager in memory; {@link State#HOLD} to hold it
     * @throws FileAlreadyExistsException if a message with this id is queued already
     */
    public QueueEntry enqueue(QueueEntry entry, MessageContent content, State into) throws IOException {
        if (into == State.CORRUPT) throw new IllegalArgumentException("cannot enqueue into corrupt/");
        String id = entry.id();
        byte[] record = QueueEntryFormat.writeBytes(entry);
        Path msg = contentPath(id);
        Path rec = recordPath(into, id);
        Path tmpMsg = null, tmpRec = null;
        boolean msgPlaced = false, recPlaced = false;
        ReentrantLock l = lock(id);
        try {
            // a record implies its content (see above), so the content's name is the one to check
            if (Files.exists(msg)) throw new FileAlreadyExistsException(id, null, "already queued");
            tmpMsg = newTemp(id, MSG);
            try (InputStream in = content.open()) {
                writeDurably(tmpMsg, in, null);
            }
            tmpRec = newTemp(id, ENV);
            writeDurably(tmpRec, null, record);
            Files.move(tmpMsg, msg, StandardCopyOption.ATOMIC_MOVE);
            msgPlaced = true;
            tmpMsg = null;
            sync(messages); // the content is durable before the record can be seen
            Files.move(tmpRec, rec, StandardCopyOption.ATOMIC_MOVE);
            recPlaced = true;
            tmpRec = null;
            sync(dirs.get(into));
            return entry;
        } catch (IOException | RuntimeException e) {
            // the caller answers 4xx and the client sends again: leave nothing that could be delivered twice
            deleteQuietly(tmpMsg);
            deleteQuietly(tmpRec);
            if (recPlaced) deleteQuietly(rec);
            if (msgPlaced) deleteQuietly(msg);
            throw e;
        } finally {
            unlock(id, l);
        }
    }

    /**
     * Replaces the record of {@code e.id()} in whatever state directory holds it: temp file,
     * fdatasync, rename over the old record, directory fsync.
     *
     * @throws NoSuchFileException if the message is not queued
     */
    public void update(QueueEntry e) throws IOException {
        String id = e.id();
        byte[] record = QueueEntryFormat.writeBytes(e);
        ReentrantLock l = lock(id);
        Path t = null;
        try {
            State s = requireLocated(id);
            t = newTemp(id, ENV);
            writeDurably(t, null, record);
            Files.move(t, recordPath(s, id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            t = null;
            sync(dirs.get(s));
        } finally {
            deleteQuietly(t);
            unlock(id, l);
        }
    }

    /**
     * Moves the record to {@code to} (one rename); fsyncs both directories only when {@code hold/}
     * is one of them (see the comment inside).
     * Moving to the state it is in does nothing. Use {@link #quarantine} for {@code corrupt/}.
     *
     * @throws NoSuchFileException if the message is not queued
     */
    public void move(String id, State to) throws IOException {
        if (to == State.CORRUPT) throw new IllegalArgumentException("use quarantine() for corrupt/");
        ReentrantLock l = lock(QueueId.require(id));
        try {
            State from = requireLocated(id);
            if (from == to) return;
            Files.move(recordPath(from, id), recordPath(to, id), StandardCopyOption.ATOMIC_MOVE);
            // Moves in and out of active/ are not synced: after a crash the record is found in one
            // of the two places, recover() puts active/ back to incoming/, and the record's content
            // (made durable by update()) is the same either way. Moves into or out of hold/ are
            // an administrator's decision and are made durable.
            if (to == State.HOLD || from == State.HOLD) {
                sync(dirs.get(to));
                sync(dirs.get(from));
            }
        } finally {
            unlock(id, l);
        }
    }

    /**
     * Like {@link #move}, but only if the record is in one of {@code from}: the check and the rename
     * hold the id's lock, so nobody can move the record in between (the queue manager taking a
     * message while the postmaster holds it, {@code mailroom queue hold}).
     *
     * @return the state the record was found in (it was moved if that is one of {@code from}), or
     *         empty if the message is not queued
     */
    public Optional<State> moveIf(String id, Set<State> from, State to) throws IOException {
        if (to == State.CORRUPT) throw new IllegalArgumentException("use quarantine() for corrupt/");
        ReentrantLock l = lock(QueueId.require(id));
        try {
            State was = locate(id);
            if (was == null || was == to || !from.contains(was)) return Optional.ofNullable(was);
            Files.move(recordPath(was, id), recordPath(to, id), StandardCopyOption.ATOMIC_MOVE);
            sync(dirs.get(to));
            sync(dirs.get(was));
            return Optional.of(was);
        } finally {
            unlock(id, l);
        }
    }

    /**
     * Like {@link #delete}, but only if the record is in one of {@code from}, checked under the id's
     * lock ({@code mailroom queue delete} must not remove a message being delivered).
     *
     * @return the state the record was found in (deleted if that is one of {@code from}), or empty
     *         if there is no record (an orphan content file is left to {@link #recover})
     */
    public Optional<State> deleteIf(String id, Set<State> from) throws IOException {
        ReentrantLock l = lock(QueueId.require(id));
        try {
            State s = locate(id);
            if (s == null || !from.contains(s)) return Optional.ofNullable(s);
            Files.delete(recordPath(s, id));
            sync(dirs.get(s));
            if (Files.deleteIfExists(contentPath(id))) sync(messages);
            return Optional.of(s);
        } finally {
            unlock(id, l);
        }
    }

    /**
     * Removes a message: first the record, so that a crash in between leaves only an orphan content
     * file, which {@link #recover} quarantines; then the content. Neither unlink is synced (see the
     * comment inside): call it only when the message needs nothing more, e.g. after the remote 250.
     *
     * @throws NoSuchFileException if neither record nor content exists
     */
    public void delete(String id) throws IOException {
        ReentrantLock l = lock(QueueId.require(id));
        try {
            State s = locate(id);
            // XXX neither removal is synced (Postfix syncs no unlink either): delete() follows a
            // final result, so what a power loss can bring back is a message already delivered,
            // never one that was acknowledged and lost. The record may come back (active/ or
            // deferred/; its recipients are delivered again: a duplicate) or the content alone,
            // which recover() moves to corrupt/ like any orphan. A directory fsync here cost a
            // synchronous directory write per delivered message.
            if (s != null && !recycle(recordPath(s, id))) throw new NoSuchFileException(id, null, "vanished");
            boolean hadContent = recycle(contentPath(id));
            if (s == null && !hadContent) throw new NoSuchFileException(id, null, "not queued");
        } finally {
            unlock(id, l);
        }
    }

    /**
     * Moves the record (from any state) and the content of {@code id} to {@code corrupt/}, under
     * a name that does not overwrite an earlier one; logs one WARN line. For records the queue
     * manager cannot use; recovery does the same at start.
     *
     * @return true if anything was moved
     */
    public boolean quarantine(String id, String reason) throws IOException {
        ReentrantLock l = lock(QueueId.require(id));
        try {
            List<String> moved = new ArrayList<>();
            for (State s : State.values()) {
                if (s == State.CORRUPT) continue;
                Path r = recordPath(s, id);
                if (Files.exists(r)) moved.add(s.dirName() + "/" + r.getFileName() + " -> " + toCorrupt(r));
            }
            Path c = contentPath(id);
            if (Files.exists(c)) moved.add("messages/" + c.getFileName() + " -> " + toCorrupt(c));
            if (moved.isEmpty()) return false;
            log.warn("{}: moved to corrupt/ ({}): {}", id, String.join(", ", moved), reason);
            syncAll();
            return true;
        } finally {
            unlock(id, l);
        }
    }

    /** The content as stored (LF line ends). @throws NoSuchFileException if not queued */
    public InputStream openContent(String id) throws IOException {
        return Files.newInputStream(contentPath(QueueId.require(id)));
    }

    /** Octets of the stored content (LF form). @throws NoSuchFileException if not queued */
    public long contentSize(String id) throws IOException {
        return Files.size(contentPath(QueueId.require(id)));
    }

    /**
     * @return the record, or empty when no state directory (other than {@code corrupt/}) has it
     * @throws CorruptQueueFile if the record cannot be parsed
     */
    public Optional<QueueEntry> load(String id) throws IOException {
        return loadStored(id).map(Stored::entry);
    }

    /** The record with the directory it is in, or empty. */
    public Optional<Stored> loadStored(String id) throws IOException {
        ReentrantLock l = lock(QueueId.require(id));
        try {
            State s = locate(id);
            if (s == null) return Optional.empty();
            return Optional.of(new Stored(s, read(recordPath(s, id))));
        } finally {
            unlock(id, l);
        }
    }

    /** The state directory holding {@code id}, or empty. */
    public Optional<State> state(String id) {
        return Optional.ofNullable(locate(QueueId.require(id)));
    }

    /** Ids with a record in {@code s}, sorted; for {@code corrupt/} every file name as it is. */
    public List<String> ids(State s) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dirs.get(s))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (s == State.CORRUPT) out.add(n);
                else if (n.endsWith(ENV) && QueueId.isValid(stem(n))) out.add(stem(n));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The records in {@code s}, by id. A record that vanishes while listing (moved or deleted
     * concurrently) is left out; an unreadable one is left out with a WARN line (it stays where it
     * is until {@link #quarantine} or the next {@link #recover}).
     */
    public List<QueueEntry> list(State s) throws IOException {
        List<QueueEntry> out = new ArrayList<>();
        for (String id : ids(s)) {
            if (s == State.CORRUPT) break;
            try {
                out.add(read(recordPath(s, id)));
            } catch (NoSuchFileException e) {
                // moved or delivered meanwhile
            } catch (IOException e) {
                log.warn("{}: unreadable record in {}/: {}", id, s.dirName(), e.getMessage());
            }
        }
        return out;
    }

    /** Every readable record in every state but {@code corrupt/}, with its state. */
    public List<Stored> listAll() throws IOException {
        List<Stored> out = new ArrayList<>();
        for (State s : State.values()) {
            if (s == State.CORRUPT) continue;
            for (QueueEntry e : list(s)) out.add(new Stored(s, e));
        }
        return out;
    }

    /**
     * Brings the queue into a consistent state at start, before anything else uses the store:
     * <ol>
     * <li>deletes everything in {@code tmp/} (writes that never completed, never acknowledged) and
 *     in {@code spare/} (files of removed messages kept for reuse);
     * <li>moves {@code active/} back to {@code incoming/}: active is the queue manager's in-memory
     *     state, which did not survive the restart (Postfix qmgr);
     * <li>quarantines to {@code corrupt/}, with one WARN line each: unparseable or truncated
     *     records, records whose content is missing or whose id does not match the file name, a
     *     second record for the same id, unknown files, and content without a record (an
     *     interrupted enqueue or delete).
     * </ol>
     * Never deletes a record or content, never stops at one bad file: a file that cannot even be
     * moved is logged and left where it is.
     */
    public RecoveryReport recover() throws IOException {
        int removed = 0, requeued = 0, quarantined = 0;
        spares.clear();
        spareCount.set(0);
        for (Path p : listDir(spare)) deleteQuietly(p); // emptied files of delivered messages, nothing else
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                try {
                    Files.delete(p);
                    removed++;
                } catch (IOException e) {
                    log.warn("queue: cannot remove tmp/{}: {}", p.getFileName(), e.toString());
                }
            }
        }
        for (Path p : listDir(dirs.get(State.ACTIVE))) {
            String n = p.getFileName().toString();
            Path target = dirs.get(State.INCOMING).resolve(n);
            if (!n.endsWith(ENV) || Files.exists(target)) continue; // the scan below quarantines it
            try {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                requeued++;
            } catch (IOException e) {
                log.warn("{}: cannot move active/{} to incoming/: {}", stem(n), n, e.toString());
            }
        }
        Set<String> queued = new HashSet<>();
        for (State s : State.values()) {
            if (s == State.CORRUPT) continue;
            for (Path p : listDir(dirs.get(s))) {
                String n = p.getFileName().toString();
                String where = s.dirName() + "/" + n;
                String id = stem(n);
                String problem = null;
                if (!n.endsWith(ENV) || !QueueId.isValid(id)) {
                    problem = "not a queue record name";
                    id = null;
                } else if (queued.contains(id)) {
                    problem = "second record for the same id";
                    id = null; // keep the content with the first record
                } else {
                    try {
                        QueueEntry e = read(p);
                        if (!e.id().equals(id)) problem = "record says id " + e.id();
                        else if (!Files.isRegularFile(contentPath(id))) problem = "content messages/" + id + MSG + " missing";
                    } catch (IOException | RuntimeException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem == null) {
                    queued.add(id);
                    continue;
                }
                if (quarantineOnRecovery(where, p, id, problem)) quarantined++;
            }
        }
        for (Path p : listDir(messages)) {
            String n = p.getFileName().toString();
            String id = stem(n);
            if (n.endsWith(MSG) && QueueId.isValid(id) && queued.contains(id)) continue;
            String problem = n.endsWith(MSG) && QueueId.isValid(id) ? "content without a record" : "not a content file name";
            if (quarantineOnRecovery("messages/" + n, p, null, problem)) quarantined++;
        }
        syncAll();
        return new RecoveryReport(removed, requeued, quarantined, queued.size());
    }

    /** Directory fsyncs run so far by this store (group commit makes it far fewer than writes). */
    public long directoryFsyncs() {
        long n = 0;
        for (DirectorySync d : syncs.values()) n += d.fsyncs();
        return n;
    }

    // ---- internals

    /** Moves {@code file} (and the content of {@code id} if given) to corrupt/; one WARN line. */
    private boolean quarantineOnRecovery(String where, Path file, String id, String problem) {
        String label = id != null ? id : where;
        try {
            StringBuilder moved = new StringBuilder(where).append(" -> ").append(toCorrupt(file));
            if (id != null && Files.exists(contentPath(id))) {
                moved.append(", messages/").append(id).append(MSG).append(" -> ").append(toCorrupt(contentPath(id)));
            }
            log.warn("{}: moved to corrupt/ ({}): {}", label, moved, problem);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("{}: {}; cannot move it to corrupt/, left in place: {}", label, problem, e.toString());
            return false;
        }
    }

    /** Renames {@code file} into corrupt/ without overwriting; returns the name used there. */
    private String toCorrupt(Path file) throws IOException {
        Path corrupt = dirs.get(State.CORRUPT);
        String base = file.getFileName().toString();
        for (int i = 0; ; i++) {
            Path target = corrupt.resolve(i == 0 ? base : base + "." + i);
            if (Files.exists(target)) continue;
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            return target.getFileName().toString();
        }
    }

    private QueueEntry read(Path record) throws IOException {
        long size = Files.size(record);
        if (size > MAX_RECORD) throw new CorruptQueueFile(record.getFileName().toString(), 0, "larger than " + MAX_RECORD);
        return QueueEntryFormat.parse(Files.readAllBytes(record), record.getFileName().toString());
    }

    private State locate(String id) {
        for (State s : State.values()) {
            if (s != State.CORRUPT && Files.exists(recordPath(s, id))) return s;
        }
        return null;
    }

    private State requireLocated(String id) throws NoSuchFileException {
        State s = locate(id);
        if (s == null) throw new NoSuchFileException(id, null, "not queued");
        return s;
    }

    private Path contentPath(String id) {
        return messages.resolve(QueueId.require(id) + MSG);
    }

    private Path recordPath(State s, String id) {
        return dirs.get(s).resolve(QueueId.require(id) + ENV);
    }

    /**
     * The temporary name for a file of {@code id}: unique because only the holder of the id's lock
     * writes one, and only this process writes the queue. A name, not {@link Files#createTempFile}
     * (its random names and permission attributes were 4% of the relay path's CPU).
     */
    private Path newTemp(String id, String suffix) {
        Path p = spares.poll();
        if (p != null) {
            spareCount.decrementAndGet();
            return p;
        }
        return tmp.resolve(id + suffix);
    }

    /**
     * Takes {@code file} (a removed message's record or content) out of its directory into
     * {@code spare/}, emptied, for {@link #newTemp}; unlinks it when enough spares are kept.
     *
     * @return false if the file did not exist
     */
    private boolean recycle(Path file) throws IOException {
        if (spareCount.get() >= SPARES_MAX) return Files.deleteIfExists(file);
        Path p = spare.resolve(Long.toString(spareNames.incrementAndGet()));
        try {
            Files.move(file, p, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        // emptied at once: the queue keeps no copy of a delivered message under another name
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            spareCount.incrementAndGet();
            spares.add(p);
        } catch (IOException e) {
            deleteQuietly(p);
        }
        return true;
    }

    /**
     * Writes {@code in} or {@code bytes} to the file, created if missing, and fdatasyncs it. A
     * spare is empty already; anything beyond the new end (a leftover of a failed write of the same
     * id) is cut off after writing, which spares the truncation an {@code O_TRUNC} open costs.
     */
    private static void writeDurably(Path file, InputStream in, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            if (in != null) in.transferTo(out);
            else out.write(bytes);
            long end = ch.position();
            if (ch.size() > end) ch.truncate(end);
            ch.force(false); // fdatasync: data and size before the name is visible
        }
    }

    private void sync(Path dir) throws IOException {
        syncs.get(dir).sync();
    }

    private void syncAll() throws IOException {
        for (Path d : allDirs()) sync(d);
    }

    private List<Path> allDirs() {
        List<Path> l = new ArrayList<>(dirs.values());
        l.add(messages);
        l.add(tmp);
        l.add(spare);
        return l;
    }

    private static List<Path> listDir(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) out.add(p);
        }
        out.sort(null);
        return out;
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Takes the lock of {@code id}; a lock exists only while someone holds it. */
    private ReentrantLock lock(String id) {
        while (true) {
            ReentrantLock mine = new ReentrantLock();
            mine.lock();
            ReentrantLock held = busy.putIfAbsent(id, mine);
            if (held == null) return mine;
            held.lock(); // wait for the holder, then try again: it removed its lock before unlocking
            held.unlock();
        }
    }

    private void unlock(String id, ReentrantLock l) {
        busy.remove(id, l);
        l.unlock();
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // XXX a leftover in tmp/ is removed by the next recover()
        }
    }
}
