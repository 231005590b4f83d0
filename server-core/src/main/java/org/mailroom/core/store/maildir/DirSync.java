package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for directory entries. A caller that renamed a file into the directory calls
 * {@link #sync()}, which returns once an fsync of the directory that started after the rename has
 * completed. One caller at a time runs the fsync (the leader) without holding the lock; those who
 * arrive meanwhile take a ticket and are all covered by the next fsync, so K concurrent commits
 * into one directory cost about two directory fsyncs instead of K.
 */
final class DirSync {
    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;   // tickets handed out; a ticket is taken after the caller's rename
    private long completed;   // every ticket <= completed is durable
    private boolean running;

    DirSync(Path dir) {
        this.dir = dir;
    }

    void sync() throws IOException {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (running) {
                    done.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long covers = requested; // every ticket so far renamed before this fsync starts
                IOException failure = null;
                lock.unlock();
                try {
                    force(dir);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    lock.lock();
                }
                running = false;
                if (failure == null) completed = Math.max(completed, covers);
                done.signalAll();
                if (failure != null) throw failure; // waiters retry with a new leader
            }
        } finally {
            lock.unlock();
        }
    }

    /** fsync of a directory: makes the entries created, renamed or removed in it durable. */
    static void force(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
