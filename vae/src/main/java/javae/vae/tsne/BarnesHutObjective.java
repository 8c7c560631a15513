package javae.vae.tsne;

import javae.engine.kernels.Parallel;

/**
 * The t-SNE objective with a sparse P on nearest neighbours (attraction, exact over P's entries)
 * and Barnes-Hut repulsion through a {@link QuadTree}: O(N log N) per iteration. Each point's sums
 * are computed independently and Z is reduced over fixed tiles in a fixed order, so the result is
 * the same on any number of threads.
 */
final class BarnesHutObjective implements Objective {
    private static final int TILE = 128;
    private static final int STACK = 512;

    private final Affinities.SparseMatrix p;
    private final int n;
    private final double theta;
    private final QuadTree tree = new QuadTree();

    BarnesHutObjective(Affinities.SparseMatrix p, int n, double theta) {
        this.p = p;
        this.n = n;
        this.theta = theta;
    }

    /** Fills {@code repulsion} [N, 2] with sum_j q_ij^2 (y_i - y_j) (unnormalised) and returns Z. */
    private double repulsion(double[] y, double[] repulsion) {
        tree.build(y, n);
        int tiles = (n + TILE - 1) / TILE;
        double[] partial = new double[tiles];
        Parallel.forEach(tiles, tile -> {
            int[] stack = new int[STACK];
            double sum = 0;
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                repulsion[2 * i] = 0;
                repulsion[2 * i + 1] = 0;
                sum += tree.repulsion(y[2 * i], y[2 * i + 1], theta, repulsion, 2 * i, stack);
            }
            partial[tile] = sum;
        });
        double z = 0;
        for (double s : partial) z += s;
        return z;
    }

    @Override
    public void gradient(double[] y, double exaggeration, double[] grad) {
        double z = repulsion(y, grad);
        int tiles = (n + TILE - 1) / TILE;
        int[] rowStart = p.rowStart();
        int[] cols = p.cols();
        double[] vals = p.vals();
        Parallel.forEach(tiles, tile -> {
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                double ax = 0, ay = 0;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    int j = cols[e];
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double w = vals[e] / (1 + dx * dx + dy * dy);
                    ax += w * dx;
                    ay += w * dy;
                }
                grad[2 * i] = 4 * (exaggeration * ax - grad[2 * i] / z);
                grad[2 * i + 1] = 4 * (exaggeration * ay - grad[2 * i + 1] / z);
            }
        });
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
