package javae.vae.tsne;

import javae.engine.kernels.Parallel;

/** The t-SNE objective over all N^2 pairs, with a dense P: exact, O(N^2) memory and time. */
final class ExactObjective implements Objective {
    private static final int TILE = 32;

    private final double[] p; // [N, N] symmetric, sums to 1
    private final int n;

    ExactObjective(double[] p, int n) {
        this.p = p;
        this.n = n;
    }

    /** Unnormalised Student-t kernel (1 + |y_i - y_j|^2)^-1 for all pairs, zero diagonal; returns Z. */
    private double kernel(double[] y, double[] q) {
        int tiles = (n + TILE - 1) / TILE;
        double[] partial = new double[tiles];
        Parallel.forEach(tiles, tile -> {
            double sum = 0;
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                for (int j = 0; j < n; j++) {
                    if (j == i) { q[i * n + j] = 0; continue; }
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double v = 1 / (1 + dx * dx + dy * dy);
                    q[i * n + j] = v;
                    sum += v;
                }
            }
            partial[tile] = sum;
        });
        double z = 0;
        for (double s : partial) z += s; // fixed order: same bits on any thread count
        return z;
    }

    @Override
    public void gradient(double[] y, double exaggeration, double[] grad) {
        double[] q = new double[n * n];
        double z = kernel(y, q);
        int tiles = (n + TILE - 1) / TILE;
        Parallel.forEach(tiles, tile -> {
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                double gx = 0, gy = 0;
                for (int j = 0; j < n; j++) {
                    double kernel = q[i * n + j];
                    double w = (exaggeration * p[i * n + j] - kernel / z) * kernel;
                    gx += w * (y[2 * i] - y[2 * j]);
                    gy += w * (y[2 * i + 1] - y[2 * j + 1]);
                }
                grad[2 * i] = 4 * gx;
                grad[2 * i + 1] = 4 * gy;
            }
        });
    }

    @Override
    public double klDivergence(double[] y) {
        double[] q = new double[n * n];
        double z = kernel(y, q);
        double kl = 0;
        for (int e = 0; e < n * n; e++) {
            if (p[e] > 0) kl += p[e] * Math.log(Math.max(p[e], TINY) / Math.max(q[e] / z, TINY));
        }
        return kl;
    }
}
