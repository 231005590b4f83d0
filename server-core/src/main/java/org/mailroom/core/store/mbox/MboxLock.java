package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two locks Debian's mail readers take on a spool mbox, in Postfix local(8)'s order: the
 * dotlock {@code <file>.lock}, then an fcntl lock on the file ({@link FileChannel#lock} is
 * {@code fcntl(F_SETLK)} on Linux). mutt, s-nail/mailx (liblockfile) and procmail honour both.
 *
 * <p>The dotlock is made NFS-safe the liblockfile way: a uniquely named file is written beside the
 * mbox and hard-linked to {@code <file>.lock}; the link succeeds for one process only. A dotlock
 * older than {@link #STALE} is left by a dead process and removed (liblockfile and mutt do the
 * same after 5 minutes), as is one whose pid names no running process. Waiting retries with a growing pause, bounded by the timeout; a lock not
 * obtained in time is an {@link IOException} (deliveries are retried from the queue).
 *
 * <p>The caller holds the mbox's in-process lock: one JVM may hold only one fcntl lock per file.
 */
final class MboxLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MboxLock.class);
    static final Duration STALE = Duration.ofMinutes(5);

    private final Path dotlock;
    private final FileLock fcntl;

    private MboxLock(Path dotlock, FileLock fcntl) {
        this.dotlock = dotlock;
        this.fcntl = fcntl;
    }

    /** Dotlock and an exclusive fcntl lock on {@code ch}, an open channel of {@code file}. */
    static MboxLock exclusive(Path file, FileChannel ch, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path dot = dotlock(file, deadline);
        try {
            return new MboxLock(dot, fcntl(ch, false, deadline, file));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dot);
            throw e;
        }
    }

    /** A shared fcntl lock for reading (mutt reads under one); no dotlock. */
    static MboxLock shared(Path file, FileChannel ch, Duration timeout) throws IOException {
        return new MboxLock(null, fcntl(ch, true, System.nanoTime() + timeout.toNanos(), file));
    }

    private static FileLock fcntl(FileChannel ch, boolean shared, long deadline, Path file) throws IOException {
        long pause = 10;
        while (true) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, shared);
            if (l != null) return l;
            pause = waitOrFail(deadline, pause, file + " is locked (fcntl) by another program");
        }
    }

    private static Path dotlock(Path file, long deadline) throws IOException {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        // liblockfile: unique name, link, and trust the link count rather than the link's result (NFS)
        Path unique = file.resolveSibling(file.getFileName() + ".lock." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()));
        Files.write(unique, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        try {
            long pause = 10;
            while (true) {
                try {
                    Files.createLink(lock, unique);
                    return lock;
                } catch (FileAlreadyExistsException e) {
                    if (linkCount(unique) == 2) return lock; // NFS: the link was made, the reply lost
                }
                try {
                    long age = System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis();
                    if (age > STALE.toMillis()) {
                        log.warn("{}: removing stale dotlock ({} s old)", lock, age / 1000);
                        Files.deleteIfExists(lock);
                        continue;
                    }
                    long pid = holder(lock);
                    if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                        // liblockfile's L_PID rule: the process that wrote its pid is gone (e.g. this
                        // daemon before a crash). XXX assumes the holder ran on this host, which a
                        // spool mailbox on local disk guarantees; over NFS only the age rule is safe.
                        log.warn("{}: removing dotlock of process {}, which no longer exists", lock, pid);
                        Files.deleteIfExists(lock);
                        continue;
                    }
                } catch (NoSuchFileException e) {
                    continue; // released meanwhile
                }
                pause = waitOrFail(deadline, pause, file + " is locked (" + lock.getFileName() + ")");
            }
        } finally {
            Files.deleteIfExists(unique);
        }
    }

    /** The pid a dotlock holds ({@code <pid>\n}, as liblockfile and we write it), or -1. */
    private static long holder(Path lock) throws IOException {
        byte[] b;
        try (java.io.InputStream in = Files.newInputStream(lock)) {
            b = in.readNBytes(24);
        }
        String s = new String(b, StandardCharsets.US_ASCII).trim();
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(Character::isDigit)) return -1;
        return Long.parseLong(s);
    }

    private static int linkCount(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:nlink");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    private static long waitOrFail(long deadline, long pause, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IOException(what);
        try {
            Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("waiting for " + what);
        }
        return Math.min(pause * 2, 1000);
    }

    /** Releases fcntl, then the dotlock (the reverse order). */
    @Override
    public void close() throws IOException {
        try {
            if (fcntl.isValid()) fcntl.release();
        } finally {
            if (dotlock != null) Files.deleteIfExists(dotlock);
        }
    }
}
