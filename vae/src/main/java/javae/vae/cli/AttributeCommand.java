package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae attribute}: an attribute vector added to faces that lack the attribute. */
@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = "The attribute vector (mean latent with the attribute minus without) added at growing strength to faces without it (attribute-NAME.png).")
final class AttributeCommand extends FigureCommand {
    @Mixin DataOptions data = new DataOptions();

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--name", defaultValue = "Smiling", description = "The attribute (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--count", defaultValue = "1000", description = "Images that define the vector (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rows", defaultValue = "4", description = "Faces to edit, one per row (default: ${DEFAULT-VALUE}).")
    int faces;

    @Option(names = "--strengths", split = ",", defaultValue = "0,0.5,1,1.5,2", description = "Multiples of the vector, one per column (default: ${DEFAULT-VALUE}).")
    float[] strengths;

    @Override
    String pictureName() {
        return "attribute-" + name + ".png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (faces < 1) throw new UserInputException("--rows must be at least 1, got " + faces);
        return Figures.attributeVector(vae, split(data, split, vae), name, count, faces, strengths, out.resolve(pictureName()));
    }
}
