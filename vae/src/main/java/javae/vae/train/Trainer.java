package javae.vae.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javae.engine.Autograd;
import javae.engine.Tensor;
import javae.engine.TensorScope;
import javae.engine.optim.Adam;
import javae.vae.data.Dataset;
import javae.vae.model.ConvVae;

/**
 * Trains a {@link ConvVae} by minimising -ELBO with Adam, one shuffled mini-batch per step.
 *
 * <p>The run can stop at any moment and continue exactly: every random number comes from
 * {@link RandomStreams} keyed by (seed, epoch or step), and a checkpoint ({@link Checkpoints})
 * holds the weights, Adam's moments and step, the running sums of the epoch and the history.
 * Checkpoints are written at the end of every epoch and every {@link Settings#checkpointSeconds}
 * seconds, each through a temporary file and a rename, so a crash never spoils the previous one.
 *
 * <p>Training stops with {@link TrainingDivergedException} at the first step whose input images,
 * loss or updated weights are not finite, naming the step and the image or parameter; the last
 * checkpoint on disk predates it. A file that cannot be written (a full disk, a folder that became
 * read-only) stops it with an IOException naming the step, the file and the last good checkpoint,
 * which the failed write left untouched.
 */
public final class Trainer {
    /**
     * @param epochs            passes over the training images
     * @param batchSize         images per step (the last incomplete batch of an epoch is skipped)
     * @param learningRate      Adam's base step size
     * @param lrSchedule        the step size of each step from the base ({@link LearningRateSchedule#CONSTANT}: the base throughout)
     * @param seed              the seed of every random number (initial weights, batch order, noise)
     * @param outDir            where metrics.csv and checkpoints/ go
     * @param checkpointSeconds wall-clock seconds between checkpoints inside an epoch
     */
    public record Settings(int epochs, int batchSize, float learningRate, LearningRateSchedule lrSchedule, long seed, Path outDir,
                           double checkpointSeconds) {
        public Settings {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            if (batchSize < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batchSize);
            if (!(learningRate > 0)) throw new IllegalArgumentException("lr must be positive, got " + learningRate);
            if (lrSchedule == null) throw new IllegalArgumentException("no learning-rate schedule");
        }
    }

    /** What the trainer reports as it goes; the CLI draws a progress bar and the loss curve from it. */
    public interface Listener {
        /** After each step: the step's terms, speed so far and the estimated seconds left. */
        void onStep(StepReport report);

        /** After each epoch's validation, with the history so far. */
        void onEpoch(List<EpochMetrics> history);
    }

    /** One step, for the progress bar. */
    public record StepReport(int epoch, int stepInEpoch, int stepsPerEpoch, long step, long totalSteps,
                             double loss, double reconstruction, double kl, double imagesPerSecond, double secondsLeft) {}

    private final ConvVae model;
    private final Settings settings;
    private final Dataset train;
    private final Dataset valid;
    private final Listener listener;
    private final Checkpoints checkpoints;
    private final Adam adam;
    private volatile boolean stopRequested;
    private boolean stoppedEarly;
    private long stepsDone;

    public Trainer(ConvVae model, Settings settings, Dataset train, Dataset valid, Listener listener) {
        if (train.size() < settings.batchSize()) {
            throw new IllegalArgumentException("batch " + settings.batchSize() + " is larger than the " + train.size() + " training images");
        }
        this.model = model;
        this.settings = settings;
        this.train = train;
        this.valid = valid;
        this.listener = listener;
        this.checkpoints = new Checkpoints(settings.outDir().resolve("checkpoints"));
        this.adam = new Adam(model.namedParameters(), settings.learningRate());
    }

    /** Asks a running {@link #run} to stop after the current step, writing a checkpoint (for Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Whether the last {@link #run} ended before its last step because of {@link #requestStop}; a
     * stop asked for during the last step comes too late to cut the run short, and the run is complete.
     */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** The steps done when the last {@link #run} returned: the step of the checkpoint it wrote last. */
    public long stepsDone() {
        return stepsDone;
    }

    /** Steps in one epoch: whole batches only. */
    public int stepsPerEpoch() {
        return train.size() / settings.batchSize();
    }

    /**
     * Trains from the start, or with {@code resume} from the newest intact checkpoint in the output
     * folder (a damaged newer one is skipped with a warning). Returns the per-epoch history.
     */
    public List<EpochMetrics> run(boolean resume) throws IOException {
        TrainingState state = resume ? checkpoints.restoreNewest(model, adam, settings, train.size()) : TrainingState.fresh();
        int stepsPerEpoch = stepsPerEpoch();
        long totalSteps = (long) settings.epochs() * stepsPerEpoch;
        MetricsCsv csv = new MetricsCsv(settings.outDir().resolve("metrics.csv"));
        csv.rewrite(state.history()); // drops rows of epochs a resumed run is about to redo

        int batch = settings.batchSize();
        int dimZ = model.config().dimZ();
        float[] images = new float[batch * model.config().pixels()];
        long startStep = state.step();
        long startNanos = System.nanoTime();
        long lastCheckpointNanos = startNanos;
        int[] order = null;

        long step = state.step();
        for (; step < totalSteps && !stopRequested; step++) {
            int epoch = (int) (step / stepsPerEpoch);
            int stepInEpoch = (int) (step % stepsPerEpoch);
            if (order == null || stepInEpoch == 0) order = RandomStreams.permutation(settings.seed(), epoch, train.size());

            // One step: a batch, fresh noise for the reparameterisation, -ELBO, its gradient, Adam.
            int[] indices = Arrays.copyOfRange(order, stepInEpoch * batch, (stepInEpoch + 1) * batch);
            train.fillBatch(indices, images);
            int badImage = NumericGuard.firstNonFinite(images, model.config().pixels());
            if (badImage >= 0) throw diverged(step, epoch, "training image " + indices[badImage] + " holds NaN or infinity");
            Tensor x = Tensor.wrap(images, batch, model.config().channels(), model.config().imageSize(), model.config().imageSize());
            Tensor noise = Tensor.randn(RandomStreams.stream(settings.seed(), RandomStreams.NOISE, step), batch, dimZ);
            double loss, reconstruction, kl;
            try (TensorScope stepScope = TensorScope.open()) { // the step's results hand their arrays on to the next step's
                ConvVae.Elbo elbo = model.elbo(x, noise);
                loss = elbo.loss().item();
                if (!Double.isFinite(loss)) throw diverged(step, epoch, "the loss is " + loss);
                adam.zeroGrad();
                elbo.loss().backward();
                adam.setLearningRate(settings.lrSchedule().at(settings.learningRate(), step, totalSteps));
                adam.step();
                reconstruction = elbo.reconstruction().item();
                kl = elbo.kl().item();
            }
            String badParameter = NumericGuard.firstNonFinite(model.namedParameters());
            if (badParameter != null) throw diverged(step, epoch, "parameter " + badParameter + " is no longer finite after the update");
            state.addTrainStep(loss, reconstruction, kl);

            long now = System.nanoTime();
            double seconds = (now - startNanos) / 1e9;
            long done = step + 1 - startStep;
            double stepsPerSecond = done / seconds;
            listener.onStep(new StepReport(epoch, stepInEpoch, stepsPerEpoch, step + 1, totalSteps, loss,
                    reconstruction, kl, stepsPerSecond * batch, (totalSteps - step - 1) / stepsPerSecond));

            boolean endOfEpoch = stepInEpoch == stepsPerEpoch - 1;
            if (endOfEpoch) state.finishEpoch(epoch, validate());
            try {
                if (endOfEpoch || stopRequested || (now - lastCheckpointNanos) / 1e9 >= settings.checkpointSeconds()) {
                    state.setStep(step + 1);
                    checkpoints.save(model, adam, settings, train.size(), state);
                    lastCheckpointNanos = System.nanoTime();
                }
                if (endOfEpoch) { // after the checkpoint: metrics.csv never shows an epoch that no checkpoint holds
                    csv.rewrite(state.history());
                    listener.onEpoch(state.history());
                }
            } catch (IOException e) { // a full disk or a folder gone read-only: the files already there stay intact
                throw new IOException(stoppedAt(step, epoch, e.getMessage()), e);
            }
        }
        stoppedEarly = step < totalSteps;
        stepsDone = step;
        return state.history();
    }

    /** The mean loss, reconstruction and KL over the validation images, with noise fixed per batch. */
    private double[] validate() {
        int batch = settings.batchSize();
        int count = valid.size();
        double[] sums = new double[3];
        if (count == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        float[] images = new float[batch * model.config().pixels()];
        try (var scope = Autograd.noGrad()) {
            for (int start = 0; start < count; start += batch) {
                int n = Math.min(batch, count - start);
                int[] indices = new int[n];
                for (int i = 0; i < n; i++) indices[i] = start + i;
                valid.fillBatch(indices, images);
                float[] used = n == batch ? images : Arrays.copyOf(images, n * model.config().pixels());
                Tensor x = Tensor.wrap(used, n, model.config().channels(), model.config().imageSize(), model.config().imageSize());
                Tensor noise = Tensor.randn(RandomStreams.stream(settings.seed(), RandomStreams.VALIDATION, start), n, model.config().dimZ());
                try (TensorScope batchScope = TensorScope.open()) {
                    ConvVae.Elbo elbo = model.elbo(x, noise);
                    sums[0] += elbo.loss().item() * n;
                    sums[1] += elbo.reconstruction().item() * n;
                    sums[2] += elbo.kl().item() * n;
                }
            }
        }
        for (int i = 0; i < 3; i++) sums[i] /= count;
        return sums;
    }

    private TrainingDivergedException diverged(long step, int epoch, String what) {
        return new TrainingDivergedException(stoppedAt(step, epoch, what));
    }

    /** Why training stopped in 0-based {@code step}, and which checkpoint a --resume would continue from. */
    private String stoppedAt(long step, int epoch, String what) {
        Path last = checkpoints.newest();
        return "training stopped at step " + (step + 1) + " (epoch " + (epoch + 1) + "): " + what
                + (last == null ? "; no checkpoint was written yet" : "; the last good checkpoint is " + last);
    }
}
