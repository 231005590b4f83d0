package org.mailroom.imap.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.StoreDelivery;

/**
 * IDLE wake-ups: grouped per event loop ({@link IdleWakeups}), the delivering thread never waits
 * for the sessions, every idling session of a folder hears of a delivery, and a session that is
 * not idling is not written to.
 */
class IdleWakeupsTest {
    @TempDir
    Path tmp;

    /** An event loop that counts the tasks handed to it. */
    private static final class CountingLoop extends DefaultEventLoop {
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            super.execute(task);
        }
    }

    @Test
    void wakeUpsForOneLoopRunInOneTaskInOrderAndTheWakerDoesNotWait() throws Exception {
        CountingLoop loop = new CountingLoop();
        try {
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    release.await(); // the loop is busy: nothing queued below can run yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            IdleWakeups w = new IdleWakeups();
            List<Integer> ran = new ArrayList<>(); // only touched on the loop
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                w.of(loop).execute(() -> {
                    ran.add(n);
                    threads.add(Thread.currentThread());
                });
            }
            // all 1,000 were handed over while the loop could run none of them
            assertEquals(2, loop.tasks.get(), "the blocker, then one drain task for all 1,000");
            release.countDown();
            CountDownLatch done = new CountDownLatch(1);
            w.of(loop).execute(done::countDown);
            assertTrue(done.await(30, TimeUnit.SECONDS));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 1000; i++) expected.add(i);
            loop.submit(() -> { }).sync(); // ran and threads are read after the loop wrote them
            assertEquals(expected, ran, "in the order queued");
            assertTrue(threads.stream().allMatch(loop::inEventLoop), "on the loop");
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aFailingWakeUpDoesNotStopTheOthers() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            IdleWakeups w = new IdleWakeups();
            CountDownLatch done = new CountDownLatch(2);
            w.of(loop).execute(done::countDown);
            w.of(loop).execute(() -> { throw new IllegalStateException("test: a broken session"); });
            w.of(loop).execute(done::countDown);
            assertTrue(done.await(30, TimeUnit.SECONDS));
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void deliver(MailStore store, String text) throws Exception {
        StoreDelivery d = store.newDelivery();
        d.addRecipient("alice@example.test");
        ContentBuffer b = new ContentBuffer(Path.of("/nonexistent"), 1 << 20);
        b.append(text.getBytes(UTF_8));
        d.write(b);
        d.commit();
    }

    @Test
    void everySessionIdlingOnAFolderHearsOfOneDeliveryAndOneNotIdlingIsNotWrittenTo() throws Exception {
        int n = 60;
        AtomicReference<MailStore> store = new AtomicReference<>();
        try (ImapHarness h = new ImapHarness(Files.createTempDirectory(tmp, "h"),
                s -> new ImapSettings(s.hostname(), s.listenerName(), s.idleTimeout(), s.maxLineLength(), s.appendLimit(),
                        n + 10, true),
                m -> { store.set(m); return m; })) {
            h.addUser("alice@example.test", "secret");
            List<ImapClient> idle = new ArrayList<>();
            try (ImapClient busy = new ImapClient(h.address("imap")).login()) {
                for (int i = 0; i < n; i++) {
                    ImapClient c = new ImapClient(h.address("imap"));
                    idle.add(c);
                    c.login();
                    c.send("s SELECT INBOX");
                    assertTrue(c.tagged("s").startsWith("s OK"));
                    c.send("i IDLE");
                    assertEquals("+ idling", c.line());
                }
                // busy idled once and stopped, then starts an APPEND and waits in its literal
                busy.send("s SELECT INBOX");
                assertTrue(busy.tagged("s").startsWith("s OK"));
                busy.send("i IDLE");
                assertEquals("+ idling", busy.line());
                busy.send("DONE");
                assertEquals("i OK IDLE terminated", busy.line());
                busy.send("a APPEND INBOX {11}");
                assertTrue(busy.line().startsWith("+"));

                deliver(store.get(), "Subject: x\n\nx\n");
                int recent = 0;
                for (ImapClient c : idle) {
                    assertEquals("* 1 EXISTS", c.line());
                    String r = c.line();
                    assertTrue(r.equals("* 1 RECENT") || r.equals("* 0 RECENT"), r);
                    if (r.equals("* 1 RECENT")) recent++;
                }
                assertEquals(1, recent, "RFC 3501 2.3.2: one session sees the new message as \\Recent");

                // nothing was written to busy meanwhile: its next line is the APPEND's own update
                busy.raw("Subject: y\r\n".getBytes(UTF_8)).send("");
                assertEquals("* 2 EXISTS", busy.line());
                String r = busy.line(); // \Recent goes to whichever session looked first
                assertTrue(r.equals("* 1 RECENT") || r.equals("* 0 RECENT"), r);
                assertTrue(busy.tagged("a").startsWith("a OK"));
                for (ImapClient c : idle) {
                    assertEquals("* 2 EXISTS", c.line());
                    c.send("DONE");
                    assertEquals("i OK IDLE terminated", c.tagged("i"));
                }
            } finally {
                for (ImapClient c : idle) c.close();
            }
        }
    }
}
