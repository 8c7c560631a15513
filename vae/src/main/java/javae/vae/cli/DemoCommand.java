package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javae.vae.data.Dataset;
import javae.vae.gmm.GmmConfig;
import javae.vae.gmm.GmmMetrics;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import javae.vae.report.MetricsJson;
import javae.vae.report.ReportHtml;
import javae.vae.train.LearningRateSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code javae demo}: the report end to end on the built-in synthetic faces: train the report's
 * model, draw every figure, write metrics.json and report.html.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train the report's VAE on the built-in synthetic faces, run the Gaussian-mixture part, and write every figure, "
                + "metrics.json and report.html (under 5 minutes on 2 cores; --quick: under 1 minute).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "A smaller run for a smoke test: fewer faces, images and epochs.")
    boolean quick;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where the generated faces are kept between runs (default: ~/.cache/javae).")
    Path cache;

    @Option(names = "--seed", defaultValue = "0", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin ThreadsOption threads = new ThreadsOption();

    /**
     * The sizes of a demo run, chosen by measurement so that the whole demo fits its time on 2
     * cores with the current kernels; retune here when the kernels get faster. Measured with the
     * im2col + Vector API convolution: about 160 training images/s at batch 64 on 2 threads; the
     * mixture part at its defaults (10,000 samples, 60 epochs: the settings that cover all 10
     * modes) takes about 45 CPU-seconds. Small batches give Adam more steps for the same work.
     *
     * @param faces      synthetic faces generated (80% train, 10% valid, 10% test)
     * @param trainLimit training images used per epoch
     * @param validLimit validation images scored after each epoch
     * @param epochs     passes over the training images
     * @param batch      images per step
     * @param mapPoints  test images placed on the latent map and used for the attribute vector
     * @param gmmSamples training samples of the Gaussian-mixture VAE
     * @param gmmEpochs  its epochs
     * @param gmmEval    real and generated samples compared (and mapped by t-SNE)
     */
    record Plan(int faces, int trainLimit, int validLimit, int epochs, int batch, int mapPoints, int gmmSamples, int gmmEpochs, int gmmEval) {}

    static final Plan FULL = new Plan(4000, 3200, 400, 15, 32, 400, 10_000, 60, 2000);
    static final Plan QUICK = new Plan(200, 96, 16, 1, 8, 20, 1000, 3, 300);

    @Override
    public Integer call() throws Exception {
        threads.apply();
        OutputFolder.prepare(out);
        long start = System.nanoTime();
        Plan plan = quick ? QUICK : FULL;
        DataOptions data = new DataOptions();
        data.data = "synthetic";
        data.format = "celeba";
        data.syntheticFaces = plan.faces();
        data.cache = cache;
        DataSets.Loaded faces = data.open();

        System.err.println("javae demo: training the report's VAE (dim_z " + VaeConfig.DEFAULT_DIM_Z + ", var_x " + VaeConfig.DEFAULT_VAR_X
                + ", Adam lr 1e-3) on " + Math.min(plan.trainLimit(), faces.train().size()) + " synthetic faces for " + plan.epochs() + " epochs");
        Training.Result trained = Training.run(new Training.Plan(faces, plan.trainLimit(), plan.validLimit(), VaeConfig.DEFAULT_DIM_Z,
                VaeConfig.DEFAULT_VAR_X, plan.epochs(), plan.batch(), 1e-3f, LearningRateSchedule.CONSTANT, seed, out, 60, false));
        if (trained.interrupted()) return trained.interruptedExitCode();
        ConvVae model = trained.model();
        Dataset test = faces.test();

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("mode", quick ? "quick" : "full");
        metrics.putAll(trained.metrics());
        metrics.put("samples", Figures.samples(model, 4, 5, seed, out.resolve("samples.png")));
        metrics.put("reconstruction", Figures.reconstruction(model, test, 8, out.resolve("reconstruction.png")));
        metrics.put("interpolation", Figures.interpolation(model, test, 0, 1, 8, false, out.resolve("interpolation.png")));
        Map<String, Object> map = Figures.latentMap(model, test, "Blond_Hair", plan.mapPoints(), false, out.resolve("latent-map.png"));
        metrics.put("latent_map", map);
        metrics.put("attribute_separation", map.get("attribute_separation"));
        metrics.put("attribute_vector", Figures.attributeVector(model, test, "Smiling", plan.mapPoints(), 3, new float[] {0, 1, 2},
                out.resolve("attribute-Smiling.png")));
        System.err.println("javae demo: the optional part, a VAE sampling a 3-D mixture of 10 Gaussians");
        GmmMetrics gmm = GmmCommand.run(GmmConfig.defaults().withSamples(plan.gmmSamples()).withEpochs(plan.gmmEpochs())
                .withEvalSamples(plan.gmmEval()).withSeed(seed + 1),
                out.resolve("gmm"));
        Map<String, Object> gmmMetrics = new LinkedHashMap<>();
        gmmMetrics.put("components", gmm.components());
        gmmMetrics.put("modes_covered", gmm.modesCovered());
        gmmMetrics.put("energy_distance", gmm.energyDistance());
        gmmMetrics.put("energy_distance_floor", gmm.energyDistanceFloor());
        gmmMetrics.put("tsne_clusters", gmm.tsneClusters());
        gmmMetrics.put("seconds", gmm.seconds());
        metrics.put("gmm", gmmMetrics);
        metrics.put("demo_seconds", (System.nanoTime() - start) / 1e9);
        MetricsJson.write(out.resolve("metrics.json"), metrics);
        report(metrics, trained);
        System.err.printf("javae demo: done in %.0f s; open %s%n", (System.nanoTime() - start) / 1e9, out.resolve("report.html"));
        return 0;
    }

    private void report(Map<String, Object> metrics, Training.Result trained) throws IOException {
        Map<?, ?> gmm = (Map<?, ?>) metrics.get("gmm");
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String key : new String[] {"mode", "data", "train_images", "epochs", "images_per_second", "final_train_loss", "final_valid_loss",
                "attribute_separation", "parameters", "threads", "gmm", "demo_seconds"}) {
            summary.put(key, metrics.get(key));
        }
        new ReportHtml("javae: a convolutional VAE on synthetic faces",
                "The report's variational autoencoder (four stride-2 convolutions, a 4x4 convolution to 256 values and a linear layer to the "
                        + "posterior's mean and variance; the mirror image with transposed convolutions as decoder), dim_z = 50, var_x = 0.1, "
                        + "Adam with lr = 1e-3, trained by javae on " + trained.metrics().get("train_images") + " built-in synthetic faces "
                        + "(CelebA's layout and attribute names) for " + trained.history().size() + " epochs. The loss is -ELBO per image.")
                .add("samples.png", "Generated images", "20 generated images: decoded from z drawn from N(0, I).")
                .add("reconstruction.png", "Reconstruction", "Image reconstruction by the VAE: test images (top) and the decoding of their latent means (bottom).")
                .add("interpolation.png", "Interpolation", "Interpolation of two images: the two test images at the ends, the decoded points on the line between their latent means in between.")
                .add("latent-map.png", "Latent space", "The latent means of test images projected on their first two principal components, coloured by Blond_Hair; "
                        + "a linear probe separates the attribute with held-out accuracy " + String.format("%.2f", (Double) metrics.get("attribute_separation")) + ".")
                .add("attribute-Smiling.png", "Attribute vector", "Adding the Smiling vector (mean latent with the attribute minus without) at strengths 0, 1 and 2 to faces without a smile.")
                .add("loss-curve.png", "Training", "-ELBO per image: every training step, and the training and validation means after each epoch.")
                .add("elbo-terms.png", "The ELBO's two terms", "The reconstruction term -E[log p(x|z)] and the KL to the prior, per image: the reconstruction error falls fast while the KL grows as the encoder puts information about each face into z.")
                .add("gmm/gmm-real-vs-sampled.png", "Optional part: sampling a 3-D Gaussian mixture",
                        "Real (top) and sampled (bottom) distributions, three 2-D views of a mixture of " + gmm.get("components")
                                + " Gaussians; the VAE's samples cover " + gmm.get("modes_covered") + " of its modes.")
                .add("gmm/gmm-latent-tsne.png", "Mixture samples in the latent space",
                        "t-SNE of the latent means of real mixture samples, coloured by component: " + gmm.get("tsne_clusters") + " clusters found.")
                .write(out, summary);
    }
}
