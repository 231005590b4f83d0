package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derived per-message values (IMAP's ENVELOPE and BODYSTRUCTURE) in {@code mailroom-cache}, an
 * append-only file of records {@code [length][uid][slot][value][crc32]}, after Dovecot's
 * {@code dovecot.index.cache}. Offsets live in memory ({@link FolderState.Msg#cacheAt}) and are
 * rebuilt by one sequential read when the folder is loaded; records of expunged messages are
 * skipped. Nothing is forced: a lost value is computed again, and new values are written in
 * batches.
 *
 * <p>Reads go through a mapping of the file and need no lock once {@link #flushFor} has run for the offset; appends,
 * flushes and the offset table are guarded by the folder lock.
 */
final class FolderCache {
    private static final Logger log = LoggerFactory.getLogger(FolderCache.class);
    static final String FILE = "mailroom-cache";
    static final int SLOTS = 4;
    private static final int MAX_VALUE = 1 << 20;
    private static final int HEAD = 4 + 8 + 1;

    /** Pending values are written once they reach this many octets. */
    static final int PENDING_MAX = 256 * 1024;

    private final FileChannel ch;
    /** A read-only mapping of the start of the file, see {@link #mapped}. */
    private volatile ByteBuffer map;
    /** The end of what is written; pending values follow it. */
    private long end;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    private FolderCache(FileChannel ch, long end) {
        this.ch = ch;
        this.end = end;
    }

    /** Opens (or creates) the cache and records the offsets of values for messages {@code f} knows. */
    static FolderCache open(Path dir, FolderState f) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long size = ch.size(), pos = 0;
        ByteBuffer head = ByteBuffer.allocate(HEAD);
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(ch.position(0)), 1 << 16);
        byte[] hb = new byte[HEAD];
        while (pos + HEAD + 4 <= size) {
            if (in.readNBytes(hb, 0, HEAD) < HEAD) break;
            head.clear();
            head.put(hb).flip();
            int len = head.getInt();
            long uid = head.getLong();
            int slot = head.get();
            if (len < 0 || len > MAX_VALUE || slot < 0 || slot >= SLOTS || pos + HEAD + len + 4 > size) break;
            byte[] value = in.readNBytes(len + 4);
            if (value.length < len + 4) break;
            CRC32 crc = new CRC32();
            crc.update(hb, 4, HEAD - 4);
            crc.update(value, 0, len);
            if ((int) crc.getValue() != ByteBuffer.wrap(value, len, 4).getInt()) break;
            FolderState.Msg m = f.msg(uid);
            if (m != null) {
                if (m.cacheAt == null) m.cacheAt = new long[SLOTS];
                m.cacheAt[slot] = pos + 1; // 0 = none
            }
            pos += HEAD + len + 4;
        }
        if (pos < size) ch.truncate(pos);
        // XXX never compacted yet: values of expunged messages stay until the file is deleted
        return new FolderCache(ch, pos);
    }

    /** The value at a recorded offset ({@code at} as kept in {@code cacheAt}, 1-based). */
    byte[] read(long at) throws IOException {
        long pos = at - 1;
        ByteBuffer m = mapped(pos + HEAD);
        if (m != null) {
            int p = (int) pos;
            int len = m.getInt(p);
            if (len < 0 || len > MAX_VALUE) return null;
            if (p + HEAD + (long) len <= m.capacity() || (m = mapped(p + HEAD + (long) len)) != null) {
                byte[] v = new byte[len];
                m.get(p + HEAD, v);
                return v;
            }
        }
        ByteBuffer head = ByteBuffer.allocate(HEAD);
        while (head.hasRemaining() && ch.read(head, pos + head.position()) > 0) { /* fill */ }
        if (head.hasRemaining()) return null;
        int len = head.getInt(0);
        if (len < 0 || len > MAX_VALUE) return null;
        ByteBuffer value = ByteBuffer.allocate(len);
        while (value.hasRemaining() && ch.read(value, pos + HEAD + value.position()) > 0) { /* fill */ }
        return value.hasRemaining() ? null : value.array();
    }

    /**
     * The file mapped read-only at least up to {@code need}, mapped again (its new length) when it has
     * grown past the last mapping; null when it is shorter or too long to map (positional reads then).
     * A SEARCH of cached header fields reads one value per message: two preads each were a third of
     * its time. Old mappings go with the garbage collector; the file is only ever appended to while
     * open (truncated only by {@link #open}), so a mapping never reaches past its end.
     */
    private ByteBuffer mapped(long need) throws IOException {
        ByteBuffer m = map;
        if (m != null && m.capacity() >= need) return m;
        synchronized (this) {
            m = map;
            if (m != null && m.capacity() >= need) return m;
            if (!ch.isOpen()) return null;
            long size = ch.size();
            if (size < need || size > Integer.MAX_VALUE) return null;
            map = m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return m;
        }
    }

    /**
     * Appends a value; returns its offset for {@code cacheAt}. Under the folder lock. Values are
     * collected in memory and written {@link #PENDING_MAX} octets at a time (a first listing of a
     * large folder adds one value per message); {@link #flushFor} writes them before a read.
     */
    long append(long uid, int slot, byte[] value) throws IOException {
        if (value.length > MAX_VALUE) return 0;
        ByteBuffer b = ByteBuffer.allocate(HEAD + value.length + 4);
        b.putInt(value.length).putLong(uid).put((byte) slot).put(value);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, HEAD - 4 + value.length);
        b.putInt((int) crc.getValue()).flip();
        long at = end + pending.size();
        pending.write(b.array(), 0, b.limit());
        if (pending.size() >= PENDING_MAX) flush();
        return at + 1;
    }

    /** Writes the pending values if the one at {@code at} is among them; under the folder lock. */
    void flushFor(long at) throws IOException {
        if (at - 1 >= end) flush();
    }

    /** Writes the pending values; under the folder lock. */
    void flush() throws IOException {
        if (pending.size() == 0) return;
        ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
        while (b.hasRemaining()) ch.write(b, end + b.position());
        end += b.limit();
        pending.reset();
    }

    void close() {
        try {
            flush();
        } catch (IOException e) {
            log.debug("writing cache: {}", e.toString());
        }
        map = null;
        try {
            ch.close();
        } catch (IOException e) {
            log.debug("closing cache: {}", e.toString());
        }
    }
}
