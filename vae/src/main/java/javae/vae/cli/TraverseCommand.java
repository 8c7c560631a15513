package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae traverse}: latent traversals, one row per latent coordinate. */
@Command(name = "traverse", mixinStandardHelpOptions = true,
        description = "Latent traversals: from one image's latent mean, each coordinate swept from -range to +range (traversal.png).")
final class TraverseCommand extends FigureCommand {
    @Mixin DataOptions data = new DataOptions();

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--image", defaultValue = "0", description = "Index of the image to start from (default: ${DEFAULT-VALUE}).")
    int image;

    @Option(names = "--dims", defaultValue = "8", description = "How many coordinates, from the first (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--steps", defaultValue = "9", description = "Points per row (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--range", defaultValue = "3", description = "Sweep from -range to +range (default: ${DEFAULT-VALUE}).")
    float range;

    @Override
    String pictureName() {
        return "traversal.png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (dims < 1 || steps < 2) throw new UserInputException("--dims must be at least 1 and --steps at least 2, got " + dims + " and " + steps);
        return Figures.traversal(vae, split(data, split, vae), image, dims, steps, range, out.resolve(pictureName()));
    }
}
