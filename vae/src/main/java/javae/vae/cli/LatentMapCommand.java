package javae.vae.cli;

import java.util.Map;
import javae.vae.model.ConvVae;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae latent-map}: the latent means in 2-D, coloured by an attribute, with a separation score. */
@Command(name = "latent-map", mixinStandardHelpOptions = true,
        description = "Latent means projected to 2-D (PCA or t-SNE) and coloured by an attribute, with a linear probe's held-out accuracy (latent-map.png).")
final class LatentMapCommand extends FigureCommand {
    @Mixin DataOptions data = new DataOptions();

    @Option(names = "--split", defaultValue = "test", description = "train, valid or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--attribute", defaultValue = "Blond_Hair", description = "The attribute that colours the points (default: ${DEFAULT-VALUE}).")
    String attribute;

    @Option(names = "--count", defaultValue = "1000", description = "Images to place (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--projection", defaultValue = "pca", description = "pca or tsne (default: ${DEFAULT-VALUE}).")
    String projection;

    @Override
    String pictureName() {
        return "latent-map.png";
    }

    @Override
    Map<String, Object> draw(ConvVae vae) throws Exception {
        if (count < 10) throw new UserInputException("--count must be at least 10, got " + count);
        boolean tsne = switch (projection) {
            case "pca" -> false;
            case "tsne" -> true;
            default -> throw new UserInputException("--projection " + projection + ": expected pca or tsne");
        };
        return Figures.latentMap(vae, split(data, split, vae), attribute, count, tsne, out.resolve(pictureName()));
    }
}
