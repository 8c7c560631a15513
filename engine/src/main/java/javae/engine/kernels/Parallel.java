package javae.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * javae's one ForkJoin pool, and the loops that share their tiles with it. The number of threads
 * comes from the system property {@code javae.threads} (default: the available processors) or
 * {@link #setThreads}: the thread that calls {@link #forEach} is one of them, and the pool holds the
 * others. A dedicated pool, because on a 2-core machine the common pool has a single worker.
 *
 * <p>Callers split work into a fixed number of tiles that does not depend on the thread count, and
 * each tile writes its own part of the output, so results are the same bits on any number of threads.
 * Small work stays on the calling thread: ask {@link #worthSplitting} first.
 *
 * <p>How a loop runs: the calling thread hands one helper task per pool worker to the pool, then
 * takes tiles itself; every thread takes the next tile not yet taken until none is left, and the
 * caller returns once every tile is done. The caller is already running, so it starts at once and
 * only the workers have to wake up; it never sits idle waiting for a pool to start the work
 * (a training step runs about 60 such loops, a t-SNE iteration a few).
 */
public final class Parallel {
    private static volatile int threads = Integer.getInteger("javae.threads", Runtime.getRuntime().availableProcessors());
    private static volatile ForkJoinPool pool = newPool(threads);
    /**
     * How long a caller whose tiles are done spins, waiting for the other threads' tiles, before it
     * parks. Parked, it woke tens of microseconds after the last tile: on 2 threads a 512 x 512
     * product (about 0.6 ms) took 0.64-0.84 ms instead of 0.59-0.65 (bench/README).
     */
    private static final long SPIN_BEFORE_PARK_NANOS = 50_000;
    /** Set while this thread runs tiles: a loop inside a tile runs where it is. */
    private static final ThreadLocal<boolean[]> IN_TILE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() {}

    /**
     * A pool of {@code threads - 1} workers (at least one, unused with a single thread), which may not
     * grow: its tasks never wait on one another, so no worker ever needs a stand-in.
     */
    private static ForkJoinPool newPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("javae.threads must be at least 1, got " + threads);
        int workers = Math.max(1, threads - 1);
        return new ForkJoinPool(workers, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false,
                workers, workers, 1, pool -> true, 60, TimeUnit.SECONDS);
    }

    /** The number of threads kernels use, the calling thread included. */
    public static int threads() {
        return threads;
    }

    /** Resizes the pool (for the CLI's --threads and for tests). */
    public static synchronized void setThreads(int count) {
        if (count == threads) return;
        ForkJoinPool old = pool;
        pool = newPool(count);
        threads = count;
        old.shutdown();
    }

    /**
     * True when {@code tiles} tiles totalling {@code work} units are worth sharing between threads:
     * more than one tile, more than one thread, at least {@code minWork} units, and not already
     * inside a tile (nested work runs where it is).
     */
    public static boolean worthSplitting(int tiles, long work, long minWork) {
        return tiles > 1 && work >= minWork && threads > 1 && !IN_TILE.get()[0];
    }

    /** Runs {@code body.accept(i)} once for each i in [0, count), in parallel when worth it; returns when all are done. */
    public static void forEach(int count, IntConsumer body) {
        forEach(count, count, 0, body);
    }

    /** {@link #forEach(int, IntConsumer)}, in parallel only when it is {@link #worthSplitting}: at least {@code minWork} of {@code work} units in all. */
    public static void forEach(int count, long work, long minWork, IntConsumer body) {
        if (!worthSplitting(count, work, minWork)) {
            for (int i = 0; i < count; i++) body.accept(i);
            return;
        }
        Tiles tiles = new Tiles(count, body, Thread.currentThread());
        for (int helper = 0; helper < Math.min(threads, count) - 1; helper++) pool.execute(tiles::run);
        tiles.run();
        tiles.awaitAll();
    }

    /** A loop body over the indices [from, to) of one chunk. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int from, int to);
    }

    /** Loops of at least this many elements are cut into chunks by {@link #forEachChunk}, */
    public static final int MIN_CHUNKED_LENGTH = 1 << 16;
    /** this many of them, */
    private static final int CHUNKS = 8;
    /** each a multiple of this many elements but the last: whole vectors at any width up to 2048 bits. */
    private static final int CHUNK_ALIGNMENT = 64;

    /**
     * Runs {@code body} over [0, length): in one call when length is below {@code minLength},
     * otherwise in a fixed number of consecutive chunks (whole vectors but the last) that run in
     * parallel. For loops whose elements are independent, so the result does not depend on the cut.
     */
    public static void forEachChunk(int length, int minLength, ChunkBody body) {
        if (length < Math.max(minLength, CHUNKS)) {
            body.run(0, length);
            return;
        }
        int chunk = (length / CHUNKS + CHUNK_ALIGNMENT - 1) / CHUNK_ALIGNMENT * CHUNK_ALIGNMENT;
        forEach(CHUNKS, c -> {
            int from = Math.min(length, c * chunk), to = c == CHUNKS - 1 ? length : Math.min(length, from + chunk);
            if (from < to) body.run(from, to);
        });
    }

    /** The tiles of one {@link #forEach}: taken one at a time by whichever thread is free, in any order. */
    private static final class Tiles {
        private final int count;
        private final IntConsumer body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        private volatile Throwable failure;

        Tiles(int count, IntConsumer body, Thread caller) {
            this.count = count;
            this.body = body;
            this.caller = caller;
        }

        /** Runs tiles until none is left to take. A tile that throws is recorded; the others still run. */
        void run() {
            boolean[] inTile = IN_TILE.get();
            inTile[0] = true;
            try {
                for (int tile = next.getAndIncrement(); tile < count; tile = next.getAndIncrement()) {
                    try {
                        body.accept(tile);
                    } catch (Throwable t) {
                        if (failure == null) failure = t;
                    } finally {
                        if (done.incrementAndGet() == count && Thread.currentThread() != caller) LockSupport.unpark(caller);
                    }
                }
            } finally {
                inTile[0] = false;
            }
        }

        /**
         * Returns when every tile is done (the caller's own are); rethrows a tile's failure. Spins for
         * up to {@link #SPIN_BEFORE_PARK_NANOS} first: the other threads' last tiles usually end soon
         * after the caller's, and a parked caller takes tens of microseconds to wake.
         */
        void awaitAll() {
            long giveUp = System.nanoTime() + SPIN_BEFORE_PARK_NANOS;
            while (done.get() < count && System.nanoTime() - giveUp < 0) Thread.onSpinWait();
            while (done.get() < count) LockSupport.park(this);
            Throwable t = failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}
