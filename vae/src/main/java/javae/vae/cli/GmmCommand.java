package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javae.vae.gmm.GmmConfig;
import javae.vae.gmm.GmmExperiment;
import javae.vae.gmm.GmmMetrics;
import javae.vae.ui.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae gmm}: the report's optional part, a VAE that learns to sample a 3-D Gaussian mixture. */
@Command(name = "gmm", mixinStandardHelpOptions = true,
        description = "Train a VAE on samples of a random 3-D Gaussian mixture, generate from it, and compare: "
                + "gmm-real-vs-sampled.png, gmm-latent-tsne.png, metrics.json (modes covered, energy distance, t-SNE clusters).")
final class GmmCommand implements Callable<Integer> {
    @Option(names = "--components", defaultValue = "10", description = "Mixture components (default: ${DEFAULT-VALUE}).")
    int components;

    @Option(names = "--samples", defaultValue = "10000", description = "Training samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--dim", defaultValue = "3", description = "Dimension of the mixture's space (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--epochs", defaultValue = "60", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the mixture, the samples and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/gmm", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws Exception {
        threads.apply();
        OutputFolder.prepare(out);
        GmmConfig config = GmmConfig.defaults().withComponents(components).withDim(dim).withSamples(samples).withEpochs(epochs).withSeed(seed);
        GmmMetrics metrics = run(config, out);
        System.err.printf("javae gmm: %d of %d modes covered, %d t-SNE clusters; wrote %s%n", metrics.modesCovered(), metrics.components(),
                metrics.tsneClusters(), out.resolve("metrics.json"));
        return 0;
    }

    /** Runs the experiment with a progress bar over its epochs. */
    static GmmMetrics run(GmmConfig config, Path out) throws IOException {
        try (ProgressBar bar = ProgressBar.create("gmm", config.epochs(), "epoch")) {
            return GmmExperiment.run(config, out, bar::set);
        }
    }
}
