package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae traverse}: latent traversals, one row per latent coordinate. */
@Command(name = "traverse", mixinStandardHelpOptions = true,
        description = "Latent traversals: from one image's latent mean, each of the most active coordinates swept across the spread of the data (traversal.png).")
final class TraverseCommand extends FigureCommand {
    @Mixin DataOptions data = new DataOptions();

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--image", defaultValue = "0", description = "Index of the image to start from (default: ${DEFAULT-VALUE}).")
    int image;

    @Option(names = "--dims", defaultValue = "8", description = "How many coordinates, the most active first (default: ${DEFAULT-VALUE}).")
    int dims;

    @Option(names = "--steps", defaultValue = "9", description = "Points per row (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--spread", defaultValue = "2", description = "Sweep each coordinate over its mean +- this many standard deviations of the images' latent means (default: ${DEFAULT-VALUE}).")
    float spread;

    @Override
    String pictureName() {
        return "traversal.png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (dims < 1 || steps < 2) throw new UserInputException("--dims must be at least 1 and --steps at least 2, got " + dims + " and " + steps);
        return Figures.traversal(vae, split(data, split, vae), image, dims, steps, spread, out.resolve(pictureName()));
    }
}
