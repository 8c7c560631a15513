package javae.vae.gmm;

import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.optim.Adam;
import javae.vae.report.AtomicFiles;
import javae.vae.tsne.Tsne;
import javae.vae.tsne.TsneOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The mixture experiment end to end: draw a random {@link GaussianMixture}, train a {@link GmmVae}
 * on samples of it, generate, and measure how well the samples match the mixture
 * ({@link GmmMetrics}); write {@code metrics.json} and the figures into an output directory.
 *
 * <p>The data are standardised per dimension (zero mean, unit variance) for training and generated
 * samples are mapped back, so the network sees inputs of order 1 whatever the mixture's scale.
 *
 * <p>How the defaults were chosen (10 components in 3-D, 10,000 training and 2,000 evaluation
 * samples, seed 1; every run covered 10/10 modes and gave 10 t-SNE clusters, so the energy
 * distance and the log-likelihood of generated samples decided; log p of real samples is -4.60).
 * These are single draws of the energy distance (one generated and one real sample), against a
 * single-draw floor of 0.0049, measured with the Vector API's own exp/log/tanh:
 * <pre>
 *   hidden  latent epochs decoder variance  sampling                  energy distance  log p(gen)  active
 *   128x128   3     10    learned           prior                          0.242         -45.2       3
 *   64x64     3     30    learned           prior                          0.078         -15.4       2
 *   64x64     3     30    learned           ex-post, 10 Gaussians          0.025          -7.7       2
 *   64x64     3     60    learned           ex-post, 10                    0.022          -5.9       2
 *   64x64     2     60    learned           ex-post, 10                    0.018          -5.8       2
 *   64x64     3     60    fixed 0.001       ex-post, 10                    0.012          -4.58      3
 *   64x64     3     60    fixed 0.0003      ex-post, 10                    0.0097         -4.59      3
 *   64x64     3     60    fixed 0.0003      ex-post, 10, EM on 2,000       0.029-0.046    -8.5/-9.1  3
 *   64x64     3     60    fixed 0.001       ex-post, 10 (k-means start)    0.013          -5.22      3
 *   64x64     3     60    fixed 0.0003      ex-post, 10 (k-means start)    0.018          -5.32      3
 *   64x64     3     60    fixed 0.001       ex-post, 30 (k-means start)    0.020          -4.57      3
 *   64x64     3     60    fixed 0.0003      ex-post, 30 (k-means start)    0.012          -4.62      3
 *   64x64     3    100    fixed 0.0003      ex-post, 30 (k-means start)    0.017          -4.61      3
 *   64x64     3     60    fixed 0.0003      ex-post, 50 (k-means start)    0.0061         -4.615     3
 * </pre>
 * Sampling the prior leaves mass in the gaps between the modes, the "bridges" that cost the most;
 * a mixture fitted to the aggregate posterior (ex-post) removes them. A learned decoder variance
 * settles at a compromise across components and lets one latent dimension collapse (2 active
 * units), so the within-component shape comes from isotropic decoder noise; a small fixed variance
 * (in standardised units) makes the latent code carry all three directions of variation, and the
 * fitted latent mixture then reproduces each component's shape. Several latent Gaussians per mode
 * (five: 50 for 10 modes) bring the log-likelihood of generated samples to that of real ones.
 * Training 60 epochs matters more than width. The KL warm-up over 10 epochs lets the encoder
 * spread the components apart before the prior pulls them together.
 *
 * <p>Why single draws sat on a knife edge (after the kernels moved to {@code VectorMath}, the last
 * row gave 0.0183, 3.8x its floor, though nothing but the last bits of exp/log/tanh had changed):
 * with ten far-apart modes, the energy distance between two samples of 2,000 points is dominated
 * by how many points each mode happens to receive, and that fluctuates from draw to draw. Between
 * two independent real samples (a perfect sampler) it ranged 0.0048-0.037 over 20 pairs for seed
 * 1's mixture (median 0.0086) and 0.0026-0.056 over the mixtures of seeds 1-5; in 20-24% of the
 * pairs of such draws one was more than twice the other. Seed 1's floor of 0.0049 was a lucky draw
 * near the smallest, and the 0.0061 and 0.0183 above both lie inside the spread of a perfect
 * sampler. So the energy distance and its floor are now each the mean over
 * {@link #ENERGY_DISTANCE_DRAWS} = 16 independent pairs of 2,000-point samples (generated and real,
 * and real and real); means of 8 still ranged by a factor of 2.0-2.5 within each of the mixtures of
 * seeds 1-5, and 16 halve the variance again. Modes covered and log p of generated samples count
 * all 16 generated samples.
 * With the defaults (the last row above) and 16 draws, ten seeds give:
 * <pre>
 *   seed  energy distance  floor    ratio  modes  t-SNE clusters  log p(gen)  log p(real)
 *    1       0.0145        0.0115   1.26   10/10       10           -4.57       -4.60
 *    2       0.0131        0.0086   1.53   10/10       10           -4.75       -4.71
 *    3       0.0149        0.0097   1.53   10/10       10           -4.58       -4.58
 *    4       0.0153        0.0185   0.83   10/10       10           -4.99       -4.99
 *    5       0.0134        0.0129   1.04   10/10       10           -4.31       -4.37
 *    6       0.0151        0.0119   1.27   10/10       10           -4.84       -4.84
 *    7       0.0166        0.0151   1.10   10/10       10           -4.53       -4.56
 *    8       0.0150        0.0095   1.58   10/10       10           -4.65       -4.67
 *    9       0.0161        0.0159   1.01   10/10       10           -4.62       -4.54
 *   10       0.0205        0.0110   1.86   10/10       10           -4.96       -4.79
 * </pre>
 * The target holds for all ten; seed 10, whose generated samples are also the least likely, has
 * the thinnest margin.
 * On the same trained models of seeds 2 and 3 (16 draws), the ratio to the floor was 2.00 and 1.77
 * with 10 ex-post Gaussians, 1.77 and 1.66 with 20, 1.53 and 1.53 with 50 (the default); the
 * decoder mean without its noise gave 1.53 and 1.54 (s = 0.017 in standardised units hardly
 * matters); the prior gave 37 and 33, covering 7 and 6 modes. With 50 Gaussians the generated
 * mode weights are within 0.02-0.03 (L1 over the modes) of the true ones, so what remains of the
 * excess over the floor is the shape within the modes.
 */
public final class GmmExperiment {
    /**
     * Gaussians per mixture component in the ex-post latent mixture: a latent cluster is not quite
     * Gaussian, and five per cluster fit it markedly better than one (see the table above).
     */
    static final int EXPOST_COMPONENTS_PER_MODE = 5;
    /**
     * Independent sample pairs the energy distance and its floor are each averaged over: one draw
     * of either varies by a factor of ten between draws, the mean of eight still by a factor of
     * two (see the class comment); sixteen halve the variance of eight.
     */
    static final int ENERGY_DISTANCE_DRAWS = 16;

    private GmmExperiment() {}

    /** Everything one run produced, for the figures and for tests. */
    public record Outcome(GmmMetrics metrics, GaussianMixture mixture, GaussianMixture.Sample real,
                          double[][] generated, double[][] latentMeans, double[][] latentTsne) {}

    /** Runs the experiment and writes metrics.json and the figures into {@code outDir}. */
    public static GmmMetrics run(GmmConfig config, Path outDir) throws IOException {
        return run(config, outDir, epoch -> {});
    }

    /**
     * As {@link #run(GmmConfig, Path)}, calling {@code progress} with the number of finished
     * epochs after each epoch (for a progress bar).
     */
    public static GmmMetrics run(GmmConfig config, Path outDir, IntConsumer progress) throws IOException {
        Outcome outcome = compute(config, progress);
        AtomicFiles.write(outDir.resolve("metrics.json"), outcome.metrics().toJson());
        GmmFigures.write(outcome, outDir);
        return outcome.metrics();
    }

    /** Trains, generates and measures, without writing anything. */
    public static Outcome compute(GmmConfig config, IntConsumer progress) {
        long start = System.nanoTime();
        Rng seeds = new Rng(config.seed());
        GaussianMixture mixture = GaussianMixture.random(config.components(), config.dim(), seeds.nextLong());
        double[][] train = mixture.sample(config.samples(), seeds.nextLong()).points();
        Standardiser scale = new Standardiser(train);

        Rng rng = seeds.split();
        GmmVae vae = new GmmVae(config.dim(), config.hidden(), config.latent(), config.decoderVariance(), rng);
        train(vae, scale.forward(train), config, rng, progress);

        // ENERGY_DISTANCE_DRAWS independent real samples, each with a second real and a generated
        // sample of the same size; the first ones are the figures' and t-SNE's.
        int n = config.evalSamples();
        double[][][] reals = new double[ENERGY_DISTANCE_DRAWS][][];
        double[][][] secondReals = new double[ENERGY_DISTANCE_DRAWS][][];
        GaussianMixture.Sample real = mixture.sample(n, seeds.nextLong());
        reals[0] = real.points();
        for (int r = 1; r < ENERGY_DISTANCE_DRAWS; r++) reals[r] = mixture.sample(n, seeds.nextLong()).points();
        for (int r = 0; r < ENERGY_DISTANCE_DRAWS; r++) secondReals[r] = mixture.sample(n, seeds.nextLong()).points();
        double[][] allGenerated = scale.backward(config.expost()
                ? vae.decodeWithNoise(AggregatePosterior.sample(vae.latentMeans(scale.forward(train)), EXPOST_COMPONENTS_PER_MODE * config.components(),
                                                                ENERGY_DISTANCE_DRAWS * n, seeds.nextLong()), rng)
                : vae.generate(ENERGY_DISTANCE_DRAWS * n, rng));
        double[][][] generated = new double[ENERGY_DISTANCE_DRAWS][][];
        for (int r = 0; r < ENERGY_DISTANCE_DRAWS; r++) generated[r] = Arrays.copyOfRange(allGenerated, r * n, (r + 1) * n);

        double[][] latentMeans = vae.latentMeans(scale.forward(real.points()));
        double[][] latentTsne = Tsne.run(latentMeans, TsneOptions.defaults().withSeed(config.seed())).embedding();
        GmmMetrics metrics = new GmmMetrics(
                config.components(),
                MixtureMetrics.modesCovered(mixture, allGenerated),
                MixtureMetrics.meanEnergyDistance(generated, reals),
                MixtureMetrics.meanEnergyDistance(secondReals, reals),
                ENERGY_DISTANCE_DRAWS,
                MixtureMetrics.meanLogLikelihood(mixture, allGenerated),
                MixtureMetrics.meanLogLikelihood(mixture, real.points()),
                MixtureMetrics.activeUnits(latentMeans),
                ClusterCount.count(latentTsne),
                (System.nanoTime() - start) / 1e9);
        return new Outcome(metrics, mixture, real, generated[0], latentMeans, latentTsne);
    }

    /** Minibatch Adam on the negative ELBO, the KL weight warmed up linearly over the first epochs. */
    static void train(GmmVae vae, double[][] data, GmmConfig config, Rng rng, IntConsumer progress) {
        Adam adam = new Adam(vae.namedParameters(), config.learningRate());
        int n = data.length, d = data[0].length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        int batches = (n + config.batch() - 1) / config.batch();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            shuffle(order, rng);
            for (int b = 0; b < batches; b++) {
                double progressInEpochs = epoch + (double) b / batches;
                float beta = config.warmupEpochs() == 0 ? 1f : (float) Math.min(1, progressInEpochs / config.warmupEpochs());
                int from = b * config.batch(), to = Math.min(n, from + config.batch());
                float[] batch = new float[(to - from) * d];
                for (int i = from; i < to; i++) {
                    for (int c = 0; c < d; c++) batch[(i - from) * d + c] = (float) data[order[i]][c];
                }
                adam.zeroGrad();
                Tensor loss = vae.loss(Tensor.wrap(batch, to - from, d), beta, rng);
                if (!Float.isFinite(loss.item())) {
                    throw new IllegalStateException("gmm: training diverged, loss " + loss.item() + " at epoch " + (epoch + 1));
                }
                loss.backward();
                adam.step();
            }
            progress.accept(epoch + 1);
        }
    }

    private static void shuffle(int[] order, Rng rng) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Per-dimension standardisation fitted on the training data. */
    static final class Standardiser {
        private final double[] mean;
        private final double[] std;

        Standardiser(double[][] data) {
            int d = data[0].length;
            mean = new double[d];
            std = new double[d];
            for (double[] x : data) for (int c = 0; c < d; c++) mean[c] += x[c] / data.length;
            for (double[] x : data) for (int c = 0; c < d; c++) std[c] += (x[c] - mean[c]) * (x[c] - mean[c]) / data.length;
            for (int c = 0; c < d; c++) std[c] = Math.sqrt(std[c]);
        }

        double[][] forward(double[][] data) {
            double[][] out = new double[data.length][];
            for (int i = 0; i < data.length; i++) {
                out[i] = new double[mean.length];
                for (int c = 0; c < mean.length; c++) out[i][c] = (data[i][c] - mean[c]) / std[c];
            }
            return out;
        }

        double[][] backward(double[][] data) {
            double[][] out = new double[data.length][];
            for (int i = 0; i < data.length; i++) {
                out[i] = new double[mean.length];
                for (int c = 0; c < mean.length; c++) out[i][c] = data[i][c] * std[c] + mean[c];
            }
            return out;
        }
    }
}
