package org.mailroom.imap.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmark program (not a test): parses a Maildir's messages and prints messages/s for the
 * header-only ENVELOPE path and for the full structure, plus the cache form's size and read rate.
 * Usage: {@code MessageParseBench [count] [maildir]}; without a maildir it runs
 * {@code /work/shared/bench/gen_maildir.py} into a temporary directory. Files are read from disk
 * (the page cache after the first round), as the FETCH path reads them.
 */
public final class MessageParseBench {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path dir;
        boolean generated = args.length <= 1;
        if (!generated) {
            dir = Path.of(args[1]);
        } else {
            dir = Files.createTempDirectory("mailroom-bench");
            Process p = new ProcessBuilder("python3", "/work/shared/bench/gen_maildir.py", "--dest", dir.toString(),
                    "--count", Integer.toString(count)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException("gen_maildir.py failed");
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(f -> f.getParent().getFileName().toString().equals("cur"))
                    .sorted().limit(count).collect(Collectors.toList());
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("%d messages, %.1f MB stored, in %s%n", files.size(), bytes / 1e6, dir);
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            long sink = 0;
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    sink += Envelope.parse(in).toImap().length;
                }
            }
            long t1 = System.nanoTime();
            long cache = 0;
            byte[][] forms = new byte[files.size()][];
            for (int i = 0; i < files.size(); i++) {
                MessageStructure m = MessageStructure.parse(MessageSource.of(files.get(i)));
                sink += m.bodyStructure().length;
                forms[i] = m.toBytes();
                cache += forms[i].length;
            }
            long t2 = System.nanoTime();
            for (byte[] form : forms) {
                sink += MessageStructure.fromBytes(form).bodyStructure().length;
            }
            long t3 = System.nanoTime();
            System.out.printf("round %d: envelope (header only) %,.0f msg/s | full structure + BODYSTRUCTURE %,.0f msg/s"
                    + " (%.0f MB/s) | cache form avg %d octets, read + render %,.0f msg/s  [%d]%n", round,
                    files.size() / ((t1 - t0) / 1e9), files.size() / ((t2 - t1) / 1e9), bytes / 1e6 / ((t2 - t1) / 1e9),
                    cache / Math.max(1, files.size()), files.size() / ((t3 - t2) / 1e9), sink % 10);
        }
        if (generated) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(p);
                }
            }
        }
    }
}
