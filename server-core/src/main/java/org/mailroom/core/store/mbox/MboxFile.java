package org.mailroom.core.store.mbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mailroom.core.io.DirectorySync;
import org.mailroom.core.store.MessageContent;

/**
 * One mbox file and what is done to it under its locks: open and lock ({@link MboxLock}), finish an
 * interrupted rewrite ({@link MboxJournal}), append, split into messages, read a message's octets.
 * Holds no state about messages; {@link MboxFolder} does, and calls this with its lock held (one
 * JVM may hold one fcntl lock per file).
 */
final class MboxFile {
    final Path path;
    private final MboxJournal journal;
    private final Duration lockTimeout;
    private final ZoneId zone;

    /** Called once for a file {@link #exclusive} has created, before it is used. */
    interface Created {
        void accept(Path file) throws IOException;
    }

    private final Created created;

    MboxFile(Path path, MboxJournal journal, Duration lockTimeout, ZoneId zone) {
        this(path, journal, lockTimeout, zone, f -> { });
    }

    MboxFile(Path path, MboxJournal journal, Duration lockTimeout, ZoneId zone, Created created) {
        this.created = created;
        this.path = path;
        this.journal = journal;
        this.lockTimeout = lockTimeout;
        this.zone = zone;
    }

    interface Op<T> {
        /** @param ch the locked file, or null when it does not exist (and was not to be created) */
        T run(FileChannel ch) throws IOException;
    }

    /** Whether a rewrite journal is waiting (a crash interrupted a rewrite). */
    boolean journalPending() {
        return Files.exists(journal.file());
    }

    /**
     * Runs {@code op} holding the dotlock and an exclusive fcntl lock, after finishing an
     * interrupted rewrite ({@code recovered} runs then). {@code create}: make the mbox (mode 0600,
     * then given to the {@link Created} hook) when missing.
     */
    <T> T exclusive(boolean create, Runnable recovered, Op<T> op) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            if (!create) return op.run(null);
            Files.createDirectories(path.getParent());
            try {
                ch = FileChannel.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE_NEW), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try { // a spool mailbox becomes its user's, group mail, mode 0660 (issue 8, MboxStore.NewInbox)
                    created.accept(path);
                } catch (IOException | RuntimeException failed) {
                    ch.close();
                    Files.deleteIfExists(path);
                    throw failed;
                }
                DirectorySync.force(path.getParent());
            } catch (java.nio.file.FileAlreadyExistsException again) {
                ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }
        try (FileChannel c = ch; MboxLock l = MboxLock.exclusive(path, c, lockTimeout)) {
            if (journal.recover(c)) recovered.run();
            return op.run(c);
        }
    }

    /** Runs {@code op} under a shared fcntl lock (how mutt reads); {@code null} when there is no file. */
    <T> T shared(Op<T> op) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return op.run(null);
        }
        try (FileChannel c = ch; MboxLock l = MboxLock.shared(path, c, lockTimeout)) {
            return op.run(c);
        }
    }

    /** Replaces the file from {@code offset} on through the journal; see {@link MboxJournal#rewrite}. */
    long rewrite(FileChannel ch, long offset, MboxJournal.Tail tail) throws IOException {
        return journal.rewrite(ch, offset, tail);
    }

    /** The file's size, times and identity: any change of them means someone wrote; null: no file. */
    List<Object> stat() throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:size,lastModifiedTime,ctime,ino,dev");
            return List.of(a.get("size"), a.get("lastModifiedTime").toString(), a.get("ctime").toString(),
                    a.get("ino"), a.get("dev"));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static long sizeOf(List<Object> stat) {
        return stat == null ? 0 : (Long) stat.get(0);
    }

    /** Whether two {@link #stat()}s are of the same file (inode and device). */
    static boolean sameFile(List<Object> a, List<Object> b) {
        return a != null && b != null && a.size() == 5 && b.size() == 5 && a.get(3).equals(b.get(3))
                && a.get(4).equals(b.get(4));
    }

    /**
     * Appends a message (the caller holds the exclusive locks): mboxrd-quoted, fdatasynced; a failed
     * write is cut off again. One fdatasync per message, no group commit: each append holds the
     * file's locks, which other programs wait for.
     */
    void append(FileChannel ch, MessageContent content, String sender, int flags, Set<String> kws, Instant date)
            throws IOException {
        long old = ch.size();
        byte[] lead = new byte[0];
        if (old > 0) { // the previous message must end with the blank line that precedes a separator
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(2, old));
            ch.read(tail, old - tail.capacity());
            byte[] t = tail.array();
            boolean nl1 = t[t.length - 1] == '\n', nl2 = t.length == 2 && t[0] == '\n';
            lead = nl1 && nl2 ? new byte[0] : nl1 ? new byte[] {'\n'} : new byte[] {'\n', '\n'};
        }
        try {
            OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch.position(old)), 65536);
            out.write(lead);
            boolean finalNewline = content.size() == 0;
            if (!finalNewline) {
                try (InputStream in = content.open()) {
                    in.skipNBytes(content.size() - 1);
                    finalNewline = in.read() == '\n';
                }
            }
            try (InputStream in = content.open()) {
                MboxFormat.write(out, MboxFormat.separator(sender, date, zone), in, flags, kws, finalNewline);
            }
            out.flush();
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            try {
                ch.truncate(old);
                ch.force(false);
            } catch (IOException t) {
                e.addSuppressed(t);
            }
            throw e;
        }
    }

    /** A stored message: where it is (separator line to the next one) and what it holds. */
    record Parsed(long offset, long end, MboxFormat.Described d) {}

    /**
     * Every message from {@code from} (a separator line, or blank lines before one) to the end. A
     * {@code From } line starts a message at the start of the file or after a blank line.
     */
    List<Parsed> parse(FileChannel ch, long from) throws IOException {
        List<Parsed> out = new ArrayList<>();
        InputStream in = Channels.newInputStream(ch.position(from));
        MboxFormat.LineReader r = new MboxFormat.LineReader(new java.io.BufferedInputStream(in, 65536));
        ByteArrayOutputStream cur = null;
        long start = from;
        boolean prevBlank = true;
        byte[] line;
        while (true) {
            long at = from + r.offset();
            line = r.next();
            if (line == null || (prevBlank && MboxFormat.isFromLine(line, false))) {
                if (cur != null) out.add(new Parsed(start, at, MboxFormat.describe(cur.toByteArray())));
                if (line == null) break;
                cur = new ByteArrayOutputStream(4096);
                start = at;
            } else if (cur == null && MboxFormat.isBlank(line)) {
                continue;
            } else if (cur == null) {
                throw new IOException(path + " is not an mbox (no From_ line at offset " + at + ")");
            }
            cur.write(line);
            prevBlank = MboxFormat.isBlank(line);
        }
        return out;
    }

    /** Whether a message's separator line starts at {@code offset}. */
    static boolean messageAt(FileChannel ch, long offset) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5);
        ch.read(head, offset);
        return new String(head.array(), 0, head.position(), java.nio.charset.StandardCharsets.US_ASCII).equals("From ");
    }

    static byte[] read(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (b.hasRemaining()) {
            if (ch.read(b, from + b.position()) < 0) throw new IOException("mbox shorter than expected");
        }
        return b.array();
    }
}
