package org.mailroom.imap.search;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executor;
import org.mailroom.core.exec.Parallel;

/**
 * One {@link SearchProgram#matchAll} run: candidates are spread over threads by {@link Parallel};
 * each worker has its own {@link SearchMatcher} and writes only the slots of its own batches.
 */
final class ParallelSearch {

    private static final int BATCH = 32;

    private final SearchProgram program;
    private final List<? extends Candidate> candidates;
    private final boolean[] hits;

    ParallelSearch(SearchProgram program, List<? extends Candidate> candidates) {
        this.program = program;
        this.candidates = candidates;
        this.hits = new boolean[candidates.size()];
    }

    BitSet run(Executor executor, Parallel.Width width) throws IOException {
        Parallel.forRange(candidates.size(), BATCH, executor, width, () -> {
            SearchMatcher matcher = program.matcher();
            return (start, end) -> {
                for (int i = start; i < end; i++) hits[i] = matcher.matches(candidates.get(i));
            };
        });
        BitSet result = new BitSet(hits.length);
        for (int i = 0; i < hits.length; i++) {
            if (hits[i]) result.set(i);
        }
        return result;
    }
}
