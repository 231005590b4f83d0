package org.mailroom.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of directory entries, one instance per queue directory (DESIGN.md section 2). A
 * caller that renamed or removed an entry calls {@link #sync()}, which returns once an fsync of the
 * directory that <em>started after</em> the caller's change has completed. One caller at a time
 * runs the fsync (the leader) without holding the lock; callers that arrive meanwhile take a ticket
 * and are all covered by the next fsync, so K concurrent commits cost about two fsyncs, not K.
 *
 * <p>Shared by the Maildir store (one per {@code new/} and {@code cur/}) and the queue (one per
 * state directory).
 */
public final class DirectorySync {
    /** An fsync of a directory; replaceable so tests can simulate a slow disk. */
    public interface Fsync {
        void force(Path dir) throws IOException;
    }

    private final Path dir;
    private final Fsync fsync;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private final AtomicLong fsyncs = new AtomicLong();
    private long requested;   // tickets handed out; a ticket is taken after the caller's change
    private long completed;   // every ticket <= completed is durable
    private boolean running;

    public DirectorySync(Path dir) {
        this(dir, DirectorySync::force);
    }

    public DirectorySync(Path dir, Fsync fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    public Path dir() { return dir; }

    /** Directory fsyncs run so far (for tests and metrics). */
    public long fsyncs() { return fsyncs.get(); }

    /** Blocks until the caller's earlier changes to this directory are durable. */
    public void sync() throws IOException {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (running) {
                    done.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long covers = requested; // every ticket so far made its change before this fsync starts
                IOException failure = null;
                lock.unlock();
                try {
                    fsyncs.incrementAndGet();
                    fsync.force(dir);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    lock.lock();
                }
                running = false;
                if (failure == null) completed = Math.max(completed, covers);
                done.signalAll();
                if (failure != null) throw failure; // the waiters retry with a new leader
            }
        } finally {
            lock.unlock();
        }
    }

    /** fsync of a directory: makes the entries created, renamed or removed in it durable. */
    public static void force(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
