package org.mailroom.imap.server;

import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLE wake-ups grouped per event loop. One delivery to a folder that 1,000 sessions idle on
 * wakes all of them from the store's writer thread; handing each its own task would mean 1,000
 * cross-thread submissions (each a queue insertion, and a selector wake-up whenever the loop is
 * asleep) made while the delivery waits. Here a wake-up is a lock-free queue insertion, and each
 * event loop gets at most one task at a time, which runs the wake-ups queued for it in order.
 *
 * <p>Threads: {@link #of} and the executors it returns may be called from any thread; the tasks run on their loop. One
 * instance per listener ({@link ImapInitializer.Services}), holding one small queue per event loop
 * it has seen (the listener's worker group is fixed, so they are few).
 */
final class IdleWakeups {
    private static final Logger log = LoggerFactory.getLogger(IdleWakeups.class);

    private final ConcurrentHashMap<EventExecutor, Loop> loops = new ConcurrentHashMap<>();

    /**
     * Queues wake-ups for {@code loop}: each task runs there with the other wake-ups queued for
     * that loop meanwhile. Looked up once per IDLE, not per wake-up.
     */
    Executor of(EventExecutor loop) {
        return loops.computeIfAbsent(loop, Loop::new);
    }

    /** The wake-ups waiting for one event loop; at most one drain task is scheduled at a time. */
    private static final class Loop implements Runnable, Executor {
        private final EventExecutor executor;
        private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Loop(EventExecutor executor) {
            this.executor = executor;
        }

        @Override
        public void execute(Runnable task) {
            queue.offer(task);
            if (!scheduled.compareAndSet(false, true)) return; // the scheduled drain will run it
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                queue.clear(); // the loop is shutting down with its connections
                scheduled.set(false);
            }
        }

        @Override
        public void run() {
            // cleared first: a wake-up queued after the last poll schedules the next drain
            scheduled.set(false);
            Runnable r;
            while ((r = queue.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("IDLE wake-up failed", e);
                }
            }
        }
    }
}
