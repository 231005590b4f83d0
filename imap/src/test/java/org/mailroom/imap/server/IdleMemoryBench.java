package org.mailroom.imap.server;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the server's heap per idle IMAP connection (the target is below 20 KiB): logs in N
 * plaintext connections, SELECTs (the test mailbox) and IDLEs on each, then compares the used heap
 * after a full GC with the heap before. Client and server share the JVM; the client side holds
 * sockets and an 8 KiB read buffer each, so the figure is an upper bound for the server's share
 * (2026-11-23: 12.7 KiB together for 190 connections, so about 4-5 KiB on the server).
 * Not a test (no assertions on resources): run it by hand,
 * {@code mvn -q -o test-compile -pl imap -am} then
 * {@code java -cp imap/target/test-classes:imap/target/classes:$(cat cp.txt) org.mailroom.imap.server.IdleMemoryBench 2000}.
 */
public final class IdleMemoryBench {
    private IdleMemoryBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("imap-idle-bench");
        try (ImapHarness h = new ImapHarness(dir, s -> new ImapSettings(s.hostname(), s.listenerName(), s.idleTimeout(),
                s.maxLineLength(), s.appendLimit(), n + 10, true), new org.mailroom.core.account.AuthThrottle(), x -> { })) {
            h.addUser("alice@example.test", "secret");
            // warm up: one full session, so class loading is not counted
            try (ImapClient c = new ImapClient(h.address("imap"))) {
                c.login();
            }
            long before = usedAfterGc();
            List<ImapClient> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ImapClient c = new ImapClient(h.address("imap")).login();
                c.send("s SELECT INBOX");
                c.tagged("s");
                c.send("i IDLE");
                c.line();
                clients.add(c);
            }
            long after = usedAfterGc();
            System.out.printf("%d idle IMAP connections: %.1f KiB heap each (client and server sides together)%n",
                    n, (after - before) / 1024.0 / n);
            for (ImapClient c : clients) c.close();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
