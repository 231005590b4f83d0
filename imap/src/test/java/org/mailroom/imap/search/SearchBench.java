package org.mailroom.imap.search;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.mailroom.core.store.Flag;
import org.mailroom.imap.wire.SearchKey;

/**
 * SEARCH throughput over a Maildir folder (a benchmark program, not a test). Generate the folder
 * with {@code /work/shared/bench/gen_maildir.py --dest /tmp/sbench/Maildir --count 10000 --seed 1},
 * then run {@code main [maildir] [rounds] [text-needle]} with the imap test classpath (a needle
 * runs only {@code TEXT needle}). Prints, per query and
 * thread count, the best and median of the rounds in MB/s (message octets per second) and
 * messages per second ({@code -Dopen=fis} opens files with FileInputStream instead of NIO, as the
 * store does). The page cache is warm after the first round, as in Dovecot's figure.
 */
public final class SearchBench {

    /** Opens like the Maildir store does ({@link Files#newInputStream}), or with FileInputStream. */
    private record FileCandidate(long seq, long uid, long total, File file, long size, Instant date,
            Set<Flag> flags, boolean nio) implements Candidate {
        @Override public long largestSeq() { return total; }
        @Override public long largestUid() { return total; }
        @Override public boolean hasFlag(Flag flag) { return flags.contains(flag); }
        @Override public boolean hasKeyword(String keyword) { return false; }
        @Override public boolean isRecent() { return false; }
        @Override public Instant internalDate() { return date; }
        @Override public long rfc822Size() { return size; }
        @Override public long modSeq() { return 1; }
        @Override public InputStream openMessage() throws IOException {
            return nio ? Files.newInputStream(file.toPath()) : new FileInputStream(file);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args.length > 0 ? args[0] : "/tmp/sbench/Maildir").resolve("cur");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.sorted().toList());
        }
        List<FileCandidate> candidates = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i);
            String name = p.getFileName().toString();
            Set<Flag> flags = EnumSet.noneOf(Flag.class);
            int info = name.indexOf(":2,");
            if (info >= 0) {
                for (char c : name.substring(info + 3).toCharArray()) {
                    Flag f = Flag.fromMaildirLetter(c);
                    if (f != null) {
                        flags.add(f);
                    }
                }
            }
            long size = Files.size(p);
            bytes += size;
            candidates.add(new FileCandidate(i + 1, i + 1, files.size(), p.toFile(), size,
                    Files.getLastModifiedTime(p).toInstant(), flags, !"fis".equals(System.getProperty("open"))));
        }
        System.out.printf("folder %s: %d messages, %.1f MB%n", dir, candidates.size(), bytes / 1e6);
        SearchKey[] queries = {
            new SearchKey.Text("benchword123"),
            new SearchKey.Text("benchword7"), // the query of the Dovecot figure in /work/shared/bench
            new SearchKey.Text("nosuchwordanywhere"),
            new SearchKey.Body("Quarterly Budget"),
            new SearchKey.Header("Subject", "xyzzy"),
            new SearchKey.And(List.of(new SearchKey.Flag("\\Flagged", true), new SearchKey.Text("benchword7"))),
            new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateOp.SINCE, LocalDate.of(2023, 11, 15)),
            new SearchKey.Text("b\u00e9nchword"),
        };
        if (args.length > 2) {
            queries = new SearchKey[] {new SearchKey.Text(args[2])};
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            readOnly(candidates, bytes, rounds);
            for (SearchKey q : queries) {
                for (int threads : new int[] {1, 2, 4}) {
                    run(SearchProgram.compile(q), candidates, bytes, rounds, pool, threads);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void readOnly(List<FileCandidate> candidates, long bytes, int rounds) throws IOException {
        byte[] buf = new byte[1 << 20];
        double[] t = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (FileCandidate c : candidates) {
                try (InputStream in = c.openMessage()) {
                    while (in.read(buf) > 0) {
                        // drain
                    }
                }
            }
            t[r] = (System.nanoTime() - t0) / 1e9;
        }
        print("read files only (1 thread)", -1, bytes, candidates.size(), t);
    }

    private static void run(SearchProgram program, List<FileCandidate> candidates, long bytes, int rounds,
            ExecutorService pool, int threads) throws IOException {
        double[] t = new double[rounds];
        int hits = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            BitSet result = program.matchAll(candidates, pool, threads);
            t[r] = (System.nanoTime() - t0) / 1e9;
            hits = result.cardinality();
        }
        print(program + " threads=" + threads, hits, bytes, candidates.size(), t);
    }

    private static void print(String what, int hits, long bytes, int count, double[] t) {
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double best = sorted[0];
        double median = sorted[sorted.length / 2];
        System.out.printf("%-70s hits=%5d best %.3f s (%6.0f MB/s, %7.0f msgs/s) median %.3f s (%6.0f MB/s)%n",
                what, hits, best, bytes / 1e6 / best, count / best, median, bytes / 1e6 / median);
    }
}
