package javae.vae.gmm;

import javae.engine.Rng;
import javae.engine.kernels.Parallel;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Ex-post density estimation (Ghosh et al., 2020): instead of the prior N(0, I), sample latent
 * points from a Gaussian mixture fitted by EM to the encoder's posterior means of the training
 * data, the "aggregate posterior" the decoder was actually trained on.
 *
 * <p>EM starts from the best of several seeded k-means++ clusterings (commons-math3) and runs on
 * all the latent means. The EM loop is written here, for the few latent dimensions at hand: it is
 * about a hundred times faster than commons-math3's general-purpose one, and fitting all 10,000
 * means instead of a subsample halved the energy distance in our runs (see {@link GmmExperiment}).
 */
final class AggregatePosterior {
    static final int MAX_EM_ITERATIONS = 500;
    /** EM stops when the mean log-likelihood per point improves by less than this. */
    static final double EM_TOLERANCE = 1e-7;
    static final int KMEANS_RESTARTS = 5;
    static final int KMEANS_ITERATIONS = 100;
    /** Added to the diagonal of every covariance, so a tight cluster still gives an SPD matrix. */
    static final double COVARIANCE_FLOOR = 1e-6;
    /** Points per E-step task: 25,000 density evaluations with 50 components, and 20 tasks for 10,000 points to balance. */
    static final int E_STEP_TILE = 512;
    /** Math.exp is exactly 0 below this (the smallest double, 4.9e-324, is exp(-744.4)) and, being monotone, everywhere below. */
    private static final double EXP_UNDERFLOW = -746;
    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    private final double[] weights;       // [K]
    private final double[][] means;       // [K][Z]
    private final double[][][] cholesky;  // [K][Z][Z] lower-triangular factors of the covariances

    private AggregatePosterior(double[] weights, double[][] means, double[][][] cholesky) {
        this.weights = weights;
        this.means = means;
        this.cholesky = cholesky;
    }

    /** {@code n} latent samples [n][Z] from a {@code components}-Gaussian mixture fitted to {@code latentMeans}. */
    static double[][] sample(double[][] latentMeans, int components, int n, long seed) {
        return fit(latentMeans, components, seed).sample(n, new Rng(seed));
    }

    /**
     * Fits the mixture by EM from a k-means++ start.
     *
     * <p>EM on 10,000 latent means with 50 components never reaches {@link #EM_TOLERANCE}: it keeps
     * gaining (4e-6 per point and iteration at iteration 475 with the defaults and seed 1), so it
     * runs all {@link #MAX_EM_ITERATIONS}, and each iteration must be cheap. The responsibilities are stored component-major, so the
     * M-step streams through them; the E-step runs over tiles of points and the M-step over
     * components in parallel. Every sum keeps its sequential order, so the fit is the same bits
     * on any number of threads.
     */
    static AggregatePosterior fit(double[][] x, int components, long seed) {
        int n = x.length, d = x[0].length;
        // Start: hard responsibilities from k-means++.
        double[][] resp = new double[components][n]; // [K][N] p(c | x_i)
        List<DoublePoint> data = new ArrayList<>();
        for (double[] p : x) data.add(new DoublePoint(p));
        MultiKMeansPlusPlusClusterer<DoublePoint> clusterer = new MultiKMeansPlusPlusClusterer<>(
                new KMeansPlusPlusClusterer<>(components, KMEANS_ITERATIONS, new EuclideanDistance(), new Well19937c(seed)),
                KMEANS_RESTARTS);
        List<CentroidCluster<DoublePoint>> clusters = clusterer.cluster(data);
        IdentityHashMap<DoublePoint, Integer> clusterOf = new IdentityHashMap<>();
        for (int c = 0; c < clusters.size(); c++) for (DoublePoint p : clusters.get(c).getPoints()) clusterOf.put(p, c);
        for (int i = 0; i < n; i++) resp[clusterOf.get(data.get(i))][i] = 1;

        double[] weights = new double[components];
        double[][] means = new double[components][d];
        double[][][] chol = new double[components][][];
        double[] logLikelihoods = new double[n]; // [N] log p(x_i), summed in order after each E-step
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < MAX_EM_ITERATIONS; iteration++) {
            maximise(x, resp, weights, means, chol);
            expect(x, weights, means, chol, resp, logLikelihoods);
            double total = 0;
            for (double logP : logLikelihoods) total += logP;
            double logLikelihood = total / n;
            if (logLikelihood - previous < EM_TOLERANCE) break;
            previous = logLikelihood;
        }
        return new AggregatePosterior(weights, means, chol);
    }

    /** M-step, one component per task: weights, means and (Cholesky factors of) covariances from the responsibilities. */
    private static void maximise(double[][] x, double[][] resp, double[] weights, double[][] means, double[][][] chol) {
        int n = x.length, d = x[0].length, k = weights.length;
        Parallel.forEach(k, c -> {
            double[] r = resp[c]; // [N]
            double total = 0;
            double[] mean = new double[d];
            // Responsibilities that underflowed to exactly 0 (far components) add nothing: skipping them changes no sum.
            for (int i = 0; i < n; i++) {
                if (r[i] == 0) continue;
                total += r[i];
                for (int a = 0; a < d; a++) mean[a] += r[i] * x[i][a];
            }
            total = Math.max(total, 1e-12);
            for (int a = 0; a < d; a++) mean[a] /= total;
            double[][] cov = new double[d][d];
            for (int i = 0; i < n; i++) {
                if (r[i] == 0) continue;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b <= a; b++) cov[a][b] += r[i] * (x[i][a] - mean[a]) * (x[i][b] - mean[b]);
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) cov[a][b] /= total;
                cov[a][a] += COVARIANCE_FLOOR;
            }
            weights[c] = total / n;
            means[c] = mean;
            chol[c] = choleskyLower(cov);
        });
    }

    /** E-step, one tile of points per task: responsibilities p(c | x_i) and log-likelihoods log p(x_i). */
    private static void expect(double[][] x, double[] weights, double[][] means, double[][][] chol, double[][] resp,
                               double[] logLikelihoods) {
        int n = x.length, k = weights.length, d = x[0].length;
        // Per component, once per E-step rather than once per point: log weight and log det L.
        double[] logWeight = new double[k], logDet = new double[k];
        for (int c = 0; c < k; c++) {
            logWeight[c] = Math.log(weights[c]);
            for (int a = 0; a < d; a++) logDet[c] += Math.log(chol[c][a][a]);
        }
        int tiles = (n + E_STEP_TILE - 1) / E_STEP_TILE;
        Parallel.forEach(tiles, tile -> {
            double[] logJoint = new double[k];
            double[] u = new double[d];
            for (int i = tile * E_STEP_TILE, end = Math.min(n, i + E_STEP_TILE); i < end; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    logJoint[c] = logWeight[c] + logNormal(x[i], means[c], chol[c], logDet[c], u);
                    max = Math.max(max, logJoint[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) sum += expOrZero(logJoint[c] - max);
                double logP = max + Math.log(sum);
                for (int c = 0; c < k; c++) resp[c][i] = expOrZero(logJoint[c] - logP);
                logLikelihoods[i] = logP;
            }
        });
    }

    /**
     * Math.exp(t), without calling it where its result underflows to exactly 0 (the same bits):
     * components far from a point cost no exponential.
     */
    private static double expOrZero(double t) {
        return t < EXP_UNDERFLOW ? 0 : Math.exp(t);
    }

    /**
     * log N(x; mean, L L^T) given log det L: solve L u = x - mean (into the scratch {@code u}), then
     * -|u|^2 / 2 - log det L - d/2 log 2 pi.
     */
    private static double logNormal(double[] x, double[] mean, double[][] l, double logDet, double[] u) {
        int d = x.length;
        double quadratic = 0;
        for (int a = 0; a < d; a++) {
            double v = x[a] - mean[a];
            for (int b = 0; b < a; b++) v -= l[a][b] * u[b];
            u[a] = v / l[a][a];
            quadratic += u[a] * u[a];
        }
        return -0.5 * quadratic - logDet - 0.5 * d * LOG_TWO_PI;
    }

    /** The lower-triangular L with L L^T = a (only a's lower triangle is read). */
    private static double[][] choleskyLower(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int m = 0; m < j; m++) sum -= l[i][m] * l[j][m];
                l[i][j] = i == j ? Math.sqrt(Math.max(sum, COVARIANCE_FLOOR)) : sum / l[j][j];
            }
        }
        return l;
    }

    /** {@code n} draws: a component by weight, then mean + L eps. */
    double[][] sample(int n, Rng rng) {
        int d = means[0].length;
        double[][] z = new double[n][d];
        double[] eps = new double[d];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            int c = 0;
            while (c < weights.length - 1 && (u -= weights[c]) >= 0) c++;
            for (int a = 0; a < d; a++) eps[a] = rng.nextGaussian();
            for (int a = 0; a < d; a++) {
                double v = means[c][a];
                for (int b = 0; b <= a; b++) v += cholesky[c][a][b] * eps[b];
                z[i][a] = v;
            }
        }
        return z;
    }
}
