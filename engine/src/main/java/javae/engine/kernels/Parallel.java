package javae.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * javae's one ForkJoin pool. Its size comes from the system property {@code javae.threads}
 * (default: the available processors) or {@link #setThreads}. A dedicated pool, because on a
 * 2-core machine the common pool has a single worker.
 *
 * <p>Callers split work into a fixed number of tiles that does not depend on the thread count, and
 * each tile writes its own part of the output, so results are the same bits on any number of threads.
 * Small work stays on the calling thread: ask {@link #worthSplitting} first.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Integer.getInteger("javae.threads", Runtime.getRuntime().availableProcessors()));

    private Parallel() {}

    /**
     * A pool of at most {@code threads} workers. By default a worker that waits in a join for a
     * stolen half gets a spare thread to stand in for it; with as many workers as cores, the spare
     * only adds a thread for the cores to switch between (three workers ran a training step on two
     * cores). So the pool may not grow, and a worker that cannot be replaced waits ({@code saturate}
     * answers true) while the others finish the halves it waits for. That is safe because tile
     * bodies never block on anything outside the pool, and nested calls run inline.
     */
    private static ForkJoinPool newPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("javae.threads must be at least 1, got " + threads);
        return new ForkJoinPool(threads, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false,
                threads, threads, 1, pool -> true, 60, TimeUnit.SECONDS);
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

    /**
     * True when {@code tiles} tiles totalling {@code work} units are worth handing to the pool:
     * more than one tile, more than one thread, at least {@code minWork} units, and not already
     * inside a pool task (nested work runs where it is).
     */
    public static boolean worthSplitting(int tiles, long work, long minWork) {
        return tiles > 1 && work >= minWork && threads() > 1 && ForkJoinTask.getPool() != pool;
    }

    /** Runs {@code body.accept(i)} once for each i in [0, count), in parallel when worth it; returns when all are done. */
    public static void forEach(int count, IntConsumer body) {
        if (!worthSplitting(count, count, 0)) {
            for (int i = 0; i < count; i++) body.accept(i);
            return;
        }
        pool.invoke(new Range(0, count, body));
    }

    /** Halves a range of tile indices until single tiles remain; idle workers steal the halves. */
    private static final class Range extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int from, to;
        private final transient IntConsumer body;

        Range(int from, int to, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.accept(from);
                return;
            }
            int middle = (from + to) >>> 1;
            invokeAll(new Range(from, middle, body), new Range(middle, to, body));
        }
    }
}
