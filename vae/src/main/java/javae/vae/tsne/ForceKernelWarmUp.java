package javae.vae.tsne;

import javae.engine.Rng;
import javae.engine.kernels.VectorSupport;

/**
 * Has the JIT compiler compile Barnes-Hut's force kernels before the first gradient needs them.
 * In a cold run the first gradients would run the kernels interpreted, Vector API code in which
 * every vector is a heap object (a hundred times slower), and wait while they are compiled. The
 * steps between the affinities and the first gradient (symmetrising P, the PCA) run on one thread
 * and leave the other core idle: meanwhile this spare thread runs the kernels on a small problem
 * of its own, until {@link #close} tells it to stop. It shares no data with the run, and the
 * kernels give the same bits interpreted or compiled, so the embedding does not change.
 *
 * <pre>{@code
 * try (ForceKernelWarmUp warmUp = ForceKernelWarmUp.start()) {
 *     ... serial work ...
 * }
 * }</pre>
 */
final class ForceKernelWarmUp implements AutoCloseable {
    private static final int POINTS = 500;
    private static final int NEIGHBOURS = 30;
    private static final int MAX_ROUNDS = 30;

    private final Thread thread;
    private volatile boolean stop;

    private ForceKernelWarmUp(boolean enabled) {
        this.thread = enabled ? new Thread(this::warmUp, "t-SNE kernel warm-up") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Starts warming up on a spare thread; without the Vector API there is nothing to gain. */
    static ForceKernelWarmUp start() {
        return new ForceKernelWarmUp(VectorSupport.enabled());
    }

    /** Gradients of a made-up embedding: points on a ring, each attracted by the next NEIGHBOURS. */
    private void warmUp() {
        int[] neighbours = new int[POINTS * NEIGHBOURS];
        double[] conditional = new double[POINTS * NEIGHBOURS];
        for (int i = 0; i < POINTS; i++) {
            for (int m = 0; m < NEIGHBOURS; m++) {
                neighbours[i * NEIGHBOURS + m] = (i + 1 + m) % POINTS;
                conditional[i * NEIGHBOURS + m] = 1.0 / NEIGHBOURS;
            }
        }
        SparseAttraction attraction = new SparseAttraction(Affinities.symmetrise(neighbours, conditional, POINTS, NEIGHBOURS), POINTS);
        Rng rng = new Rng(1);
        double[] y = new double[2 * POINTS];
        for (int e = 0; e < y.length; e++) y[e] = 10 * rng.nextGaussian();
        QuadTree tree = new QuadTree();
        QuadTree.InteractionList list = new QuadTree.InteractionList();
        float[] forceX = new float[POINTS], forceY = new float[POINTS], sumQ = new float[POINTS];
        for (int round = 0; round < MAX_ROUNDS && !stop; round++) {
            attraction.load(y);
            for (int tile = 0; tile < attraction.tiles(); tile++) attraction.forces(tile);
            tree.build(y, POINTS);
            for (int g = 0; g < tree.groupCount(); g++) tree.repulsion(g, 0.5, list, forceX, forceY, sumQ);
        }
    }

    /** Stops the warm-up and waits for its thread (at most the rest of one round). */
    @Override
    public void close() {
        if (thread == null) return;
        stop = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
