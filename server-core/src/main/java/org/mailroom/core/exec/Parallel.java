package org.mailroom.core.exec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>The work is reading files, which is CPU-bound while they are in the page cache and bound by the
 * disk's latency when they are not (a folder nobody has read for a while: a virtio disk here reads
 * 9,000 small files a second one at a time, 31,000 with sixteen in flight). A {@link Width} starts
 * as many workers as there are cores and adds one, up to its maximum, when a worker spent half of a
 * batch blocked, neither running nor waiting for a CPU, right after a batch that looked so by its
 * CPU time alone (Linux's schedstat tells waiting for a CPU apart; elsewhere the width stays as it
 * is). It remembers the width for the next run over the same files and narrows again when a run
 * never blocked. A machine's proactive reclaim (DAMON) may keep only part of a 1.5 GB folder in the
 * page cache, so a listing of one is often both.
 *
 * <p>Blocking: call it from the blocking executor, never from an event loop.
 */
public final class Parallel {

    /**
     * How many workers a run starts with, and how far waiting for the disk may widen it. Shared by
     * the runs of one job (the windows of one FETCH); thread-safe.
     */
    public static final class Width {
        final int min, max;
        private final AtomicInteger current;

        /** {@code min}: workers for CPU-bound work (the cores); {@code max}: reads in flight at most. */
        public Width(int min, int max) {
            if (min < 1 || max < min) throw new IllegalArgumentException(min + ".." + max);
            this.min = min;
            this.max = max;
            this.current = new AtomicInteger(min);
        }

        /** Workers the next run starts with. */
        public int current() {
            return current.get();
        }

        boolean widen(int than) {
            return than < max && current.compareAndSet(than, than + 1);
        }

        void narrow() {
            current.updateAndGet(c -> Math.max(min, c / 2));
        }
    }

    /** A batch that ran less than this is too short to tell waiting from running. */
    private static final long MEASURABLE_NANOS = 200_000;
    /** Linux's per-thread scheduler statistics: nanoseconds run (as of the last tick), nanoseconds waited for a CPU. */
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
    /** CPU time to the nanosecond (the schedstat run time lags up to a scheduler tick). */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean MEASURED = THREADS.isCurrentThreadCpuTimeSupported() && Files.isReadable(SCHEDSTAT);

    /** One worker's share: called with consecutive batches {@code [start, end)}, from one thread. */
    @FunctionalInterface
    public interface Worker {
        void run(int start, int end) throws IOException;
    }

    private final int n;
    private final int batch;
    private final Executor executor;
    private final Width width;
    private final Supplier<Worker> workers;
    private volatile boolean waited;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Object lock = new Object();
    private int running; // guarded by lock
    private boolean closed; // guarded by lock
    private Throwable failure; // guarded by lock

    private Parallel(int n, int batch, Executor executor, Width width, Supplier<Worker> workers) {
        this.n = n;
        this.batch = batch;
        this.executor = executor;
        this.width = width;
        this.workers = workers;
    }

    /**
     * Runs workers made by {@code workers} (one per thread) until every index has been handed out,
     * then waits for the helpers that started.
     *
     * @throws IOException the first failure of any worker; the others stop at their next batch
     */
    public static void forRange(int n, int batch, Executor executor, int parallelism, Supplier<Worker> workers)
            throws IOException {
        forRange(n, batch, executor, new Width(parallelism, parallelism), workers);
    }

    /** {@link #forRange(int, int, Executor, int, Supplier)} as wide as {@code width} says, widening it while reads wait. */
    public static void forRange(int n, int batch, Executor executor, Width width, Supplier<Worker> workers)
            throws IOException {
        if (batch < 1) throw new IllegalArgumentException("batch " + batch);
        new Parallel(n, batch, executor, width, workers).run();
    }

    private void run() throws IOException {
        int helpers = Math.min(width.current() - 1, (n + batch - 1) / batch - 1);
        for (int i = 0; i < helpers; i++) {
            if (!startHelper()) break; // fewer helpers, same result
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
        if (!waited) width.narrow();
    }

    private boolean startHelper() {
        try {
            executor.execute(this::helper);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void helper() {
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
        boolean suspect = false; // the last batch looked blocked by its CPU time alone
        while (true) {
            int start = cursor.getAndAdd(batch);
            if (start >= n || start < 0) return;
            long wall = System.nanoTime(), ran = MEASURED ? THREADS.getCurrentThreadCpuTime() : 0;
            long delayed = suspect ? runDelay() : -1; // /proc costs a few microseconds: only when it may tell
            w.run(start, Math.min(n, start + batch));
            if (!MEASURED) continue;
            wall = System.nanoTime() - wall;
            ran = THREADS.getCurrentThreadCpuTime() - ran;
            boolean looks = wall >= MEASURABLE_NANOS && (wall - ran) * 2 > wall; // blocked, or waiting for a CPU
            // neither running nor waiting for a CPU, twice in a row: blocked on the disk (a stop for
            // the JVM's safepoints is not a disk; more CPU-bound workers than cores wait for a CPU
            // instead, which widening would only make worse)
            if (looks && delayed >= 0) {
                long after = runDelay();
                if (after >= 0 && (wall - ran - (after - delayed)) * 2 > wall) {
                    waited = true;
                    int c = width.current();
                    if (cursor.get() + (long) batch * c < n && width.widen(c)) startHelper();
                }
            }
            suspect = looks;
        }
    }

    /**
     * Nanoseconds the calling thread has waited for a CPU while runnable (the second field of Linux's
     * schedstat, brought up to date whenever the thread is scheduled in), or -1 when the kernel does not say.
     */
    private static long runDelay() {
        try {
            String[] f = new String(Files.readAllBytes(SCHEDSTAT), java.nio.charset.StandardCharsets.US_ASCII).split(" ");
            return Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
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
