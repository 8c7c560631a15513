package javae.vae.tsne;

import javae.engine.kernels.Parallel;

/**
 * The t-SNE objective with a sparse P on nearest neighbours (attraction, exact over P's entries)
 * and Barnes-Hut repulsion through a {@link QuadTree}: O(N log N) per iteration. The force sums
 * run in float, as scikit-learn's; the descent itself stays in double. Each point's sums
 * are computed independently and Z is summed in a fixed order, so the result is the same on any
 * number of threads.
 */
final class BarnesHutObjective extends SparseObjective {
    private static final int GROUPS_PER_TILE = 8;

    private final double theta;
    private final QuadTree tree = new QuadTree();
    private final float[] forceX, forceY, sumQ; // per point, in the tree's Morton order
    // One interaction list per worker thread, kept from one iteration to the next: a fresh list per
    // tile was new memory to fault in, zero and grow every iteration, and made the repulsion up to
    // 2.5 times slower, varying from run to run.
    private final ThreadLocal<QuadTree.InteractionList> lists = ThreadLocal.withInitial(QuadTree.InteractionList::new);

    BarnesHutObjective(Affinities.SparseMatrix p, int n, double theta) {
        super(p, n);
        this.theta = theta;
        this.forceX = new float[n];
        this.forceY = new float[n];
        this.sumQ = new float[n];
    }

    @Override
    void prepareRepulsion(double[] y) {
        tree.build(y, n);
    }

    @Override
    double repulsion(double[] y, double[] repulsion) {
        int groups = tree.groupCount();
        int tiles = (groups + GROUPS_PER_TILE - 1) / GROUPS_PER_TILE;
        Parallel.forEach(tiles, tile -> {
            QuadTree.InteractionList list = lists.get();
            for (int g = tile * GROUPS_PER_TILE; g < Math.min(groups, (tile + 1) * GROUPS_PER_TILE); g++) {
                tree.repulsion(g, theta, list, forceX, forceY, sumQ);
            }
        });
        // Back from Morton order to the points' order; Z summed in one fixed order.
        double z = 0;
        for (int s = 0; s < n; s++) {
            int i = tree.original[s];
            repulsion[2 * i] = forceX[s];
            repulsion[2 * i + 1] = forceY[s];
            z += sumQ[s];
        }
        return z;
    }
}
