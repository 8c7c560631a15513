package javae.vae.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javae.vae.report.AtomicFiles;
import javae.vae.report.MetricsJson;
import javae.vae.tsne.Trustworthiness;
import javae.vae.tsne.Tsne;
import javae.vae.tsne.TsneInput;
import javae.vae.tsne.TsneOptions;
import javae.vae.tsne.TsneResult;
import javae.vae.ui.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae tsne}: a t-SNE embedding of the rows of a CSV or .npy file. */
@Command(name = "tsne", mixinStandardHelpOptions = true,
        description = "Embed the rows of a CSV or .npy file in 2-D with t-SNE (tsne.png, embedding.csv, metrics.json with the KL divergence and trustworthiness).")
final class TsneCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "A CSV file (one point per line, optional header) or a 2-D .npy array.")
    Path input;

    @Option(names = "--label-column", defaultValue = "-1", description = "Zero-based column of integer labels that colour the points, not embedded (default: none).")
    int labelColumn;

    @Option(names = "--perplexity", defaultValue = "30", description = "Effective number of neighbours (default: ${DEFAULT-VALUE}).")
    double perplexity;

    @Option(names = "--iterations", defaultValue = "1000", description = "Gradient steps (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--method", defaultValue = "AUTO",
            description = "Gradient: EXACT, BARNES_HUT, FFT (FIt-SNE interpolation) or AUTO (exact up to 1000 points, then Barnes-Hut) (default: ${DEFAULT-VALUE}).")
    TsneOptions.Method method;

    @Option(names = "--theta", defaultValue = "0.5", description = "Barnes-Hut accuracy, 0 = exact (default: ${DEFAULT-VALUE}).")
    double theta;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/tsne", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws Exception {
        threads.apply();
        OutputFolder.prepare(out);
        TsneInput data = TsneInput.read(input, labelColumn);
        Tsne.checkPoints(data.points(), perplexity); // bad input gets its one line before the progress bar
        TsneResult result;
        try (ProgressBar bar = ProgressBar.create("t-SNE", iterations, "it")) {
            result = Tsne.run(data.points(), TsneOptions.defaults().withPerplexity(perplexity).withIterations(iterations)
                    .withSeed(seed).withMethod(method).withTheta(theta).withProgress(bar::set));
        }
        double[][] y = result.embedding();
        StringBuilder csv = new StringBuilder(data.labels() == null ? "x,y\n" : "x,y,label\n");
        for (int i = 0; i < y.length; i++) {
            csv.append(y[i][0]).append(',').append(y[i][1]);
            if (data.labels() != null) csv.append(',').append(data.labels()[i]);
            csv.append('\n');
        }
        AtomicFiles.write(out.resolve("embedding.csv"), csv.toString());
        Pictures.labelledScatter(y, data.labels(), "t-SNE of " + input.getFileName(), out.resolve("tsne.png"));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("input", input.toString());
        metrics.put("points", y.length);
        metrics.put("dimensions", data.points()[0].length);
        metrics.put("method", result.method().toString());
        metrics.put("perplexity", perplexity);
        metrics.put("iterations", iterations);
        metrics.put("kl_divergence", result.klDivergence());
        metrics.put("trustworthiness_k10", Trustworthiness.compute(data.points(), y, Math.min(10, Math.max(1, y.length / 3))));
        metrics.put("seconds", result.seconds());
        MetricsJson.write(out.resolve("metrics.json"), metrics);
        System.err.println("javae tsne: wrote " + out.resolve("tsne.png") + ", embedding.csv and metrics.json");
        return 0;
    }
}
