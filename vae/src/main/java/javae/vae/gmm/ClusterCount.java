package javae.vae.gmm;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Counts the clusters of a 2-D embedding without being told how many there are: DBSCAN (Ester et
 * al., 1996) with its radius chosen from the data. A point is a core point when at least
 * {@link #MIN_POINTS} others lie within eps; clusters are the connected groups of core points.
 * eps is {@link #EPS_FACTOR} times the median distance from a point to its MIN_POINTS-th nearest
 * neighbour: wide enough to join the inside of any cluster (where that distance is typical),
 * narrow next to the gaps t-SNE leaves between clusters. Clusters of fewer than
 * {@link #MIN_CLUSTER_FRACTION} of the points (stray groups of outliers) are not counted.
 */
public final class ClusterCount {
    static final int MIN_POINTS = 10;
    static final double EPS_FACTOR = 3;
    static final double MIN_CLUSTER_FRACTION = 0.01;

    private ClusterCount() {}

    /** The number of clusters in {@code points} [N][2] (any dimension works; O(N^2) time, O(N) memory). */
    public static int count(double[][] points) {
        int n = points.length;
        if (n <= MIN_POINTS) throw new IllegalArgumentException("cluster count: needs more than " + MIN_POINTS + " points, got " + n);
        double[] kthNeighbour = new double[n];
        double[] sorted = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) sorted[j] = distance(points[i], points[j]);
            Arrays.sort(sorted);
            kthNeighbour[i] = sorted[MIN_POINTS]; // sorted[0] is the point itself
        }
        double[] sortedKth = kthNeighbour.clone();
        Arrays.sort(sortedKth);
        double eps = EPS_FACTOR * sortedKth[n / 2];

        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) {
            int within = 0;
            for (int j = 0; j < n; j++) if (j != i && distance(points[i], points[j]) <= eps) within++;
            core[i] = within >= MIN_POINTS;
        }
        // Grow a cluster from each unvisited core point through the core points within eps.
        int[] cluster = new int[n];
        Arrays.fill(cluster, -1);
        int clusters = 0;
        int minSize = (int) Math.ceil(MIN_CLUSTER_FRACTION * n);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int seed = 0; seed < n; seed++) {
            if (!core[seed] || cluster[seed] >= 0) continue;
            int id = seed;
            int size = 0;
            cluster[seed] = id;
            queue.add(seed);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                size++;
                for (int j = 0; j < n; j++) {
                    if (core[j] && cluster[j] < 0 && distance(points[i], points[j]) <= eps) {
                        cluster[j] = id;
                        queue.add(j);
                    }
                }
            }
            if (size >= minSize) clusters++;
        }
        return clusters;
    }

    private static double distance(double[] a, double[] b) {
        double sq = 0;
        for (int c = 0; c < a.length; c++) sq += (a[c] - b[c]) * (a[c] - b[c]);
        return Math.sqrt(sq);
    }
}
