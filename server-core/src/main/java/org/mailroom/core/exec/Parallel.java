package org.mailroom.core.exec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one piece of blocking work over the indexes {@code [0, n)} on the calling thread and on up to
 * {@code parallelism - 1} helper tasks: every worker claims batches from a shared cursor. The caller
 * never waits for a helper that has not started (one that starts late finds nothing left and ends),
 * so a busy executor, even the one the caller runs on, cannot deadlock this; it only lowers the
 * parallelism. Used by IMAP SEARCH and by the first FETCH of a folder's envelopes and sizes.
 *
 * <p>Blocking: call it from the blocking executor, never from an event loop.
 */
public final class Parallel {

    /** One worker's share: called with consecutive batches {@code [start, end)}, from one thread. */
    @FunctionalInterface
    public interface Worker {
        void run(int start, int end) throws IOException;
    }

    private final int n;
    private final int batch;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Object lock = new Object();
    private int running; // guarded by lock
    private boolean closed; // guarded by lock
    private Throwable failure; // guarded by lock

    private Parallel(int n, int batch) {
        this.n = n;
        this.batch = batch;
    }

    /**
     * Runs workers made by {@code workers} (one per thread) until every index has been handed out,
     * then waits for the helpers that started.
     *
     * @throws IOException the first failure of any worker; the others stop at their next batch
     */
    public static void forRange(int n, int batch, Executor executor, int parallelism, Supplier<Worker> workers)
            throws IOException {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch);
        new Parallel(n, batch).run(executor, parallelism, workers);
    }

    private void run(Executor executor, int parallelism, Supplier<Worker> workers) throws IOException {
        int helpers = Math.min(parallelism - 1, (n + batch - 1) / batch - 1);
        for (int i = 0; i < helpers; i++) {
            try {
                executor.execute(() -> helper(workers));
            } catch (RejectedExecutionException e) {
                break; // fewer helpers, same result
            }
        }
        try {
            work(workers.get());
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        }
        synchronized (lock) {
            closed = true;
            while (running > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    cursor.set(n); // helpers stop at their next batch
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            if (failure != null) rethrow(failure);
        }
    }

    private void helper(Supplier<Worker> workers) {
        synchronized (lock) {
            if (closed) return;
            running++;
        }
        try {
            work(workers.get());
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } finally {
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
        }
    }

    private void work(Worker w) throws IOException {
        while (true) {
            int start = cursor.getAndAdd(batch);
            if (start >= n || start < 0) return;
            w.run(start, Math.min(n, start + batch));
        }
    }

    private void fail(Throwable t) {
        cursor.set(n);
        synchronized (lock) {
            if (failure == null) failure = t;
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        throw new UncheckedIOException(new IOException(t));
    }
}
