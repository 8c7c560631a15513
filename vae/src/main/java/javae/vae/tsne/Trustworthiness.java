package javae.vae.tsne;

import javae.engine.kernels.Parallel;

/**
 * How well an embedding keeps neighbourhoods (Venna and Kaski, 2001), as scikit-learn's
 * {@code sklearn.manifold.trustworthiness}:
 * T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k(i)} max(0, r(i, j) - k),
 * where N_k(i) are i's k nearest neighbours in the embedding and r(i, j) is j's rank among i's
 * neighbours in the input space (1 = nearest). 1 means no embedded neighbour is an intruder.
 */
public final class Trustworthiness {
    private Trustworthiness() {}

    /**
     * T(k) of {@code embedding} [N][E] for {@code points} [N][D].
     *
     * @throws IllegalArgumentException when the row counts differ, rows are ragged, or k >= n / 2
     */
    public static double compute(double[][] points, double[][] embedding, int k) {
        int n = points.length;
        if (embedding.length != n) {
            throw new IllegalArgumentException("trustworthiness: " + n + " points but " + embedding.length + " embedded rows");
        }
        if (k < 1 || k >= n / 2.0) {
            throw new IllegalArgumentException("trustworthiness: k must be in [1, n/2), got k = " + k + " for n = " + n);
        }
        int d = width(points, "points");
        int e = width(embedding, "embedding");
        double[] x = flatten(points, d);
        double[] y = flatten(embedding, e);
        int[] embeddedNeighbours = PairwiseDistances.nearest(y, n, e, k, new double[n * k]);

        PairwiseDistances distances = new PairwiseDistances(x, n, d);
        double[] penalty = new double[distances.blocks()];
        Parallel.forEach(distances.blocks(), block -> {
            int start = distances.blockStart(block);
            int rows = distances.blockRows(block);
            PairwiseDistances.Block distance = distances.block(start, rows);
            float[] neighbourDist = new float[k];
            int[] rank = new int[k];
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                int i = start + r;
                float farthest = 0;
                for (int m = 0; m < k; m++) {
                    neighbourDist[m] = distance.distance(r, embeddedNeighbours[i * k + m]);
                    farthest = Math.max(farthest, neighbourDist[m]);
                    rank[m] = 1;
                }
                // rank = 1 + points strictly closer to i than j (i itself excluded). Only points
                // closer than the farthest of the k count, and in a good embedding they are few:
                // one pass over the row finds them, then each is checked against the k distances.
                for (int l = 0; l < n; l++) {
                    l = distance.skipAtLeast(r, l, farthest);
                    if (l == n) break;
                    float dl = distance.distance(r, l);
                    if (dl >= farthest || l == i) continue;
                    for (int m = 0; m < k; m++) if (dl < neighbourDist[m]) rank[m]++;
                }
                for (int m = 0; m < k; m++) sum += Math.max(0, rank[m] - k);
            }
            penalty[block] = sum;
        });
        double total = 0;
        for (double p : penalty) total += p;
        return 1 - 2.0 / (n * (double) k * (2.0 * n - 3.0 * k - 1.0)) * total;
    }

    private static int width(double[][] rows, String name) {
        int width = rows[0].length;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("trustworthiness: " + name + " row " + i + " has " + rows[i].length + " values, row 0 has " + width);
            }
        }
        return width;
    }

    private static double[] flatten(double[][] rows, int width) {
        double[] flat = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * width, width);
        return flat;
    }
}
