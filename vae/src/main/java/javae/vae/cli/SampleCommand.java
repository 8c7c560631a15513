package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code javae sample}: images generated from z ~ N(0, I), a 4x5 grid as in the report. */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Generate images from random latent points (samples.png, 4x5 as in the report).")
final class SampleCommand extends FigureCommand {
    @Option(names = "--rows", defaultValue = "4", description = "Rows of the grid (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--columns", defaultValue = "5", description = "Columns of the grid (default: ${DEFAULT-VALUE}).")
    int columns;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the latent points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    String pictureName() {
        return "samples.png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (rows < 1 || columns < 1) throw new UserInputException("--rows and --columns must be at least 1, got " + rows + " and " + columns);
        return Figures.samples(vae, rows, columns, seed, out.resolve(pictureName()));
    }
}
