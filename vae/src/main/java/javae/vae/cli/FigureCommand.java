package javae.vae.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javae.vae.data.Dataset;
import javae.vae.data.Split;
import javae.vae.model.ConvVae;
import javae.vae.report.MetricsJson;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the figure commands share: a trained model, the images, an output folder, and a
 * metrics.json written beside the picture.
 */
abstract class FigureCommand implements Callable<Integer> {
    @Mixin ModelOption model = new ModelOption();
    @Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = "--out", defaultValue = "runs/figures", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public final Integer call() throws Exception {
        threads.apply();
        OutputFolder.prepare(out);
        ConvVae vae = model.load();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("model", model.model.toString());
        metrics.putAll(draw(vae));
        MetricsJson.write(out.resolve("metrics.json"), metrics);
        System.err.println("javae: wrote " + out.resolve(pictureName()) + " and metrics.json");
        return 0;
    }

    /** The picture's file name. */
    abstract String pictureName();

    /** Draws the picture into {@code out}/{@link #pictureName()} and returns its numbers. */
    abstract Map<String, Object> draw(ConvVae vae) throws Exception;

    /** A split of the data, checked to fit the model. */
    static Dataset split(DataOptions data, String name, ConvVae vae) {
        DataSets.Loaded loaded = data.open();
        Dataset d = switch (Split.parse(name)) {
            case TRAIN -> loaded.train();
            case VALID -> loaded.valid();
            case TEST -> loaded.test();
        };
        if (d.channels() != vae.config().channels() || d.height() != vae.config().imageSize()) {
            throw new UserInputException(loaded.description() + " has " + d.channels() + "x" + d.height() + "x" + d.width()
                    + " images, the model is a " + vae.describe());
        }
        if (d.size() == 0) throw new UserInputException(loaded.description() + ": the " + name + " split is empty");
        return d;
    }
}
