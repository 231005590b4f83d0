package org.mailroom.imap.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.StoreDelivery;

/**
 * Prints the IDLE wake-up latency of N sessions idling on one INBOX (the target: 50 ms from the
 * delivery to the last client): N connections log in, SELECT INBOX and IDLE; then messages are
 * delivered through the store, and one selector thread reads every connection and notes when its
 * {@code * n EXISTS} arrived. Also prints how long the delivery itself took (with the wake-ups it
 * hands out before returning), and at the end the heap per session (after the deliveries: a view
 * that keeps its own copy of a large folder's list shows here). Unlike {@code idle_bench.py} the client costs next to nothing, so
 * the figures are the server's; client and server share the JVM and the cores.
 * Not a test: run it by hand, {@code mvn -q -o test-compile -pl imap -am} then
 * {@code java -cp imap/target/test-classes:imap/target/classes:$(cat cp.txt) org.mailroom.imap.server.IdleWakeBench 1000 10 20000}
 * (sessions, deliveries, messages already in INBOX).
 */
public final class IdleWakeBench {
    private IdleWakeBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int prefill = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path dir = Files.createTempDirectory("imap-idle-wake");
        // messages already in INBOX, as another Maildir tool leaves them: picked up at first load
        Path box = dir.resolve("mail/example.test/alice");
        for (String sub : new String[] {"cur", "new", "tmp"}) Files.createDirectories(box.resolve(sub));
        for (int i = 0; i < prefill; i++) {
            Files.writeString(box.resolve("cur/1700000000.M" + i + "P1.bench:2,S"), "Subject: old " + i + "\n\nold\n");
        }
        AtomicReference<MailStore> store = new AtomicReference<>();
        try (ImapHarness h = new ImapHarness(dir, s -> new ImapSettings(s.hostname(), s.listenerName(), s.idleTimeout(),
                s.maxLineLength(), s.appendLimit(), n + 10, true), m -> { store.set(m); return m; })) {
            h.addUser("alice@example.test", "secret");
            deliver(store.get(), 0);
            InetSocketAddress at = h.address("imap");
            long heap0 = usedAfterGc();
            ExecutorService logins = Executors.newFixedThreadPool(4);
            List<Future<SocketChannel>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) fs.add(logins.submit(() -> idle(at)));
            Selector sel = Selector.open();
            long[] seen = new long[n];
            for (int i = 0; i < n; i++) {
                SocketChannel ch = fs.get(i).get();
                ch.configureBlocking(false);
                ch.register(sel, SelectionKey.OP_READ, i);
            }
            logins.shutdown();
            System.out.printf("%d sessions idle on an INBOX of %d messages%n", n, prefill + 1);
            ByteBuffer buf = ByteBuffer.allocate(4096);
            for (int round = 1; round <= rounds; round++) {
                Thread.sleep(300);
                Arrays.fill(seen, 0);
                long t0 = System.nanoTime();
                deliver(store.get(), round);
                long delivered = System.nanoTime() - t0;
                int got = 0;
                while (got < n) {
                    if (sel.select(5000) == 0) break;
                    for (SelectionKey k : sel.selectedKeys()) {
                        buf.clear();
                        if (((SocketChannel) k.channel()).read(buf) <= 0) continue;
                        int i = (Integer) k.attachment();
                        if (seen[i] == 0 && new String(buf.array(), 0, buf.position(), US_ASCII).contains("EXISTS")) {
                            seen[i] = System.nanoTime() - t0;
                            got++;
                        }
                    }
                    sel.selectedKeys().clear();
                }
                long[] l = Arrays.stream(seen).filter(x -> x > 0).sorted().toArray();
                System.out.printf("round %d: delivery %.2f ms; woken %d/%d: first %.2f median %.2f p99 %.2f last %.2f ms%n",
                        round, delivered / 1e6, l.length, n, l[0] / 1e6, l[l.length / 2] / 1e6,
                        l[Math.min(l.length - 1, (int) Math.round(l.length * 0.99) - 1)] / 1e6, l[l.length - 1] / 1e6);
            }
            System.out.printf("heap after the deliveries: %.1f KiB per session (client side included)%n",
                    (usedAfterGc() - heap0) / 1024.0 / n);
            for (SelectionKey k : sel.keys()) k.channel().close();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void deliver(MailStore store, int i) throws IOException {
        StoreDelivery d = store.newDelivery();
        d.addRecipient("alice@example.test");
        ContentBuffer b = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        b.append(("Subject: idle " + i + "\n\n" + "hello idle\n".repeat(20)).getBytes(UTF_8));
        d.write(b);
        d.commit();
    }

    /** A connection logged in, INBOX selected, in IDLE (blocking until then). */
    private static SocketChannel idle(InetSocketAddress at) throws IOException {
        SocketChannel ch = SocketChannel.open(at);
        ByteBuffer in = ByteBuffer.allocate(8192);
        line(ch, in, "* OK");
        for (String[] c : new String[][] {{"a LOGIN alice@example.test secret", "a OK"}, {"b SELECT INBOX", "b OK"},
                {"c IDLE", "+ "}}) {
            ch.write(ByteBuffer.wrap((c[0] + "\r\n").getBytes(US_ASCII)));
            line(ch, in, c[1]);
        }
        return ch;
    }

    /** Reads until a line starting with {@code prefix} was read. */
    private static void line(SocketChannel ch, ByteBuffer in, String prefix) throws IOException {
        while (true) {
            String s = new String(in.array(), 0, in.position(), US_ASCII);
            int at = s.startsWith(prefix) ? 0 : s.indexOf("\n" + prefix);
            if (at >= 0) {
                int end = s.indexOf('\n', at + 1);
                if (end >= 0) {
                    in.clear();
                    return;
                }
            }
            if (ch.read(in) < 0) throw new IOException("closed: " + s);
        }
    }
}
