package org.mailroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {
    @TempDir
    Path dir;

    @Test
    void oneCallerAloneGetsOneFsyncPerSync() throws Exception {
        DirectorySync s = new DirectorySync(dir);
        for (int i = 0; i < 3; i++) {
            Files.createFile(dir.resolve("f" + i));
            s.sync();
        }
        assertEquals(3, s.fsyncs(), "a sync is never skipped when nobody else covers it");
    }

    @Test
    void callersArrivingTogetherShareFsyncs() throws Exception {
        int threads = 16, rounds = 20;
        // a disk on which an fsync takes 25 ms: everyone who arrives during one is covered by the next
        DirectorySync s = new DirectorySync(dir, org.mailroom.core.test.SlowDisk.fsync(25));
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int tn = t;
            fs.add(pool.submit(() -> {
                for (int r = 0; r < rounds; r++) {
                    together.await();
                    Files.createFile(dir.resolve("t" + tn + "r" + r)); // a new entry: the fsync has work to do
                    s.sync();
                }
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        pool.shutdown();
        long n = s.fsyncs();
        System.out.printf("DirectorySync: %d syncs, %d fsyncs%n", threads * rounds, n);
        // each round: the first caller leads, everyone who arrived meanwhile is covered by one more
        assertTrue(n <= 3L * rounds, n + " fsyncs for " + threads * rounds + " syncs in " + rounds + " rounds");
    }

}
