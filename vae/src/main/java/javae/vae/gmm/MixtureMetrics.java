package javae.vae.gmm;

import javae.engine.kernels.Parallel;

/**
 * How well generated samples match a known mixture: mode coverage, energy distance, likelihood
 * under the true mixture, and the number of latent dimensions the encoder actually uses.
 */
public final class MixtureMetrics {
    /** A latent dimension is active when its posterior mean varies more than this across the data (Burda et al., 2016). */
    public static final double ACTIVE_UNIT_VARIANCE = 0.01;
    /** A component is covered when it receives at least this fraction of its expected share. */
    public static final double COVERAGE_FRACTION = 0.5;
    private static final int TILE = 64;

    private MixtureMetrics() {}

    /** How many of {@code samples} fall to each component, by highest responsibility under the true mixture. */
    public static int[] componentCounts(GaussianMixture mixture, double[][] samples) {
        int[] counts = new int[mixture.components()];
        for (double[] x : samples) counts[mixture.mostLikelyComponent(x)]++;
        return counts;
    }

    /**
     * The number of components that receive at least half of their expected share
     * (weight * number of samples) of {@code generated}, samples assigned by highest responsibility.
     */
    public static int modesCovered(GaussianMixture mixture, double[][] generated) {
        int[] counts = componentCounts(mixture, generated);
        int covered = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] >= COVERAGE_FRACTION * mixture.weight(c) * generated.length) covered++;
        }
        return covered;
    }

    /**
     * The energy distance (Szekely and Rizzo) between the samples {@code a} and {@code b}:
     * 2 E|X - Y| - E|X - X'| - E|Y - Y'| with Euclidean norms, each expectation the mean over all
     * ordered pairs (i = j included, a V-statistic, so the result is never negative). It is zero
     * exactly when the two empirical distributions coincide. O(n^2), parallel over fixed tiles.
     */
    public static double energyDistance(double[][] a, double[][] b) {
        if (a.length == 0 || b.length == 0) throw new IllegalArgumentException("energy distance: empty sample");
        if (a[0].length != b[0].length) {
            throw new IllegalArgumentException("energy distance: dimension " + a[0].length + " vs " + b[0].length);
        }
        return 2 * meanDistance(a, b) - meanDistance(a, a) - meanDistance(b, b);
    }

    /**
     * The mean of {@link #energyDistance}(a[r], b[r]) over the pairs r: the expected energy
     * distance between samples of this size, estimated from independent draws. One draw is a noisy
     * estimate when the distribution has far-apart modes: the numbers of points each mode receives
     * fluctuate from draw to draw, and that alone moves the energy distance by a factor of ten.
     */
    public static double meanEnergyDistance(double[][][] a, double[][][] b) {
        if (a.length == 0 || a.length != b.length) {
            throw new IllegalArgumentException("energy distance: " + a.length + " vs " + b.length + " samples, need equally many, at least one");
        }
        double sum = 0;
        for (int r = 0; r < a.length; r++) sum += energyDistance(a[r], b[r]);
        return sum / a.length;
    }

    /** The mean Euclidean distance over all pairs (a_i, b_j). */
    static double meanDistance(double[][] a, double[][] b) {
        int tiles = (a.length + TILE - 1) / TILE;
        double[] partial = new double[tiles];
        Parallel.forEach(tiles, tile -> {
            double sum = 0;
            for (int i = tile * TILE; i < Math.min(a.length, (tile + 1) * TILE); i++) {
                for (double[] y : b) {
                    double sq = 0;
                    for (int c = 0; c < y.length; c++) sq += (a[i][c] - y[c]) * (a[i][c] - y[c]);
                    sum += Math.sqrt(sq);
                }
            }
            partial[tile] = sum;
        });
        double total = 0;
        for (double p : partial) total += p;
        return total / ((double) a.length * b.length);
    }

    /** The mean of log p(x) under the true mixture. */
    public static double meanLogLikelihood(GaussianMixture mixture, double[][] samples) {
        double sum = 0;
        for (double[] x : samples) sum += mixture.logDensity(x);
        return sum / samples.length;
    }

    /** The number of latent dimensions whose posterior mean has variance above 0.01 over {@code latentMeans} [N][Z]. */
    public static int activeUnits(double[][] latentMeans) {
        int z = latentMeans[0].length;
        int active = 0;
        for (int c = 0; c < z; c++) {
            double mean = 0;
            for (double[] m : latentMeans) mean += m[c];
            mean /= latentMeans.length;
            double variance = 0;
            for (double[] m : latentMeans) variance += (m[c] - mean) * (m[c] - mean);
            if (variance / latentMeans.length > ACTIVE_UNIT_VARIANCE) active++;
        }
        return active;
    }
}
