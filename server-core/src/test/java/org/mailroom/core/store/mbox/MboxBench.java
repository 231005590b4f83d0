package org.mailroom.core.store.mbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.Flag;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.maildir.MaildirStore;

/**
 * Prints what an mbox INBOX costs (docs/mbox.md): deliveries per second into one mbox from several
 * threads (each one append + fdatasync under both locks), opening it (a full read), and the
 * rewrites of an expunge at the start and a flag change at the end. Not a test; run with
 * {@code java -cp ... org.mailroom.core.store.mbox.MboxBench [dir] [messages] [size] [threads]}.
 */
public final class MboxBench {
    private MboxBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("/tmp"), "mboxbench");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        MaildirStore maildir = new MaildirStore(dir.resolve("mail"), "bench");
        MboxStore store = new MboxStore(maildir, a -> true, MboxStore.defaultInbox(maildir));
        StringBuilder body = new StringBuilder("Subject: bench\nFrom: a@example.org\n\n");
        while (body.length() < size) body.append("From line and more text to fill the message up to size\n");
        byte[] msg = body.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        ExecutorService ex = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = n / threads + (t < n % threads ? 1 : 0);
            fs.add(ex.submit(() -> {
                for (int i = 0; i < share; i++) {
                    ContentBuffer c = new ContentBuffer(dir, 1 << 20);
                    c.append(msg);
                    StoreDelivery d = store.newDelivery();
                    d.addRecipient("bench@example.org");
                    d.write(c);
                    d.commit();
                }
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        ex.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("deliver: %d x %d B, %d threads: %.0f msg/s%n", n, msg.length, threads, n / secs);

        MboxStore fresh = new MboxStore(maildir, a -> true, MboxStore.defaultInbox(maildir));
        t0 = System.nanoTime();
        try (Mailbox m = fresh.openInbox("bench@example.org")) {
            System.out.printf("open (read %d messages, %.1f MB): %.1f ms%n", m.messages().size(),
                    Files.size(MboxStore.defaultInbox(maildir).apply("bench@example.org")) / 1e6,
                    (System.nanoTime() - t0) / 1e6);
            long last = m.messages().get(m.messages().size() - 1).uid();
            t0 = System.nanoTime();
            m.store(List.of(last), Mailbox.FlagMode.ADD, Set.of(Flag.SEEN), Set.of(), -1);
            System.out.printf("flag the last message (rewrite one): %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            m.expunge(List.of(m.messages().get(0).uid()));
            System.out.printf("expunge the first message (rewrite all): %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
