package org.mailroom.imap.search;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link SearchProgram#matchAll} run: candidates are claimed in batches from a shared cursor
 * by the caller and by helper tasks; each worker has its own {@link SearchMatcher} and writes only
 * the slots of its own batches. The caller closes the run when it finds nothing left to claim and
 * waits only for helpers that had started by then.
 */
final class ParallelSearch {

    private static final int BATCH = 32;

    private final SearchProgram program;
    private final List<? extends Candidate> candidates;
    private final boolean[] hits;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Object lock = new Object();
    private int running; // guarded by lock
    private boolean closed; // guarded by lock
    private Throwable failure; // guarded by lock

    ParallelSearch(SearchProgram program, List<? extends Candidate> candidates) {
        this.program = program;
        this.candidates = candidates;
        this.hits = new boolean[candidates.size()];
    }

    BitSet run(Executor executor, int parallelism) throws IOException {
        int helpers = Math.min(parallelism - 1, (candidates.size() + BATCH - 1) / BATCH - 1);
        for (int i = 0; i < helpers; i++) {
            try {
                executor.execute(this::helper);
            } catch (RejectedExecutionException e) {
                break; // fewer helpers, same result
            }
        }
        try {
            work();
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        }
        synchronized (lock) {
            closed = true;
            while (running > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    cursor.set(candidates.size()); // helpers stop at their next batch
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("search interrupted");
                }
            }
            if (failure != null) {
                rethrow(failure);
            }
        }
        BitSet result = new BitSet(hits.length);
        for (int i = 0; i < hits.length; i++) {
            if (hits[i]) {
                result.set(i);
            }
        }
        return result;
    }

    private void helper() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            running++;
        }
        try {
            work();
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } finally {
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
        }
    }

    private void work() throws IOException {
        SearchMatcher matcher = program.matcher();
        int n = candidates.size();
        while (true) {
            int start = cursor.getAndAdd(BATCH);
            if (start >= n) {
                return;
            }
            int end = Math.min(n, start + BATCH);
            for (int i = start; i < end; i++) {
                hits[i] = matcher.matches(candidates.get(i));
            }
        }
    }

    private void fail(Throwable t) {
        cursor.set(candidates.size());
        synchronized (lock) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new UncheckedIOException(new IOException(t));
    }
}
