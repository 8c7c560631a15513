package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae interpolate}: two images and the decoded points between their latent means. */
@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = "Two images and the decoded points between their latent means, linear or --slerp (interpolation.png).")
final class InterpolateCommand extends FigureCommand {
    @Mixin DataOptions data = new DataOptions();

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--from", defaultValue = "0", description = "Index of the first image in the split (default: ${DEFAULT-VALUE}).")
    int from;

    @Option(names = "--to", defaultValue = "1", description = "Index of the second image (default: ${DEFAULT-VALUE}).")
    int to;

    @Option(names = "--steps", defaultValue = "8", description = "Decoded points, both ends included (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--slerp", description = "Spherical instead of straight-line interpolation.")
    boolean slerp;

    @Override
    String pictureName() {
        return "interpolation.png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (steps < 2) throw new UserInputException("--steps must be at least 2, got " + steps);
        return Figures.interpolation(vae, split(data, split, vae), from, to, steps, slerp, out.resolve(pictureName()));
    }
}
