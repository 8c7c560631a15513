package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javae.engine.kernels.Parallel;
import javae.vae.data.Dataset;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import javae.vae.report.MetricsJson;
import javae.vae.train.EpochMetrics;
import javae.vae.train.RandomStreams;
import javae.vae.train.Trainer;
import javae.vae.ui.ProgressBar;

/**
 * A training run as the commands {@code train} and {@code demo} do it: the model, a progress bar,
 * the loss curve after each epoch, metrics.json at the end, and Ctrl-C handled by finishing the
 * step and writing a checkpoint.
 */
final class Training {
    /** Everything a run needs. {@code trainLimit} and {@code validLimit} cap the images used (null: all). */
    record Plan(DataSets.Loaded data, Integer trainLimit, Integer validLimit, int dimZ, float varX, int epochs, int batch,
                float lr, long seed, Path out, double checkpointSeconds, boolean resume) {}

    /** The trained model and what the run measured. */
    record Result(ConvVae model, List<EpochMetrics> history, double imagesPerSecond, double seconds, boolean interrupted,
                  Map<String, Object> metrics) {}

    private Training() {}

    /** Unregisters the Ctrl-C hook; when the JVM is already shutting down the hook is running and stays. */
    private static void removeUnlessRunning(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived: the hook waits for the checkpoint written above, then the JVM exits.
        }
    }

    static Result run(Plan plan) throws IOException {
        Dataset train = DataSets.firstImages(plan.data().train(), plan.trainLimit());
        Dataset valid = DataSets.firstImages(plan.data().valid(), plan.validLimit());
        VaeConfig config = new VaeConfig(train.channels(), train.height(), plan.dimZ(), plan.varX());
        if (train.height() != train.width()) throw new UserInputException(plan.data().description() + ": images must be square, got " + train.width() + "x" + train.height());
        ConvVae model = new ConvVae(config, RandomStreams.stream(plan.seed(), RandomStreams.INIT, 0));
        Trainer.Settings settings = new Trainer.Settings(plan.epochs(), plan.batch(), plan.lr(), plan.seed(), plan.out(), plan.checkpointSeconds());

        long totalImages = (long) plan.epochs() * (train.size() / plan.batch()) * plan.batch();
        ProgressBar bar = ProgressBar.create("train", totalImages, "img");
        Path lossCurve = plan.out().resolve("loss-curve.png"), elboTerms = plan.out().resolve("elbo-terms.png");
        double[] lastRate = {0};
        List<double[]> stepLosses = new ArrayList<>(); // (epochs done, loss, reconstruction, KL) per step, for the curves
        Trainer trainer = new Trainer(model, settings, train, valid, new Trainer.Listener() {
            @Override
            public void onStep(Trainer.StepReport r) {
                bar.set(r.step() * plan.batch());
                bar.field("epoch", (r.epoch() + 1) + "/" + plan.epochs());
                bar.field("loss", r.loss());
                bar.field("rec", r.reconstruction());
                bar.field("kl", r.kl());
                lastRate[0] = r.imagesPerSecond();
                stepLosses.add(new double[] {(double) r.step() / r.stepsPerEpoch(), r.loss(), r.reconstruction(), r.kl()});
            }

            @Override
            public void onEpoch(List<EpochMetrics> history) {
                Pictures.lossCurve(stepLosses, history, lossCurve);
                Pictures.elboTerms(stepLosses, history, elboTerms);
            }
        });

        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            trainer.requestStop();
            try {
                // The step in flight finishes and a checkpoint is written before the JVM exits (with 130).
                if (finished.await(120, TimeUnit.SECONDS)) {
                    System.err.println("javae: interrupted; the checkpoint in " + plan.out().resolve("checkpoints") + " continues with --resume");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        long start = System.nanoTime();
        List<EpochMetrics> history;
        try {
            history = trainer.run(plan.resume());
            bar.finish();
        } catch (IOException | RuntimeException e) {
            if (bar.done() > 0) bar.finish(); // ends the bar's line, so the error gets a line of its own
            throw e;
        } finally {
            finished.countDown();
            removeUnlessRunning(onCtrlC);
        }
        boolean interrupted = trainer.stoppedEarly();
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("data", plan.data().description());
        metrics.put("train_images", train.size());
        metrics.put("valid_images", valid.size());
        metrics.put("image_size", config.imageSize());
        metrics.put("channels", config.channels());
        metrics.put("dim_z", config.dimZ());
        metrics.put("var_x", Double.parseDouble(Float.toString(config.varX())));
        metrics.put("lr", Double.parseDouble(Float.toString(plan.lr())));
        metrics.put("batch", plan.batch());
        metrics.put("seed", plan.seed());
        metrics.put("threads", Parallel.threads());
        metrics.put("parameters", model.parameterCount());
        metrics.put("epochs", history.size());
        metrics.put("training_seconds", seconds);
        metrics.put("images_per_second", lastRate[0]);
        metrics.put("loss", "-ELBO per image: sum over pixels of -log N(x; decoder mean, var_x) plus KL summed over latent dims, averaged over images");
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            metrics.put("final_train_loss", last.trainLoss());
            metrics.put("final_valid_loss", last.validLoss());
            metrics.put("final_train_reconstruction", last.trainReconstruction());
            metrics.put("final_train_kl", last.trainKl());
            metrics.put("final_valid_reconstruction", last.validReconstruction());
            metrics.put("final_valid_kl", last.validKl());
        }
        MetricsJson.write(plan.out().resolve("metrics.json"), metrics);
        return new Result(model, history, lastRate[0], seconds, interrupted, metrics);
    }
}
