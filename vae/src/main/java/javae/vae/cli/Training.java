package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.kernels.Parallel;
import javae.vae.data.Dataset;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import javae.vae.report.MetricsJson;
import javae.vae.train.EpochMetrics;
import javae.vae.train.LearningRateSchedule;
import javae.vae.train.RandomStreams;
import javae.vae.train.Trainer;
import javae.vae.ui.ProgressBar;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A training run as the commands {@code train} and {@code demo} do it: the model, a progress bar,
 * the loss curve after each epoch, metrics.json at the end, and Ctrl-C handled by finishing the
 * step and writing a checkpoint ({@link StopOnSignal}).
 */
final class Training {
    /** Everything a run needs. {@code trainLimit} and {@code validLimit} cap the images used (null: all). */
    record Plan(DataSets.Loaded data, Integer trainLimit, Integer validLimit, int dimZ, float varX, int epochs, int batch,
                float lr, LearningRateSchedule lrSchedule, long seed, Path out, double checkpointSeconds, boolean resume) {}

    /**
     * The trained model and what the run measured. {@code steps} is the step of the last
     * checkpoint; {@code stopSignal} is the number of the signal that cut the run short (2 for
     * Ctrl-C), 0 when it ran all its epochs.
     */
    record Result(ConvVae model, List<EpochMetrics> history, long steps, double imagesPerSecond, double seconds, int stopSignal,
                  Map<String, Object> metrics) {
        /** Whether a signal stopped the run before its last step. */
        boolean interrupted() {
            return stopSignal != 0;
        }

        /** The exit code of an interrupted run, as a shell reports a process ended by the signal: 128 + its number. */
        int interruptedExitCode() {
            return 128 + stopSignal;
        }
    }

    private Training() {}

    /**
     * Ctrl-C (SIGINT) and SIGTERM while training. Instead of the JVM's immediate exit, the trainer
     * finishes its step and writes a checkpoint, and the run returns normally, so that metrics.csv,
     * the curves and metrics.json are written too and agree with that checkpoint. A second signal
     * quits at once (the JVM's own handling, restored by the first), which is safe as well: every
     * file is written atomically. Where a signal cannot be caught (java -Xrs), it ends the JVM as usual.
     *
     * <p>Why sun.misc.Signal (module jdk.unsupported, kept available by JEP 260): a shutdown hook runs
     * only once the JVM is already exiting, with the signal's exit code whatever the run did, and
     * the main thread may be cut off mid-way; a signal handler lets the run end on its own terms.
     */
    private static final class StopOnSignal implements AutoCloseable {
        private final Trainer trainer;
        private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        private volatile int received;

        StopOnSignal(Trainer trainer) {
            this.trainer = trainer;
            for (String name : List.of("INT", "TERM")) {
                Signal signal = new Signal(name);
                try {
                    previous.put(signal, Signal.handle(signal, this::stop));
                } catch (IllegalArgumentException notCatchable) {
                    // -Xrs, or a platform without this signal
                }
            }
        }

        private void stop(Signal signal) {
            if (received == 0) received = signal.getNumber();
            trainer.requestStop();
            Signal.handle(signal, previous.get(signal));
            System.err.println(System.lineSeparator() + "javae: SIG" + signal.getName()
                    + ": finishing this step and writing a checkpoint; a second SIG" + signal.getName() + " quits at once");
        }

        /** The number of the first signal that arrived, 0 if none. */
        int received() {
            return received;
        }

        @Override
        public void close() {
            previous.forEach(Signal::handle);
        }
    }

    static Result run(Plan plan) throws IOException {
        Dataset train = DataSets.firstImages(plan.data().train(), plan.trainLimit());
        Dataset valid = DataSets.firstImages(plan.data().valid(), plan.validLimit());
        VaeConfig config = new VaeConfig(train.channels(), train.height(), plan.dimZ(), plan.varX());
        if (train.height() != train.width()) throw new UserInputException(plan.data().description() + ": images must be square, got " + train.width() + "x" + train.height());
        ConvVae model = new ConvVae(config, RandomStreams.stream(plan.seed(), RandomStreams.INIT, 0));
        Trainer.Settings settings = new Trainer.Settings(plan.epochs(), plan.batch(), plan.lr(), plan.lrSchedule(), plan.seed(), plan.out(), plan.checkpointSeconds());

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

        try (StopOnSignal signals = new StopOnSignal(trainer)) { // until metrics.json is written: a late Ctrl-C cannot cut it off
            long start = System.nanoTime();
            List<EpochMetrics> history;
            try {
                history = trainer.run(plan.resume());
                bar.finish();
            } catch (IOException | RuntimeException e) {
                if (bar.done() > 0) bar.finish(); // ends the bar's line, so the error gets a line of its own
                throw e;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int stopSignal = trainer.stoppedEarly() ? signals.received() : 0;
            if (stopSignal != 0) { // the curves so far, up to the step of the checkpoint just written
                Pictures.lossCurve(stepLosses, history, lossCurve);
                Pictures.elboTerms(stepLosses, history, elboTerms);
            }
            Map<String, Object> metrics = metrics(plan, train, valid, model, history, trainer.stepsDone(), stopSignal == 0, seconds, lastRate[0]);
            MetricsJson.write(plan.out().resolve("metrics.json"), metrics);
            return new Result(model, history, trainer.stepsDone(), lastRate[0], seconds, stopSignal, metrics);
        }
    }

    /** What metrics.json says of a run; {@code steps} and {@code history} are those of its last checkpoint. */
    private static Map<String, Object> metrics(Plan plan, Dataset train, Dataset valid, ConvVae model, List<EpochMetrics> history,
                                               long steps, boolean complete, double seconds, double imagesPerSecond) {
        VaeConfig config = model.config();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("data", plan.data().description());
        metrics.put("train_images", train.size());
        metrics.put("valid_images", valid.size());
        metrics.put("image_size", config.imageSize());
        metrics.put("channels", config.channels());
        metrics.put("dim_z", config.dimZ());
        metrics.put("var_x", Double.parseDouble(Float.toString(config.varX())));
        metrics.put("lr", Double.parseDouble(Float.toString(plan.lr())));
        metrics.put("lr_schedule", plan.lrSchedule().toString());
        metrics.put("batch", plan.batch());
        metrics.put("seed", plan.seed());
        metrics.put("threads", Parallel.threads());
        metrics.put("parameters", model.parameterCount());
        metrics.put("epochs", history.size());
        metrics.put("steps", steps);
        metrics.put("complete", complete);
        metrics.put("training_seconds", seconds);
        metrics.put("images_per_second", imagesPerSecond);
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
        return metrics;
    }
}
