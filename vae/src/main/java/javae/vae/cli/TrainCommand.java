package javae.vae.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javae.vae.model.VaeConfig;
import javae.vae.train.LearningRateSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code javae train}: trains the convolutional VAE, with checkpoints, metrics.csv and a loss curve. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the convolutional VAE; writes checkpoints/, metrics.csv, loss-curve.png, elbo-terms.png and metrics.json into --out.")
final class TrainCommand implements Callable<Integer> {
    @Mixin DataOptions data = new DataOptions();
    @Mixin ThreadsOption threads = new ThreadsOption();

    @Option(names = "--epochs", defaultValue = "10", description = "Passes over the training images (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--dim-z", defaultValue = "" + VaeConfig.DEFAULT_DIM_Z, description = "Latent dimensions (default: ${DEFAULT-VALUE}).")
    int dimZ;

    @Option(names = "--var-x", defaultValue = "" + VaeConfig.DEFAULT_VAR_X, description = "Variance of p(x|z) (default: ${DEFAULT-VALUE}).")
    float varX;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--lr-schedule", paramLabel = "constant|cosine", defaultValue = "constant",
            description = "The learning rate over the run: constant (--lr at every step), or cosine (from --lr at the first step "
                    + "down to 0 at the end of the last epoch along half a cosine; a resumed run must keep its --epochs) "
                    + "(default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random number (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/train", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue from the newest intact checkpoint in --out, exactly where it stopped.")
    boolean resume;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", description = "Minutes between checkpoints within an epoch (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images (for quick runs).")
    Integer limit;

    @Option(names = "--valid-limit", paramLabel = "N", defaultValue = "1000",
            description = "Score the validation ELBO on the first N validation images after each epoch (default: ${DEFAULT-VALUE}).")
    int validLimit;

    @Option(names = "--validate-on", paramLabel = "valid|test", defaultValue = "valid",
            description = "The split the per-epoch validation columns score: valid, or test for a test-set ELBO "
                    + "(Fashion-MNIST: the t10k images) (default: ${DEFAULT-VALUE}).")
    String validateOn;

    @Override
    public Integer call() throws Exception {
        LearningRateSchedule schedule = schedule();
        threads.apply();
        OutputFolder.prepare(out);
        Training.Result result = Training.run(new Training.Plan(validatedOn(data.open()), limit, validLimit, dimZ, varX, epochs, batch, lr, schedule,
                seed, out, checkpointMinutes * 60, resume));
        if (result.interrupted()) {
            System.err.printf("javae train: interrupted after step %d, its checkpoint and metrics written; continue with --resume%n", result.steps());
            return result.interruptedExitCode();
        }
        System.err.printf("javae train: %d epochs, %.1f images/s; metrics in %s%n", result.history().size(), result.imagesPerSecond(), out.resolve("metrics.json"));
        return 0;
    }

    private LearningRateSchedule schedule() {
        try {
            return LearningRateSchedule.parse(lrSchedule);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--lr-schedule " + lrSchedule + ": " + e.getMessage());
        }
    }

    /** The data with the split that --validate-on names in the validation place; the description says which. */
    private DataSets.Loaded validatedOn(DataSets.Loaded loaded) {
        return switch (validateOn.toLowerCase(Locale.ROOT)) {
            case "valid" -> loaded;
            case "test" -> new DataSets.Loaded(loaded.description() + "; validation columns score the test split",
                    loaded.train(), loaded.test(), loaded.test());
            default -> throw new UserInputException("--validate-on " + validateOn + ": expected valid or test");
        };
    }
}
