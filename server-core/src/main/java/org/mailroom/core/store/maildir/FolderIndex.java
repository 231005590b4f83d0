package org.mailroom.core.store.maildir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.mailroom.core.io.DirectorySync;

/**
 * The on-disk index of one folder, after Dovecot's {@code dovecot.index} + {@code dovecot.index.log}:
 * a snapshot file {@code mailroom-index} and an append-only change log {@code mailroom-index.log}.
 *
 * <p>Snapshot: magic, version, generation, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, keyword names, then
 * one record per message (uid, stored size, RFC822 size, internal date, flag bits, keyword bits,
 * mod-sequence, base file name), then a CRC-32 of all of it. Written to a temporary name, forced,
 * renamed, directory forced: a crash leaves the old or the new snapshot.
 *
 * <p>Log: magic and the generation of the snapshot it continues, then records
 * {@code [length][type][payload][crc32]}. A record that is cut short or fails its CRC ends the log
 * (a torn write at a crash); the rest is truncated. Records are idempotent on replay. {@link #force}
 * is called before UIDs or expunges are announced to clients, so what a client saw survives a crash.
 * When the log grows past its bound, {@link #compact} writes a new snapshot with the next generation
 * and starts an empty log: a crash between the two leaves a log whose generation does not match, and
 * it is ignored (its records are in the snapshot).
 *
 * <p>Not thread-safe: the folder lock serialises users.
 */
final class FolderIndex implements AutoCloseable {
    static final String FILE = "mailroom-index";
    static final String LOG = "mailroom-index.log";
    private static final int MAGIC = 0x4d524958; // "MRIX"
    private static final int LOG_MAGIC = 0x4d524c47; // "MRLG"
    private static final int VERSION = 1;
    private static final int MAX_RECORD = 1 << 16;
    /** Log size that triggers compaction, unless the snapshot is much larger (then a quarter of it). */
    private static final long COMPACT_AT = 1 << 20;

    static final byte ADD = 1, FLAGS = 2, EXPUNGE = 3, KEYWORD = 4, SIZES = 5;

    /** One message as the index keeps it. */
    record Entry(long uid, long size, long rfc822Size, long internalDate, int flags, long keywords, long modSeq,
                 String base) {}

    /** What {@link #load} found. */
    static final class State {
        long uidValidity;
        long uidNext = 1;
        long highestModSeq = 1;
        final List<String> keywords = new ArrayList<>();
        /** By UID; replay keeps it sorted because UIDs only grow. */
        final java.util.TreeMap<Long, Entry> entries = new java.util.TreeMap<>();
    }

    /** Thrown for a snapshot that exists but cannot be trusted; the caller rebuilds. */
    static final class Corrupt extends IOException {
        private static final long serialVersionUID = 1L;
        Corrupt(String m) { super(m); }
    }

    private final Path dir;
    private long generation;
    private FileChannel log;
    private long logSize;
    private long snapshotSize;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private FolderIndex(Path dir) {
        this.dir = dir;
    }

    /**
     * Reads the snapshot and replays the log into {@code into}.
     *
     * @return the open index, or null when there is no snapshot yet (the caller {@link #create}s one)
     * @throws Corrupt when the snapshot is unreadable
     */
    static FolderIndex load(Path dir, State into) throws IOException {
        byte[] snap;
        try {
            snap = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return null;
        }
        FolderIndex ix = new FolderIndex(dir);
        ix.snapshotSize = snap.length;
        ix.generation = readSnapshot(snap, into);
        ix.openLog(into);
        return ix;
    }

    /** Writes a first snapshot of {@code state} and an empty log. */
    static FolderIndex create(Path dir, State state) throws IOException {
        FolderIndex ix = new FolderIndex(dir);
        ix.generation = 1;
        ix.writeSnapshot(state, state.entries.values());
        ix.startLog();
        return ix;
    }

    private static long readSnapshot(byte[] b, State s) throws IOException {
        if (b.length < 8) throw new Corrupt("short");
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        int stored = ByteBuffer.wrap(b, b.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) throw new Corrupt("checksum mismatch");
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b, 0, b.length - 4))) {
            if (in.readInt() != MAGIC) throw new Corrupt("not an index");
            if (in.readInt() != VERSION) throw new Corrupt("unknown version");
            long gen = in.readLong();
            s.uidValidity = in.readLong();
            s.uidNext = in.readLong();
            s.highestModSeq = in.readLong();
            int nk = in.readInt();
            if (nk < 0 || nk > 64) throw new Corrupt("keyword count");
            for (int i = 0; i < nk; i++) s.keywords.add(in.readUTF());
            int n = in.readInt();
            if (n < 0) throw new Corrupt("message count");
            for (int i = 0; i < n; i++) {
                Entry e = readEntry(in);
                if (e.uid() >= s.uidNext) throw new Corrupt("uid beyond uidnext");
                s.entries.put(e.uid(), e);
            }
            if (s.uidValidity <= 0 || s.uidNext <= 0) throw new Corrupt("bad header values");
            return gen;
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw new Corrupt("truncated");
        }
    }

    private static Entry readEntry(DataInputStream in) throws IOException {
        return new Entry(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readUnsignedByte(),
                in.readLong(), in.readLong(), in.readUTF());
    }

    private static void writeEntry(DataOutputStream out, Entry e) throws IOException {
        byte[] b = new byte[ENTRY_FIXED + e.base().length()];
        int end = encodeEntry(b, 0, e);
        if (end >= 0) {
            out.write(b, 0, end);
            return;
        }
        // a name that is not plain ASCII (a foreign tool's): modified UTF-8, as readUTF reads it
        out.writeLong(e.uid());
        out.writeLong(e.size());
        out.writeLong(e.rfc822Size());
        out.writeLong(e.internalDate());
        out.writeByte(e.flags());
        out.writeLong(e.keywords());
        out.writeLong(e.modSeq());
        out.writeUTF(e.base());
    }

    /** Octets of an entry besides its name's: uid, sizes, date, flags, keywords, mod-sequence, name length. */
    private static final int ENTRY_FIXED = 8 * 4 + 1 + 8 * 2 + 2;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * Encodes {@code e} into {@code b} at {@code at} exactly as {@link #writeEntry} writes it and
     * returns where it ends, or -1 when it does not fit or its name is not ASCII without NUL (the
     * only names whose modified UTF-8 is their chars). A first look at 100,000 files writes them
     * all into the snapshot: one array write per 64 KiB instead of ten stream calls per entry.
     */
    private static int encodeEntry(byte[] b, int at, Entry e) {
        String name = e.base();
        int n = name.length();
        if (n > 0xFFFF || at + ENTRY_FIXED + n > b.length) return -1;
        int p = at + ENTRY_FIXED;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == 0 || c >= 0x80) return -1;
            b[p + i] = (byte) c;
        }
        LONGS.set(b, at, e.uid());
        LONGS.set(b, at + 8, e.size());
        LONGS.set(b, at + 16, e.rfc822Size());
        LONGS.set(b, at + 24, e.internalDate());
        b[at + 32] = (byte) e.flags();
        LONGS.set(b, at + 33, e.keywords());
        LONGS.set(b, at + 41, e.modSeq());
        b[at + 49] = (byte) (n >>> 8);
        b[at + 50] = (byte) n;
        return p + n;
    }

    private void openLog(State s) throws IOException {
        Path p = dir.resolve(LOG);
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            startLog();
            return;
        }
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate(12);
        if (size < 12 || ch.read(head, 0) < 12 || head.getInt(0) != LOG_MAGIC || head.getLong(4) != generation) {
            ch.close();
            startLog(); // a log of an older generation is already in the snapshot
            return;
        }
        long pos = 12;
        ByteBuffer len = ByteBuffer.allocate(4);
        while (pos + 4 <= size) {
            len.clear();
            ch.read(len, pos);
            int n = len.getInt(0);
            if (n < 1 || n > MAX_RECORD || pos + 4 + n + 4 > size) break;
            ByteBuffer rec = ByteBuffer.allocate(n + 4);
            while (rec.hasRemaining() && ch.read(rec, pos + 4 + rec.position()) > 0) { /* fill */ }
            CRC32 crc = new CRC32();
            crc.update(rec.array(), 0, n);
            if ((int) crc.getValue() != rec.getInt(n)) break;
            try {
                replay(rec.array(), n, s);
            } catch (IOException | RuntimeException e) {
                break;
            }
            pos += 4 + n + 4;
        }
        if (pos < size) ch.truncate(pos); // the torn tail of a crash
        ch.position(pos);
        log = ch;
        logSize = pos;
    }

    private static void replay(byte[] rec, int n, State s) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(rec, 1, n - 1));
        switch (rec[0]) {
            case ADD -> {
                Entry e = readEntry(in);
                s.entries.put(e.uid(), e);
                s.uidNext = Math.max(s.uidNext, e.uid() + 1);
                s.highestModSeq = Math.max(s.highestModSeq, e.modSeq());
            }
            case FLAGS -> {
                long uid = in.readLong();
                int flags = in.readUnsignedByte();
                long kw = in.readLong(), modSeq = in.readLong();
                Entry e = s.entries.get(uid);
                if (e != null && modSeq >= e.modSeq()) {
                    s.entries.put(uid, new Entry(uid, e.size(), e.rfc822Size(), e.internalDate(), flags, kw, modSeq,
                            e.base()));
                }
                s.highestModSeq = Math.max(s.highestModSeq, modSeq);
            }
            case EXPUNGE -> {
                long uid = in.readLong(), modSeq = in.readLong();
                s.entries.remove(uid);
                s.highestModSeq = Math.max(s.highestModSeq, modSeq);
            }
            case KEYWORD -> {
                String k = in.readUTF();
                if (!s.keywords.contains(k) && s.keywords.size() < 64) s.keywords.add(k);
            }
            case SIZES -> {
                long uid = in.readLong(), size = in.readLong(), rfc822 = in.readLong();
                Entry e = s.entries.get(uid);
                if (e != null) {
                    s.entries.put(uid, new Entry(uid, size, rfc822, e.internalDate(), e.flags(), e.keywords(),
                            e.modSeq(), e.base()));
                }
            }
            default -> throw new IOException("unknown record type " + rec[0]);
        }
    }

    private void startLog() throws IOException {
        if (log != null) log.close();
        Path tmp = dir.resolve(LOG + ".tmp");
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer head = ByteBuffer.allocate(12).putInt(LOG_MAGIC).putLong(generation).flip();
        while (head.hasRemaining()) ch.write(head);
        ch.force(false);
        Files.move(tmp, dir.resolve(LOG), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.force(dir);
        log = ch;
        logSize = 12;
    }

    /** {@code entries}: the state's, ascending by UID ({@code s.entries} is not read). */
    private void writeSnapshot(State s, java.util.Collection<Entry> entries) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        int length;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            // streamed through one buffer: a first look at 100,000 files writes 7 MB here, which in
            // memory was copied three times over
            java.io.BufferedOutputStream file = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16);
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new java.util.zip.CheckedOutputStream(file, crc));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(generation);
            out.writeLong(s.uidValidity);
            out.writeLong(s.uidNext);
            out.writeLong(s.highestModSeq);
            out.writeInt(s.keywords.size());
            for (String k : s.keywords) out.writeUTF(k);
            out.writeInt(entries.size());
            byte[] chunk = new byte[1 << 16];
            int pos = 0;
            for (Entry e : entries) {
                int end = encodeEntry(chunk, pos, e);
                if (end < 0 && pos > 0) { // full: out with it, and try again at the start
                    out.write(chunk, 0, pos);
                    pos = 0;
                    end = encodeEntry(chunk, 0, e);
                }
                if (end < 0) writeEntry(out, e); // a name that is not plain ASCII, or a huge one
                else pos = end;
            }
            out.write(chunk, 0, pos);
            out.flush();
            length = out.size();
            new DataOutputStream(file).writeInt((int) crc.getValue()); // after the checksummed octets
            file.flush(); // not closed: that would close the channel before force
            ch.force(false);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.force(dir);
        snapshotSize = length + 4;
    }

    void add(Entry e) {
        record(ADD, out -> writeEntry(out, e));
    }

    void flags(long uid, int flags, long keywords, long modSeq) {
        record(FLAGS, out -> {
            out.writeLong(uid);
            out.writeByte(flags);
            out.writeLong(keywords);
            out.writeLong(modSeq);
        });
    }

    void expunge(long uid, long modSeq) {
        record(EXPUNGE, out -> {
            out.writeLong(uid);
            out.writeLong(modSeq);
        });
    }

    void keyword(String name) {
        record(KEYWORD, out -> out.writeUTF(name));
    }

    void sizes(long uid, long size, long rfc822Size) {
        record(SIZES, out -> {
            out.writeLong(uid);
            out.writeLong(size);
            out.writeLong(rfc822Size);
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private void record(byte type, Body body) {
        try {
            // one scratch buffer, stream and CRC for every record (a STORE of 1:* makes 100,000)
            scratch.reset();
            scratchOut.writeByte(type);
            body.write(scratchOut);
            scratchOut.flush();
            crc.reset();
            crc.update(scratch.array(), 0, scratch.size());
            pendingOut.writeInt(scratch.size());
            pendingOut.write(scratch.array(), 0, scratch.size());
            pendingOut.writeInt((int) crc.getValue());
            pendingOut.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /** A ByteArrayOutputStream whose array can be read without a copy. */
    private static final class Scratch extends ByteArrayOutputStream {
        byte[] array() { return buf; }
    }

    private final Scratch scratch = new Scratch();
    private final DataOutputStream scratchOut = new DataOutputStream(scratch);
    private final CRC32 crc = new CRC32();
    private final DataOutputStream pendingOut = new DataOutputStream(pending);

    /** Octets of records not yet written by {@link #write}. */
    int pendingOctets() {
        return pending.size();
    }

    /** Appends the pending records to the log; with {@code durable}, forces them to disk. */
    void write(boolean durable) throws IOException {
        if (pending.size() > 0) {
            ByteBuffer bb = ByteBuffer.wrap(pending.toByteArray());
            while (bb.hasRemaining()) log.write(bb, logSize + bb.position());
            logSize += bb.limit();
            pending.reset();
        }
        if (durable) log.force(false);
    }

    /** Whether the log has grown enough that {@link #compact} should run. */
    boolean wantsCompaction() {
        return logSize > Math.max(COMPACT_AT, snapshotSize / 4);
    }

    /**
     * Writes the state (which includes every logged change) as the next generation's snapshot:
     * {@code header}'s UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and keywords, and {@code entries}
     * ascending by UID.
     */
    void compact(State header, java.util.Collection<Entry> entries) throws IOException {
        write(true);
        generation++;
        writeSnapshot(header, entries);
        startLog();
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            write(false);
            log.close();
            log = null;
        }
    }
}
