package javae.vae.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javae.vae.data.SyntheticFaces;
import javae.vae.report.MetricsJson;
import javae.vae.ui.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code javae make-faces}: the built-in synthetic faces, written in CelebA's layout. */
@Command(name = "make-faces", mixinStandardHelpOptions = true,
        description = "Write synthetic faces with CelebA's attributes in CelebA's layout (img_align_celeba/*.jpg, list_attr_celeba.txt, list_eval_partition.txt).")
final class MakeFacesCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder to write (created if needed).")
    Path out;

    @Option(names = "--count", defaultValue = "1000", description = "Number of faces (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "Seed; the same seed gives the same faces (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (count < 1) throw new UserInputException("--count must be at least 1, got " + count);
        OutputFolder.prepare(out);
        long start = System.nanoTime();
        try (ProgressBar bar = ProgressBar.create("faces", count, "img")) {
            SyntheticFaces.writeCelebaLayout(out, count, seed, bar);
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("faces", count);
        metrics.put("seed", seed);
        metrics.put("seconds", (System.nanoTime() - start) / 1e9);
        MetricsJson.write(out.resolve("metrics.json"), metrics);
        System.err.println("javae make-faces: " + count + " faces in " + out);
        return 0;
    }
}
