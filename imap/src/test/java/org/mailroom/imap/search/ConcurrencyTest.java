package org.mailroom.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailroom.core.store.Flag;
import org.mailroom.imap.wire.SearchKey;
import org.mailroom.imap.wire.SequenceSet;

/** One compiled program shared by many threads gives the sequential answer. */
class ConcurrencyTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static List<TestMessage> corpus(int n) {
        RandomMessages gen = new RandomMessages(7);
        Random rnd = new Random(7);
        List<TestMessage> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestMessage m = new TestMessage().bytes(gen.next()).at(i + 1, 100 + i, n, 100 + n - 1);
            if (rnd.nextBoolean()) {
                m.flag(Flag.FLAGGED);
            }
            m.size = rnd.nextInt(5000);
            list.add(m);
        }
        return list;
    }

    private static SearchProgram program() {
        return SearchProgram.compile(new SearchKey.Or(
                new SearchKey.And(List.of(new SearchKey.Flag("\\Flagged", true), new SearchKey.Body("café"))),
                new SearchKey.Or(new SearchKey.Text("BRAVO golf"),
                        new SearchKey.And(List.of(new SearchKey.Uid(SequenceSet.of(150, SequenceSet.MAX_NUMBER)),
                                new SearchKey.Size(false, 1000), new SearchKey.Header("Subject", "kilo"))))));
    }

    private static BitSet sequential(SearchProgram p, List<TestMessage> list) throws IOException {
        SearchMatcher m = p.matcher();
        BitSet expected = new BitSet();
        for (int i = 0; i < list.size(); i++) {
            if (m.matches(list.get(i))) {
                expected.set(i);
            }
        }
        return expected;
    }

    @Test
    void matchAllEqualsSequentialEvaluation() throws IOException {
        List<TestMessage> list = corpus(1500);
        SearchProgram p = program();
        BitSet expected = sequential(p, list);
        assertTrue(expected.cardinality() > 20 && expected.cardinality() < 1480, "hits " + expected.cardinality());
        for (int round = 0; round < 10; round++) {
            assertEquals(expected, p.matchAll(list, pool, 4));
        }
        assertEquals(expected, p.matchAll(list, pool, 1));
        assertEquals(new BitSet(), p.matchAll(List.of(), pool, 4));
    }

    @Test
    void threadsSharingOneProgramWithTheirOwnMatchers() throws Exception {
        List<TestMessage> list = corpus(600);
        SearchProgram p = program();
        BitSet expected = sequential(p, list);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<BitSet>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            results.add(pool.submit(() -> {
                start.await();
                return sequential(p, list);
            }));
        }
        start.countDown();
        for (Future<BitSet> f : results) {
            assertEquals(expected, f.get());
        }
    }

    @Test
    void aBusyOrRefusingExecutorOnlyLowersParallelism() throws IOException {
        List<TestMessage> list = corpus(300);
        SearchProgram p = program();
        BitSet expected = sequential(p, list);
        List<Runnable> neverRun = new ArrayList<>();
        assertEquals(expected, p.matchAll(list, neverRun::add, 4), "tasks that never start are not waited for");
        neverRun.forEach(Runnable::run); // late starters find nothing to do
        assertEquals(expected, p.matchAll(list, r -> { throw new RejectedExecutionException(); }, 4));
        assertEquals(expected, p.matchAll(list, Runnable::run, 4));
    }

    @Test
    void theFirstFailureReachesTheCaller() {
        List<TestMessage> list = corpus(400);
        TestMessage gone = new TestMessage() {
            @Override
            public InputStream openMessage() throws IOException {
                throw new NoSuchFileException("expunged");
            }
        };
        list.set(333, gone);
        assertThrows(NoSuchFileException.class,
                () -> SearchProgram.compile(new SearchKey.Body("x")).matchAll(list, pool, 4));
    }
}
