package javae.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * javae's one ForkJoin pool. Its size comes from the system property {@code javae.threads}
 * (default: the available processors) or {@link #setThreads}. Callers split work into a fixed
 * number of tiles that does not depend on the thread count, so results are the same bits on any
 * number of threads.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Integer.getInteger("javae.threads", Runtime.getRuntime().availableProcessors()));

    private Parallel() {}

    private static ForkJoinPool newPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("javae.threads must be at least 1, got " + threads);
        return new ForkJoinPool(threads);
    }

    /** The number of threads kernels use. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Resizes the pool (for the CLI's --threads and for tests). */
    public static synchronized void setThreads(int threads) {
        if (threads == threads()) return;
        ForkJoinPool old = pool;
        pool = newPool(threads);
        old.shutdown();
    }

    /** Runs {@code body.accept(i)} once for each i in [0, count), in parallel when worth it; returns when all are done. */
    public static void forEach(int count, IntConsumer body) {
        if (count <= 1 || threads() == 1 || ForkJoinTask.getPool() == pool) {
            for (int i = 0; i < count; i++) body.accept(i);
            return;
        }
        pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
    }
}
