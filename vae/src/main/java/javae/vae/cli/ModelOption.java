package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Path;
import javae.vae.model.ConvVae;
import javae.vae.train.Checkpoints;
import picocli.CommandLine.Option;

/** {@code --model}: a checkpoint file, or a training output folder whose newest checkpoint is used. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "PATH", defaultValue = "runs/train",
            description = "A checkpoint (.safetensors) or the --out folder of 'javae train' (default: ${DEFAULT-VALUE}).")
    Path model;

    ConvVae load() throws IOException {
        return Checkpoints.loadModel(model);
    }
}
