package javae.vae.tsne;

import javae.engine.kernels.Parallel;
import javae.engine.kernels.VectorSupport;

/**
 * The t-SNE objective with a sparse P on nearest neighbours (attraction, exact over P's entries)
 * and Barnes-Hut repulsion through a {@link QuadTree}: O(N log N) per iteration. The force sums
 * run in float, as scikit-learn's; the descent itself stays in double. Each point's sums
 * are computed independently and Z is summed in a fixed order, so the result is the same on any
 * number of threads.
 */
final class BarnesHutObjective implements Objective {
    private static final int TILE = 128;
    private static final int GROUPS_PER_TILE = 8;

    private final Affinities.SparseMatrix p;
    private final int n;
    private final double theta;
    private final QuadTree tree = new QuadTree();
    private final float[] forceX, forceY, sumQ; // per point, in the tree's Morton order
    private final float[] valsFloat;            // P's entries in float, for the force kernels
    private final float[] yx, yy;               // the embedding in float
    private final double[] attractionX, attractionY;

    BarnesHutObjective(Affinities.SparseMatrix p, int n, double theta) {
        this.p = p;
        this.n = n;
        this.theta = theta;
        this.forceX = new float[n];
        this.forceY = new float[n];
        this.sumQ = new float[n];
        this.valsFloat = new float[p.vals().length];
        for (int e = 0; e < valsFloat.length; e++) valsFloat[e] = (float) p.vals()[e];
        this.yx = new float[n];
        this.yy = new float[n];
        this.attractionX = new double[n];
        this.attractionY = new double[n];
    }

    /** Fills {@code repulsion} [N, 2] with sum_j q_ij^2 (y_i - y_j) (unnormalised) and returns Z. */
    private double repulsion(double[] y, double[] repulsion) {
        tree.build(y, n);
        int groups = tree.groupCount();
        int tiles = (groups + GROUPS_PER_TILE - 1) / GROUPS_PER_TILE;
        Parallel.forEach(tiles, tile -> {
            QuadTree.InteractionList list = new QuadTree.InteractionList();
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

    @Override
    public void gradient(double[] y, double exaggeration, double[] grad) {
        double z = repulsion(y, grad);
        for (int i = 0; i < n; i++) {
            yx[i] = (float) y[2 * i];
            yy[i] = (float) y[2 * i + 1];
        }
        int tiles = (n + TILE - 1) / TILE;
        Parallel.forEach(tiles, tile -> {
            int from = tile * TILE, to = Math.min(n, (tile + 1) * TILE);
            if (VectorSupport.enabled()) {
                AttractionVector.accumulate(p.rowStart(), p.cols(), valsFloat, yx, yy, from, to, attractionX, attractionY);
            } else {
                attraction(p.rowStart(), p.cols(), valsFloat, yx, yy, from, to, attractionX, attractionY);
            }
            for (int i = from; i < to; i++) {
                grad[2 * i] = 4 * (exaggeration * attractionX[i] - grad[2 * i] / z);
                grad[2 * i + 1] = 4 * (exaggeration * attractionY[i] - grad[2 * i + 1] / z);
            }
        });
    }

    /**
     * The attractive forces of rows [from, to): out_i = sum_j p_ij (1 + |y_i - y_j|^2)^-1 (y_i - y_j)
     * over the row's entries, in float like the repulsion ({@link AttractionVector} is the fast twin).
     */
    static void attraction(int[] rowStart, int[] cols, float[] vals, float[] yx, float[] yy,
                           int from, int to, double[] outX, double[] outY) {
        for (int i = from; i < to; i++) {
            float sx = 0, sy = 0;
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = cols[e];
                float dx = yx[i] - yx[j], dy = yy[i] - yy[j];
                float w = vals[e] / (1 + dx * dx + dy * dy);
                sx += w * dx;
                sy += w * dy;
            }
            outX[i] = sx;
            outY[i] = sy;
        }
    }

    @Override
    public double klDivergence(double[] y) {
        double z = repulsion(y, new double[2 * n]);
        int[] rowStart = p.rowStart();
        int[] cols = p.cols();
        double[] vals = p.vals();
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = cols[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy) / z;
                kl += vals[e] * Math.log(Math.max(vals[e], TINY) / Math.max(q, TINY));
            }
        }
        return kl;
    }
}
