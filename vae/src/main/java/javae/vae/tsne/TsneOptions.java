package javae.vae.tsne;

import java.util.function.IntConsumer;

/**
 * The settings of one t-SNE run. The defaults are van der Maaten's and scikit-learn's:
 * perplexity 30, 1000 iterations of which the first 250 use early exaggeration 12 and momentum 0.5
 * (then 0.8), learning rate max(N / exaggeration / 4, 50), Barnes-Hut with theta 0.5.
 * Instances are immutable; each {@code withX} returns a changed copy.
 */
public final class TsneOptions {
    /** How the gradient is computed. */
    public enum Method {
        /** All N^2 pairs: exact, for small N (a few thousand points at most). */
        EXACT,
        /** Affinities on the 3*perplexity nearest neighbours, repulsion through a quadtree (theta). */
        BARNES_HUT,
        /**
         * Affinities as {@link #BARNES_HUT}, repulsion by FFT-accelerated interpolation on a grid
         * (FIt-SNE). Its cost is dominated by the grid, which grows with the embedding's extent, not
         * with N: on 10,000 points it measured 6 to 25 times slower than {@link #BARNES_HUT} here
         * (bench/README.md), so it pays only for far larger N.
         */
        FFT,
        /** {@link #EXACT} up to {@link #EXACT_LIMIT} points, {@link #BARNES_HUT} above (the faster, measured). */
        AUTO
    }

    /** Where the embedding starts. */
    public enum Init {
        /** The first two principal components, scaled so the first has standard deviation 1e-4 (deterministic). */
        PCA,
        /** Independent normals of standard deviation 1e-4 drawn from the seed. */
        RANDOM
    }

    /** Largest number of points {@link Method#AUTO} computes exactly. */
    public static final int EXACT_LIMIT = 1000;

    private final double perplexity;
    private final int iterations;
    private final double theta;
    private final long seed;
    private final Method method;
    private final double earlyExaggeration;
    private final int exaggerationIterations;
    private final double learningRate;
    private final IntConsumer progress;
    private final Init init;

    private TsneOptions(double perplexity, int iterations, double theta, long seed, Method method,
                        double earlyExaggeration, int exaggerationIterations, double learningRate,
                        IntConsumer progress, Init init) {
        this.perplexity = perplexity;
        this.iterations = iterations;
        this.theta = theta;
        this.seed = seed;
        this.method = method;
        this.earlyExaggeration = earlyExaggeration;
        this.exaggerationIterations = exaggerationIterations;
        this.learningRate = learningRate;
        this.progress = progress;
        this.init = init;
    }

    /** The defaults described above, seed 0. */
    public static TsneOptions defaults() {
        return new TsneOptions(30, 1000, 0.5, 0, Method.AUTO, 12, 250, Double.NaN, i -> {}, Init.PCA);
    }

    /** Effective number of neighbours each point's Gaussian is calibrated to (default 30). */
    public TsneOptions withPerplexity(double value) {
        if (!(value > 0)) throw new IllegalArgumentException("t-SNE perplexity must be positive, got " + value);
        return new TsneOptions(value, iterations, theta, seed, method, earlyExaggeration, exaggerationIterations, learningRate, progress, init);
    }

    /** Total gradient-descent iterations, early exaggeration included (default 1000). */
    public TsneOptions withIterations(int value) {
        if (value < 1) throw new IllegalArgumentException("t-SNE iterations must be at least 1, got " + value);
        return new TsneOptions(perplexity, value, theta, seed, method, earlyExaggeration, exaggerationIterations, learningRate, progress, init);
    }

    /** Barnes-Hut accuracy: a cell is summarised when its width / distance is below theta (default 0.5; 0 is exact). */
    public TsneOptions withTheta(double value) {
        if (!(value >= 0)) throw new IllegalArgumentException("t-SNE theta must be >= 0, got " + value);
        return new TsneOptions(perplexity, iterations, value, seed, method, earlyExaggeration, exaggerationIterations, learningRate, progress, init);
    }

    /** Seed of the {@link Init#RANDOM} initialisation (PCA needs none). */
    public TsneOptions withSeed(long value) {
        return new TsneOptions(perplexity, iterations, theta, value, method, earlyExaggeration, exaggerationIterations, learningRate, progress, init);
    }

    /** Exact, Barnes-Hut, or chosen by size (default). */
    public TsneOptions withMethod(Method value) {
        return new TsneOptions(perplexity, iterations, theta, seed, value, earlyExaggeration, exaggerationIterations, learningRate, progress, init);
    }

    /** Factor on P during the first {@code iterations} iterations (default 12 for 250). */
    public TsneOptions withEarlyExaggeration(double factor, int iterations) {
        if (!(factor >= 1)) throw new IllegalArgumentException("t-SNE early exaggeration must be >= 1, got " + factor);
        if (iterations < 0) throw new IllegalArgumentException("t-SNE exaggeration iterations must be >= 0, got " + iterations);
        return new TsneOptions(perplexity, this.iterations, theta, seed, method, factor, iterations, learningRate, progress, init);
    }

    /** A fixed learning rate; NaN (default) means max(N / exaggeration / 4, 50). */
    public TsneOptions withLearningRate(double value) {
        if (!(value > 0) && !Double.isNaN(value)) throw new IllegalArgumentException("t-SNE learning rate must be positive, got " + value);
        return new TsneOptions(perplexity, iterations, theta, seed, method, earlyExaggeration, exaggerationIterations, value, progress, init);
    }

    /** PCA (default) or seeded random initial embedding. */
    public TsneOptions withInit(Init value) {
        return new TsneOptions(perplexity, iterations, theta, seed, method, earlyExaggeration, exaggerationIterations, learningRate, progress, value);
    }

    /** Called with the number of finished iterations after each one (for a progress bar). */
    public TsneOptions withProgress(IntConsumer value) {
        return new TsneOptions(perplexity, iterations, theta, seed, method, earlyExaggeration, exaggerationIterations, learningRate, value, init);
    }

    public double perplexity() { return perplexity; }
    public int iterations() { return iterations; }
    public double theta() { return theta; }
    public long seed() { return seed; }
    public Method method() { return method; }
    public double earlyExaggeration() { return earlyExaggeration; }
    public int exaggerationIterations() { return exaggerationIterations; }
    public IntConsumer progress() { return progress; }
    public Init init() { return init; }

    /** The learning rate for {@code n} points: the fixed one, or max(n / exaggeration / 4, 50). */
    public double learningRate(int n) {
        return Double.isNaN(learningRate) ? Math.max(n / earlyExaggeration / 4, 50) : learningRate;
    }

    /** Neighbours per point for Barnes-Hut's sparse affinities: 3 * perplexity + 1, at most n - 1. */
    public int neighbours(int n) {
        return Math.min(n - 1, (int) (3 * perplexity + 1));
    }
}
