package org.mailroom.core.store.mbox;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.mailroom.core.io.DirectorySync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redo journal for rewriting an mbox in place. An expunge or a flag change replaces the file from
 * the first affected message to its end: the new tail is first written to the journal and forced,
 * then written over the mbox, which is truncated and forced, then the journal is marked done
 * (forced) and removed. A daemon that dies at any point leaves either an untouched mbox and an
 * incomplete journal (thrown away) or a complete journal that {@link #recover} applies again: no
 * message is lost.
 *
 * <p>XXX in place rather than "temporary file + rename": a rename would give a spool mbox
 * ({@code /var/mail/bob}, issue 8) a new inode owned by the daemon's user, which bob could then not
 * open, and would break hard links; mutt and mailx also rewrite in place. The cost is that the tail
 * is written twice.
 *
 * <p>Layout: {@code MRJ1}, offset, old length, tail length, CRC-32 of up to 4 KiB before the
 * offset (so a journal is never applied to a file someone else rewrote meanwhile), the tail, a
 * CRC-32 of everything before, {@code END!}.
 */
final class MboxJournal {
    private static final Logger log = LoggerFactory.getLogger(MboxJournal.class);
    private static final int HEADER = 4 + 8 + 8 + 8 + 8;
    private static final int TRAILER = 8 + 4;
    private static final int CHECK = 4096;
    /** The magic a journal gets once the mbox is complete. */
    private static final String DONE = "MRJD";

    interface Tail {
        void write(OutputStream out) throws IOException;
    }

    private final Path file;
    /** Test hook: called with "journal" and "half" at the points a crash is simulated. */
    private final Consumer<String> crashPoint;

    MboxJournal(Path file, Consumer<String> crashPoint) {
        this.file = file;
        this.crashPoint = crashPoint;
    }

    Path file() { return file; }

    /**
     * Replaces {@code mbox} from {@code offset} on by what {@code tail} writes, crash-safely. The
     * caller holds both mbox locks.
     *
     * @return the new length of the mbox
     */
    long rewrite(FileChannel mbox, long offset, Tail tail) throws IOException {
        long oldLength = mbox.size();
        long check = prefixCheck(mbox, offset);
        Files.createDirectories(file.getParent());
        long tailLength;
        try (FileChannel j = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32 crc = new CRC32();
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            h.put("MRJ1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putLong(offset).putLong(oldLength)
                    .putLong(0).putLong(check).flip();
            j.write(h);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(j), 65536);
            long[] count = new long[1];
            OutputStream counting = new OutputStream() {
                @Override public void write(int b) throws IOException {
                    out.write(b);
                    crc.update(b);
                    count[0]++;
                }

                @Override public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    crc.update(b, off, len);
                    count[0] += len;
                }
            };
            tail.write(counting);
            out.flush();
            tailLength = count[0];
            j.write(ByteBuffer.allocate(8).putLong(0, tailLength), 20);
            h.rewind();
            h.putLong(20, tailLength);
            h.rewind();
            crc.update(h);
            ByteBuffer t = ByteBuffer.allocate(TRAILER);
            t.putLong(crc.getValue()).put("END!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).flip();
            j.write(t, HEADER + tailLength);
            j.force(false);
        }
        DirectorySync.force(file.getParent());
        crashPoint.accept("journal");
        apply(mbox, offset, oldLength, tailLength, false);
        return offset + tailLength;
    }

    /**
     * Applies a complete journal left by a daemon that died mid-rewrite, and removes any journal.
     * The caller holds both mbox locks.
     *
     * @return whether the mbox was changed
     */
    boolean recover(FileChannel mbox) throws IOException {
        if (!Files.exists(file)) return false;
        long offset, oldLength, tailLength, check;
        try (FileChannel j = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = j.size();
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            if (size < HEADER + TRAILER || readFully(j, h, 0) < HEADER) return discard("short");
            h.flip();
            byte[] magic = new byte[4];
            h.get(magic);
            String m = new String(magic, java.nio.charset.StandardCharsets.US_ASCII);
            if (m.equals(DONE)) { // the mbox was complete; only the removal of the journal was lost
                Files.deleteIfExists(file);
                return false;
            }
            if (!m.equals("MRJ1")) return discard("bad magic");
            offset = h.getLong();
            oldLength = h.getLong();
            tailLength = h.getLong();
            check = h.getLong();
            if (tailLength < 0 || size != HEADER + tailLength + TRAILER) return discard("incomplete");
            CRC32 crc = new CRC32();
            ByteBuffer b = ByteBuffer.allocate(65536);
            long pos = HEADER, end = HEADER + tailLength;
            while (pos < end) {
                b.clear().limit((int) Math.min(b.capacity(), end - pos));
                int n = j.read(b, pos);
                if (n <= 0) return discard("unreadable");
                b.flip();
                crc.update(b);
                pos += n;
            }
            h.rewind();
            crc.update(h);
            ByteBuffer t = ByteBuffer.allocate(TRAILER);
            readFully(j, t, end);
            t.flip();
            if (t.getLong() != crc.getValue()) return discard("checksum");
        }
        if (mbox.size() < offset || prefixCheck(mbox, offset) != check) {
            Path aside = file.resolveSibling(file.getFileName() + ".rejected");
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.error("{}: the mbox changed before the interrupted rewrite could be finished; journal kept as {}",
                    file, aside);
            return false;
        }
        log.warn("{}: finishing a rewrite interrupted by a crash", file);
        apply(mbox, offset, oldLength, tailLength, true);
        return true;
    }

    /**
     * Writes the tail over the mbox, truncates, forces, marks the journal done and removes it.
     * {@code recovering}: another program may have appended after the daemon died (having broken
     * its dotlock as stale); those octets, past the old end (or past the new end when the
     * truncation had happened already), are kept after the tail.
     * XXX a crash between the truncation and the done mark, followed by a foreign append of at least
     * the removed length, is taken for the earlier case and would lose the start of that append.
     */
    private void apply(FileChannel mbox, long offset, long oldLength, long tailLength, boolean recovering)
            throws IOException {
        long newLength = offset + tailLength;
        ByteBuffer foreign = ByteBuffer.allocate(0);
        if (recovering) {
            long size = mbox.size();
            long from = size < oldLength ? newLength : Math.max(oldLength, newLength);
            if (size > from) {
                foreign = ByteBuffer.allocate(Math.toIntExact(size - from));
                readFully(mbox, foreign, from);
                foreign.flip();
                log.warn("{}: keeping {} octets appended by another program after the crash", file, size - from);
            }
        }
        try (FileChannel j = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            boolean halfReported = false;
            while (done < tailLength) {
                long chunk = Math.min(tailLength - done, halfReported ? 1 << 20 : Math.max(1, tailLength / 2 - done));
                long n = j.transferTo(HEADER + done, Math.min(chunk, 1 << 20), positioned(mbox, offset + done));
                if (n <= 0) throw new IOException("short read from " + file);
                done += n;
                if (!halfReported && done >= tailLength / 2 && done < tailLength) {
                    halfReported = true;
                    mbox.force(false);
                    crashPoint.accept("half");
                }
            }
        }
        long end = newLength + foreign.remaining();
        while (foreign.hasRemaining()) mbox.write(foreign, end - foreign.remaining());
        mbox.truncate(end);
        mbox.force(true);
        crashPoint.accept("applied");
        // marked done before it is removed: a removal lost in a crash must not replay over later appends
        try (FileChannel j = FileChannel.open(file, StandardOpenOption.WRITE)) {
            j.write(ByteBuffer.wrap(DONE.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
            j.force(false);
        }
        Files.delete(file);
    }

    /** A channel writing into {@code ch} at {@code pos} on, for transferTo. */
    private static java.nio.channels.WritableByteChannel positioned(FileChannel ch, long pos) {
        return new java.nio.channels.WritableByteChannel() {
            long at = pos;

            @Override public int write(ByteBuffer src) throws IOException {
                int n = ch.write(src, at);
                at += n;
                return n;
            }

            @Override public boolean isOpen() { return true; }

            @Override public void close() { }
        };
    }

    private boolean discard(String why) throws IOException {
        // the mbox is written only after the journal is complete: an incomplete one changed nothing
        log.warn("{}: discarding an incomplete rewrite journal ({}); the mbox was not touched", file, why);
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            // gone already
        }
        return false;
    }

    private static long prefixCheck(FileChannel ch, long offset) throws IOException {
        long from = Math.max(0, offset - CHECK);
        ByteBuffer b = ByteBuffer.allocate((int) (offset - from));
        readFully(ch, b, from);
        b.flip();
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }
}
