package javae.vae.gmm;

import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.distribution.MultivariateNormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * The "true" distribution the mixture VAE learns: a seeded random mixture of Gaussians, held as
 * commons-math3's {@link MixtureMultivariateNormalDistribution}. Its means are drawn uniformly in a
 * cube and rejected until every pair is at least {@link #MIN_SEPARATION} apart; each covariance is
 * a random rotation of random variances in [{@link #MIN_VARIANCE}, {@link #MAX_VARIANCE}] (so it is
 * symmetric positive definite); the weights are unequal, proportional to 1 + 2u with u uniform.
 * With these constants the components are several standard deviations apart: every mode is a
 * distinct cluster.
 */
public final class GaussianMixture {
    /** Half-width of the cube the means are drawn from. */
    static final double MEAN_RANGE = 10;
    /** Smallest distance between two means: about 5 standard deviations of the widest component. */
    static final double MIN_SEPARATION = 4;
    static final double MIN_VARIANCE = 0.05;
    static final double MAX_VARIANCE = 0.6;

    private final MixtureMultivariateNormalDistribution distribution;
    private final double[] weights;
    private final double[][] means;
    private final double[][][] precisions;   // [K][D][D] inverse covariances
    private final double[] logNormalisers;   // [K] log of 1 / sqrt((2 pi)^D det C)

    /** The mixture with these weights, means and covariances (the weights are normalised). */
    public GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {
        int k = weights.length;
        if (k == 0 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("mixture: " + k + " weights, " + means.length + " means and "
                    + covariances.length + " covariances must agree and be non-empty");
        }
        List<Pair<Double, MultivariateNormalDistribution>> parts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            parts.add(new Pair<>(weights[c], new MultivariateNormalDistribution(new Well19937c(c), means[c], covariances[c])));
        }
        this.distribution = new MixtureMultivariateNormalDistribution(new Well19937c(0), parts);
        List<Pair<Double, MultivariateNormalDistribution>> components = distribution.getComponents();
        this.weights = new double[k];
        this.means = new double[k][];
        this.precisions = new double[k][][];
        this.logNormalisers = new double[k];
        int d = means[0].length;
        for (int c = 0; c < k; c++) {
            this.weights[c] = components.get(c).getFirst();
            this.means[c] = means[c].clone();
            RealMatrix covariance = new Array2DRowRealMatrix(covariances[c]);
            CholeskyDecomposition cholesky = new CholeskyDecomposition(covariance);
            this.precisions[c] = cholesky.getSolver().getInverse().getData();
            this.logNormalisers[c] = -0.5 * (d * Math.log(2 * Math.PI) + Math.log(cholesky.getDeterminant()));
        }
    }

    /** A random mixture of {@code components} Gaussians in {@code dim} dimensions, as described above. */
    public static GaussianMixture random(int components, int dim, long seed) {
        if (components < 1) throw new IllegalArgumentException("mixture: components must be at least 1, got " + components);
        if (dim < 1) throw new IllegalArgumentException("mixture: dimension must be at least 1, got " + dim);
        Well19937c random = new Well19937c(seed);
        double[][] means = new double[components][dim];
        for (int c = 0; c < components; c++) {
            int attempts = 0;
            do {
                if (++attempts > 10_000) {
                    throw new IllegalArgumentException("mixture: cannot place " + components + " means " + MIN_SEPARATION
                            + " apart in " + dim + " dimensions");
                }
                for (int a = 0; a < dim; a++) means[c][a] = MEAN_RANGE * (2 * random.nextDouble() - 1);
            } while (tooClose(means, c));
        }
        double[][][] covariances = new double[components][][];
        for (int c = 0; c < components; c++) covariances[c] = randomCovariance(dim, random);
        double[] weights = new double[components];
        for (int c = 0; c < components; c++) weights[c] = 1 + 2 * random.nextDouble();
        return new GaussianMixture(weights, means, covariances);
    }

    private static boolean tooClose(double[][] means, int last) {
        for (int c = 0; c < last; c++) {
            double sq = 0;
            for (int a = 0; a < means[c].length; a++) sq += (means[c][a] - means[last][a]) * (means[c][a] - means[last][a]);
            if (sq < MIN_SEPARATION * MIN_SEPARATION) return true;
        }
        return false;
    }

    /** Q diag(v) Q^T with Q a random rotation (Gram-Schmidt of Gaussian columns) and v random variances. */
    private static double[][] randomCovariance(int dim, Well19937c random) {
        double[][] q = new double[dim][dim]; // q[j] is the j-th orthonormal column
        for (int j = 0; j < dim; j++) {
            for (int a = 0; a < dim; a++) q[j][a] = random.nextGaussian();
            for (int i = 0; i < j; i++) {
                double dot = 0;
                for (int a = 0; a < dim; a++) dot += q[j][a] * q[i][a];
                for (int a = 0; a < dim; a++) q[j][a] -= dot * q[i][a];
            }
            double norm = 0;
            for (int a = 0; a < dim; a++) norm += q[j][a] * q[j][a];
            norm = Math.sqrt(norm);
            for (int a = 0; a < dim; a++) q[j][a] /= norm;
        }
        double[] variances = new double[dim];
        for (int j = 0; j < dim; j++) variances[j] = MIN_VARIANCE + (MAX_VARIANCE - MIN_VARIANCE) * random.nextDouble();
        double[][] covariance = new double[dim][dim];
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                double sum = 0;
                for (int j = 0; j < dim; j++) sum += q[j][a] * variances[j] * q[j][b];
                covariance[a][b] = sum;
            }
        }
        for (int a = 0; a < dim; a++) for (int b = 0; b < a; b++) covariance[a][b] = covariance[b][a]; // exact symmetry
        return covariance;
    }

    /** Samples and the component each was drawn from. */
    public record Sample(double[][] points, int[] components) {}

    /**
     * {@code n} independent samples, each from a component chosen by weight and then drawn by that
     * component's commons-math3 distribution, all from a generator seeded with {@code seed}.
     */
    public Sample sample(int n, long seed) {
        Well19937c random = new Well19937c(seed);
        List<Pair<Double, MultivariateNormalDistribution>> components = distribution.getComponents();
        for (int c = 0; c < components.size(); c++) components.get(c).getSecond().reseedRandomGenerator(random.nextLong());
        double[][] points = new double[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int c = 0;
            while (c < weights.length - 1 && (u -= weights[c]) >= 0) c++;
            labels[i] = c;
            points[i] = components.get(c).getSecond().sample();
        }
        return new Sample(points, labels);
    }

    /** The density at {@code x}, from commons-math3 (underflows to 0 far from every mean; see {@link #logDensity}). */
    public double density(double[] x) {
        checkDimension(x);
        return distribution.density(x);
    }

    /** log p(x), by log-sum-exp over the components, finite however far {@code x} is. */
    public double logDensity(double[] x) {
        double[] logJoint = logJoint(x);
        return logSumExp(logJoint);
    }

    /** The posterior probability of each component given {@code x}: p(c | x). */
    public double[] responsibilities(double[] x) {
        double[] logJoint = logJoint(x);
        double total = logSumExp(logJoint);
        for (int c = 0; c < logJoint.length; c++) logJoint[c] = Math.exp(logJoint[c] - total);
        return logJoint;
    }

    /** The component with the highest responsibility for {@code x}. */
    public int mostLikelyComponent(double[] x) {
        double[] logJoint = logJoint(x);
        int best = 0;
        for (int c = 1; c < logJoint.length; c++) if (logJoint[c] > logJoint[best]) best = c;
        return best;
    }

    /** log(w_c N(x; mu_c, C_c)) for every component c. */
    private double[] logJoint(double[] x) {
        checkDimension(x);
        int d = x.length;
        double[] out = new double[weights.length];
        double[] diff = new double[d];
        for (int c = 0; c < weights.length; c++) {
            for (int a = 0; a < d; a++) diff[a] = x[a] - means[c][a];
            double mahalanobis = 0;
            for (int a = 0; a < d; a++) {
                double row = 0;
                for (int b = 0; b < d; b++) row += precisions[c][a][b] * diff[b];
                mahalanobis += diff[a] * row;
            }
            out[c] = Math.log(weights[c]) + logNormalisers[c] - 0.5 * mahalanobis;
        }
        return out;
    }

    private static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) max = Math.max(max, v);
        double sum = 0;
        for (double v : values) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }

    private void checkDimension(double[] x) {
        if (x.length != dimension()) {
            throw new IllegalArgumentException("mixture: point of dimension " + x.length + ", the mixture has dimension " + dimension());
        }
    }

    public int components() { return weights.length; }
    public int dimension() { return means[0].length; }
    /** The normalised weight of component c. */
    public double weight(int c) { return weights[c]; }
    /** A copy of the mean of component c. */
    public double[] mean(int c) { return means[c].clone(); }
}
