package javae.vae.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javae.vae.data.CelebA;
import javae.vae.data.Dataset;
import javae.vae.data.FashionMnist;
import javae.vae.data.Split;
import javae.vae.data.SyntheticFaces;
import javae.vae.ui.ProgressBar;

/** Opens what {@code --data} and {@code --format} name, generating the synthetic faces on first use. */
final class DataSets {
    /** Faces generated for {@code --data synthetic} unless {@code --faces} says otherwise. */
    static final int DEFAULT_SYNTHETIC_FACES = 2000;
    /** The seed of the built-in faces: the same faces on every machine. */
    static final long SYNTHETIC_SEED = 1;

    /** The three splits of a data set and a description for messages and metrics. */
    record Loaded(String description, Dataset train, Dataset valid, Dataset test) {}

    private DataSets() {}

    static Loaded open(DataOptions options) {
        String format = options.format.toLowerCase(Locale.ROOT);
        if (options.data.equals("synthetic")) {
            if (!format.equals("celeba")) throw new UserInputException("--data synthetic gives CelebA-layout faces; drop --format " + options.format);
            Path dir = syntheticFaces(options.cache == null ? defaultCache() : options.cache, options.syntheticFaces);
            return celeba(dir, "synthetic faces (" + options.syntheticFaces + ", " + dir + ")");
        }
        Path dir = Path.of(options.data);
        if (!Files.isDirectory(dir)) throw new UserInputException("--data " + dir + ": no such folder");
        return switch (format) {
            case "celeba" -> celeba(dir, "CelebA layout in " + dir);
            case "fashion-mnist" -> new Loaded("Fashion-MNIST in " + dir, FashionMnist.open(dir, Split.TRAIN),
                    FashionMnist.open(dir, Split.VALID), FashionMnist.open(dir, Split.TEST));
            default -> throw new UserInputException("--format " + options.format + ": expected celeba or fashion-mnist");
        };
    }

    private static Loaded celeba(Path dir, String description) {
        return new Loaded(description, CelebA.open(dir, Split.TRAIN), CelebA.open(dir, Split.VALID), CelebA.open(dir, Split.TEST));
    }

    /** ~/.cache/javae, or the temporary folder when there is no home. */
    static Path defaultCache() {
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "javae-cache") : Path.of(home, ".cache", "javae");
    }

    /**
     * The folder of {@code count} built-in faces under {@code cache}, written once: the partition
     * list is written last, so its presence means the folder is complete.
     */
    static Path syntheticFaces(Path cache, int count) {
        if (count < 10) throw new UserInputException("--faces must be at least 10, got " + count);
        Path dir = cache.resolve("faces-" + count + "-seed" + SYNTHETIC_SEED);
        if (!Files.exists(dir.resolve("list_eval_partition.txt"))) {
            try (ProgressBar bar = ProgressBar.create("faces", count, "img")) {
                SyntheticFaces.writeCelebaLayout(dir, count, SYNTHETIC_SEED, bar);
            }
        }
        return dir;
    }

    /** The first {@code limit} images of {@code data} (all of them when limit is null or larger). */
    static Dataset firstImages(Dataset data, Integer limit) {
        if (limit == null || limit >= data.size()) return data;
        if (limit < 1) throw new UserInputException("--limit must be at least 1, got " + limit);
        return new Dataset() {
            @Override public int size() { return limit; }
            @Override public int channels() { return data.channels(); }
            @Override public int height() { return data.height(); }
            @Override public int width() { return data.width(); }
            @Override public List<String> attributeNames() { return data.attributeNames(); }
            @Override public int attribute(int index, String name) { return data.attribute(checked(index), name); }
            @Override public void fillBatch(int[] indices, float[] out) {
                for (int i : indices) checked(i);
                data.fillBatch(indices, out);
            }

            private int checked(int index) {
                if (index < 0 || index >= limit) throw new IllegalArgumentException("image " + index + " out of range 0.." + (limit - 1));
                return index;
            }
        };
    }
}
