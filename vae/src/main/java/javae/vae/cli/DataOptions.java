package javae.vae.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data PATH|synthetic} and {@code --format}: which images a command reads. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "PATH|synthetic", defaultValue = "synthetic",
            description = "A CelebA folder (img_align_celeba/, list_attr_celeba.txt, list_eval_partition.txt), "
                    + "a Fashion-MNIST folder, or 'synthetic' for the built-in faces (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--format", paramLabel = "celeba|fashion-mnist", defaultValue = "celeba",
            description = "The layout of --data (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--faces", paramLabel = "N", defaultValue = "" + DataSets.DEFAULT_SYNTHETIC_FACES,
            description = "How many synthetic faces to generate for --data synthetic (default: ${DEFAULT-VALUE}).")
    int syntheticFaces;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where generated synthetic faces live (default: ~/.cache/javae).")
    Path cache;

    /** The images of one split. */
    DataSets.Loaded open() {
        return DataSets.open(this);
    }
}
