package org.mailroom.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void workersThatBlockWidenTheRunAndEveryIndexIsDoneOnce() throws Exception {
        Parallel.Width width = new Parallel.Width(1, 6);
        AtomicIntegerArray done = new AtomicIntegerArray(200);
        Parallel.forRange(200, 2, pool, width, () -> (from, to) -> {
            for (int i = from; i < to; i++) done.incrementAndGet(i);
            try {
                Thread.sleep(1); // a read the disk makes wait
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
        });
        for (int i = 0; i < 200; i++) assertEquals(1, done.get(i), "index " + i);
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/thread-self/schedstat"))) {
            assertTrue(width.current() > 1, "blocked workers widen: " + width.current());
            assertTrue(width.current() <= 6, "never past the maximum: " + width.current());
        }
    }

    @Test
    void workThatOnlyComputesStaysAtItsWidthAndAWidenedOneNarrowsAgain() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] sink = new long[1];
        Parallel.Worker compute = (from, to) -> {
            long x = from;
            for (long t = threads.getCurrentThreadCpuTime(); threads.getCurrentThreadCpuTime() - t < 500_000; ) x = x * 31 + 7;
            sink[0] += x;
        };
        Parallel.forRange(20, 1, pool, 1, () -> compute); // compiled before it is measured
        Parallel.Width width = new Parallel.Width(1, 6);
        Parallel.forRange(100, 1, pool, width, () -> compute);
        assertEquals(1, width.current(), "a busy CPU is not a slow disk");

        Parallel.Width wide = new Parallel.Width(2, 8);
        for (int i = 0; i < 6; i++) wide.widen(wide.current());
        assertEquals(8, wide.current());
        Parallel.forRange(10, 1, pool, wide, () -> (from, to) -> {});
        assertEquals(4, wide.current(), "a run that never blocked halves the width");
        Parallel.forRange(10, 1, pool, wide, () -> (from, to) -> {});
        Parallel.forRange(10, 1, pool, wide, () -> (from, to) -> {});
        assertEquals(2, wide.current(), "down to the minimum, not below");
    }
}
