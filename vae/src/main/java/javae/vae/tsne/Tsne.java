package javae.vae.tsne;

import javae.engine.Rng;

import java.util.Arrays;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten and Hinton, 2008) of points into 2-D,
 * exact, Barnes-Hut (van der Maaten, 2014) or by FFT-accelerated interpolation (Linderman et al.,
 * 2019), following the reference implementation and scikit-learn: perplexity-calibrated Gaussian
 * affinities, Student-t similarities in the embedding, gradient descent with momentum,
 * per-coordinate gains and early exaggeration.
 *
 * <pre>{@code
 * TsneResult r = Tsne.run(points, TsneOptions.defaults().withPerplexity(30));
 * double[][] xy = r.embedding();
 * }</pre>
 *
 * Work is split over fixed tiles of points, so a given input and options give the same bits on
 * any number of threads.
 */
public final class Tsne {
    private static final double INITIAL_MOMENTUM = 0.5;
    private static final double FINAL_MOMENTUM = 0.8;
    private static final double GAIN_INCREASE = 0.2;
    private static final double GAIN_DECAY = 0.8;
    private static final double MIN_GAIN = 0.01;

    private Tsne() {}

    /**
     * Embeds {@code points} [N][D] in 2-D.
     *
     * @throws IllegalArgumentException when the rows are ragged or empty, a value is not finite,
     *         or there are fewer than 3 * perplexity + 1 points
     */
    public static TsneResult run(double[][] points, TsneOptions options) {
        long start = System.nanoTime();
        int n = points.length;
        int d = checkPoints(points, options.perplexity());
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(points[i], 0, x, i * d, d);

        TsneOptions.Method method = options.method();
        if (method == TsneOptions.Method.AUTO) {
            method = n <= TsneOptions.EXACT_LIMIT ? TsneOptions.Method.EXACT : TsneOptions.Method.BARNES_HUT;
        }
        Objective objective;
        double[] y;
        if (method == TsneOptions.Method.EXACT) {
            objective = new ExactObjective(Affinities.dense(x, n, d, options.perplexity()), n);
            y = initialEmbedding(x, n, d, options);
        } else {
            Affinities.NeighbourRows rows = Affinities.neighbourRows(x, n, d, options.neighbours(n), options.perplexity());
            // What is left before the first gradient runs on this thread alone; a spare thread
            // meanwhile has the JIT compiler compile Barnes-Hut's force kernels.
            boolean barnesHut = method == TsneOptions.Method.BARNES_HUT;
            try (ForceKernelWarmUp warmUp = barnesHut ? ForceKernelWarmUp.start() : null) {
                Affinities.SparseMatrix p = rows.symmetrised();
                objective = barnesHut ? new BarnesHutObjective(p, n, options.theta()) : new FftObjective(p, n);
                y = initialEmbedding(x, n, d, options);
            }
        }
        descend(objective, y, n, options);
        double kl = objective.klDivergence(y);

        double[][] embedding = new double[n][];
        for (int i = 0; i < n; i++) embedding[i] = new double[] {y[2 * i], y[2 * i + 1]};
        return new TsneResult(embedding, kl, method, (System.nanoTime() - start) / 1e9);
    }

    private static double[] initialEmbedding(double[] x, int n, int d, TsneOptions options) {
        return options.init() == TsneOptions.Init.PCA && d >= 2 ? PcaInit.embed(x, n, d) : randomInit(n, options.seed());
    }

    /**
     * Checks that {@link #run} can embed {@code points} at this perplexity and returns their
     * dimension; a caller may check before it starts a progress display.
     *
     * @throws IllegalArgumentException as {@link #run} would
     */
    public static int checkPoints(double[][] points, double perplexity) {
        int n = points.length;
        int needed = (int) Math.ceil(3 * perplexity + 1);
        if (n < needed) {
            throw new IllegalArgumentException("t-SNE needs at least 3 * perplexity + 1 = " + needed
                    + " points for perplexity " + perplexity + ", got " + n);
        }
        int d = points[0].length;
        if (d == 0) throw new IllegalArgumentException("t-SNE input rows are empty");
        for (int i = 0; i < n; i++) {
            if (points[i].length != d) {
                throw new IllegalArgumentException("t-SNE input row " + i + " has " + points[i].length
                        + " values, row 0 has " + d);
            }
            for (int c = 0; c < d; c++) {
                if (!Double.isFinite(points[i][c])) {
                    throw new IllegalArgumentException("t-SNE input row " + i + ", column " + c + " is " + points[i][c]);
                }
            }
        }
        return d;
    }

    /** Independent normals of standard deviation 1e-4, [N, 2]. */
    private static double[] randomInit(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] y = new double[2 * n];
        for (int e = 0; e < y.length; e++) y[e] = PcaInit.SCALE * rng.nextGaussian();
        return y;
    }

    /**
     * Gradient descent in two stages, as scikit-learn: first with P exaggerated and momentum 0.5,
     * then plain with momentum 0.8; each stage starts with zero velocity and unit gains. A gain grows
     * by 0.2 while its coordinate keeps moving the same way and shrinks by a factor 0.8 when
     * the gradient turns against the motion (Jacobs, 1988); gains never fall below 0.01.
     */
    static void descend(Objective objective, double[] y, int n, TsneOptions options) {
        double learningRate = options.learningRate(n);
        double[] grad = new double[2 * n];
        double[] velocity = new double[2 * n];
        double[] gains = new double[2 * n];
        int exaggerated = Math.min(options.exaggerationIterations(), options.iterations());
        for (int iteration = 0; iteration < options.iterations(); iteration++) {
            boolean early = iteration < exaggerated;
            if (iteration == 0 || iteration == exaggerated) {
                Arrays.fill(velocity, 0);
                Arrays.fill(gains, 1);
            }
            double momentum = early ? INITIAL_MOMENTUM : FINAL_MOMENTUM;
            objective.gradient(y, early ? options.earlyExaggeration() : 1, grad);
            for (int e = 0; e < y.length; e++) {
                // velocity opposite to the gradient: still descending the same way, so speed up
                boolean steady = velocity[e] * grad[e] < 0;
                gains[e] = Math.max(MIN_GAIN, steady ? gains[e] + GAIN_INCREASE : gains[e] * GAIN_DECAY);
                velocity[e] = momentum * velocity[e] - learningRate * gains[e] * grad[e];
                y[e] += velocity[e];
            }
            options.progress().accept(iteration + 1);
        }
    }
}
