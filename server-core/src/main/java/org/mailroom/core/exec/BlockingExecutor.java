package org.mailroom.core.exec;

import io.netty.channel.Channel;
import org.mailroom.core.net.InboundGate;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A bounded pool for blocking work: disk, fsync, DNS, password hashing. Its queue is bounded too;
 * when it is full the returned stage fails with {@link RejectedExecutionException}, which protocols
 * answer with a temporary error (SMTP 451 4.3.0, IMAP NO [UNAVAILABLE]) instead of queueing
 * without limit.
 */
public final class BlockingExecutor implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    public BlockingExecutor(int threads, int queueLimit) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "blocking-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queueLimit), tf, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** How many threads the pool has at most. */
    public int threads() {
        return pool.getMaximumPoolSize();
    }

    /** Runs {@code task} on the pool; the stage completes on the pool thread. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * Runs {@code task} on the pool and then {@code then} on the channel's event loop, with either
     * the result or the failure (never both non-null). The gate is paused meanwhile, so pipelined
     * commands wait their turn and the socket is not read; it is resumed after {@code then} ran
     * unless {@code then} paused it again.
     */
    public <T> void call(Channel ch, InboundGate gate, Callable<T> task, BiConsumer<T, Throwable> then) {
        long generation = gate.pause();
        resumeAfter(ch, gate, generation, submit(task), then);
    }

    /** As {@link #call}, for work already under way (a read-ahead): {@code then} when it is done. */
    public static <T> void call(Channel ch, InboundGate gate, CompletableFuture<T> work, BiConsumer<T, Throwable> then) {
        resumeAfter(ch, gate, gate.pause(), work, then);
    }

    private static <T> void resumeAfter(Channel ch, InboundGate gate, long generation, CompletableFuture<T> work,
                                        BiConsumer<T, Throwable> then) {
        work.whenComplete((v, err) -> ch.eventLoop().execute(() -> {
            try {
                then.accept(v, unwrap(err));
            } finally {
                if (gate.pauseGeneration() == generation && ch.isActive()) gate.resume();
            }
        }));
    }

    public static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }

    /** Stops taking work and waits up to {@code millis} for what is running or queued. */
    public boolean shutdown(long millis) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
