package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae reconstruct}: originals above their reconstructions. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, description = "Originals (top row) above their reconstructions (reconstruction.png).")
final class ReconstructCommand extends FigureCommand {
    @Mixin DataOptions data = new DataOptions();

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--count", defaultValue = "8", description = "Images (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    String pictureName() {
        return "reconstruction.png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (count < 1) throw new UserInputException("--count must be at least 1, got " + count);
        return Figures.reconstruction(vae, split(data, split, vae), count, out.resolve(pictureName()));
    }
}
