package javae.vae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.io.Safetensors;
import javae.engine.kernels.Parallel;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training: the loss falls, checkpoints round-trip, resuming is exact, NaN stops cleanly. */
class TrainerTest {
    private static final VaeConfig TINY = new VaeConfig(1, 8, 2, 0.1f);
    private static final long SEED = 11;

    @TempDir
    Path dir;

    private static ConvVae tinyModel() {
        return new ConvVae(TINY, RandomStreams.stream(SEED, RandomStreams.INIT, 0));
    }

    private static Trainer.Settings settings(Path out, int epochs) {
        return settings(out, epochs, LearningRateSchedule.CONSTANT);
    }

    private static Trainer.Settings settings(Path out, int epochs, LearningRateSchedule schedule) {
        return new Trainer.Settings(epochs, 4, 3e-3f, schedule, SEED, out, 3600);
    }

    /** A listener that asks the trainer to stop after {@code stopAfter} steps (0: never). */
    private static final class Recorder implements Trainer.Listener {
        final long stopAfter;
        Trainer trainer;

        Recorder(long stopAfter) {
            this.stopAfter = stopAfter;
        }

        @Override
        public void onStep(Trainer.StepReport report) {
            if (report.step() == stopAfter) trainer.requestStop();
        }

        @Override
        public void onEpoch(List<EpochMetrics> history) {}
    }

    private static Trainer trainer(ConvVae model, Trainer.Settings settings, ArrayDataset train, Recorder recorder) {
        Trainer t = new Trainer(model, settings, train, new ArrayDataset(8, 1, 8, 99), recorder);
        recorder.trainer = t;
        return t;
    }

    @Test
    void theTrainingLossFalls() throws IOException {
        ArrayDataset images = new ArrayDataset(32, 1, 8, 1);
        List<EpochMetrics> history = trainer(tinyModel(), settings(dir, 6), images, new Recorder(0)).run(false);
        assertEquals(6, history.size());
        double first = history.get(0).trainLoss(), last = history.get(5).trainLoss();
        assertTrue(last < first * 0.9, "train loss should fall by 10% or more: " + first + " -> " + last);
        assertTrue(Double.isFinite(history.get(5).validLoss()));
        assertEquals(7, Files.readAllLines(dir.resolve("metrics.csv")).size(), "header and six rows");
    }

    @Test
    void stoppingAndResumingGivesTheSameCheckpointBitForBit() throws IOException {
        assertStopAndResumeIsExact(LearningRateSchedule.CONSTANT);
    }

    /** The cosine schedule's rate is a function of the step alone, so a resumed run takes the same rates. */
    @Test
    void aCosineScheduleResumesBitForBit() throws IOException {
        assertStopAndResumeIsExact(LearningRateSchedule.COSINE);
    }

    /** Two epochs of 4 steps, straight and stopped in the middle of the first epoch then resumed: the same weights, files and metrics. */
    private void assertStopAndResumeIsExact(LearningRateSchedule schedule) throws IOException {
        ArrayDataset images = new ArrayDataset(16, 1, 8, 2); // 4 steps per epoch of batch 4
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");

        ConvVae a = tinyModel();
        trainer(a, settings(straight, 2, schedule), images, new Recorder(0)).run(false);

        Trainer first = trainer(tinyModel(), settings(resumed, 2, schedule), images, new Recorder(2));
        first.run(false);
        assertTrue(first.stoppedEarly());
        assertTrue(Files.exists(resumed.resolve("checkpoints/step-000000002.safetensors")), "a checkpoint at the stop");
        ConvVae b = tinyModel();
        trainer(b, settings(resumed, 2, schedule), images, new Recorder(0)).run(true);

        assertSameWeights(a.namedParameters(), b.namedParameters());
        byte[] straightFile = Files.readAllBytes(straight.resolve("checkpoints/step-000000008.safetensors"));
        byte[] resumedFile = Files.readAllBytes(resumed.resolve("checkpoints/step-000000008.safetensors"));
        assertArrayEquals(straightFile, resumedFile, "final checkpoints must be identical files");
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(resumed.resolve("metrics.csv")));
    }

    private static void assertSameWeights(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertArrayEquals(e.getValue().data(), actual.get(e.getKey()).data(), 0f, e.getKey());
        }
    }

    /**
     * The cosine schedule's first step takes the base rate (the same weights as a constant rate),
     * its later steps less (other weights); its checkpoints name it with the run's length, which a
     * resume must keep, since every rate depends on it.
     */
    @Test
    void aCosineScheduleStartsAtTheBaseRateAndResumesOnlyOverTheSameEpochs() throws IOException {
        ArrayDataset images = new ArrayDataset(16, 1, 8, 8);
        Map<LearningRateSchedule, ConvVae> models = new EnumMap<>(LearningRateSchedule.class);
        for (LearningRateSchedule schedule : LearningRateSchedule.values()) {
            Path out = dir.resolve(schedule.toString());
            trainer(tinyModel(), settings(out, 2, schedule), images, new Recorder(1)).run(false);
            assertEquals(schedule.describe(2), Checkpoints.read(out.resolve("checkpoints/step-000000001.safetensors")).metadata().get("lr_schedule"));
            ConvVae model = tinyModel();
            trainer(model, settings(out, 2, schedule), images, new Recorder(0)).run(true);
            models.put(schedule, model);
        }
        assertEquals("cosine over 2 epochs", LearningRateSchedule.COSINE.describe(2));
        assertSameWeights(Checkpoints.read(dir.resolve("constant/checkpoints/step-000000001.safetensors")).weights(),
                Checkpoints.read(dir.resolve("cosine/checkpoints/step-000000001.safetensors")).weights());
        float[] constant = models.get(LearningRateSchedule.CONSTANT).namedParameters().get("fc_dec.bias").data();
        float[] cosine = models.get(LearningRateSchedule.COSINE).namedParameters().get("fc_dec.bias").data();
        assertFalse(Arrays.equals(constant, cosine), "after the first step the rates differ, and so do the weights");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(tinyModel(), settings(dir.resolve("cosine"), 3, LearningRateSchedule.COSINE), images, new Recorder(0)).run(true));
        assertTrue(e.getMessage().contains("lr schedule cosine over 2 epochs") && e.getMessage().contains("lr schedule cosine over 3 epochs"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> trainer(tinyModel(), settings(dir.resolve("constant"), 2, LearningRateSchedule.COSINE), images, new Recorder(0)).run(true));
    }

    /** Ctrl-C during the last step: the step and its checkpoint finish, and the run counts as complete. */
    @Test
    void aStopAskedForInTheLastStepLeavesTheRunComplete() throws IOException {
        ArrayDataset images = new ArrayDataset(8, 1, 8, 9); // 2 steps per epoch of batch 4
        Trainer stoppedLast = trainer(tinyModel(), settings(dir, 2), images, new Recorder(4));
        List<EpochMetrics> history = stoppedLast.run(false);
        assertEquals(2, history.size());
        assertFalse(stoppedLast.stoppedEarly(), "every step ran");
        assertEquals(4, stoppedLast.stepsDone());
        assertEquals("4", Checkpoints.read(dir.resolve("checkpoints/step-000000004.safetensors")).metadata().get("step"));

        Trainer stoppedBefore = trainer(tinyModel(), settings(dir.resolve("early"), 2), images, new Recorder(3));
        stoppedBefore.run(false);
        assertTrue(stoppedBefore.stoppedEarly());
        assertEquals(3, stoppedBefore.stepsDone());
        assertTrue(Files.exists(dir.resolve("early/checkpoints/step-000000003.safetensors")));
    }

    /**
     * A full disk while writing a checkpoint (the kernel's ENOSPC: its temporary name links to
     * /dev/full) stops training naming the step, the file and the last good checkpoint; no file
     * appears under the new name, the older checkpoint and metrics.csv stay as they were, and
     * once there is space a resume ends bit for bit like an uninterrupted run.
     */
    @Test
    void aFullDiskStopsTrainingAndKeepsTheLastCheckpointResumable() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
        ArrayDataset images = new ArrayDataset(8, 1, 8, 10); // 2 steps per epoch
        Path straight = dir.resolve("straight"), full = dir.resolve("full");
        trainer(tinyModel(), settings(straight, 2), images, new Recorder(0)).run(false);
        trainer(tinyModel(), settings(full, 1), images, new Recorder(0)).run(false); // the good checkpoint at step 2
        Path good = full.resolve("checkpoints/step-000000002.safetensors"), next = full.resolve("checkpoints/step-000000004.safetensors");
        byte[] goodBytes = Files.readAllBytes(good);
        String csv = Files.readString(full.resolve("metrics.csv"));
        Files.createSymbolicLink(full.resolve("checkpoints/step-000000004.safetensors.tmp"), Path.of("/dev/full"));

        IOException e = assertThrows(IOException.class, () -> trainer(tinyModel(), settings(full, 2), images, new Recorder(0)).run(true));
        assertEquals("training stopped at step 4 (epoch 2): " + next + ": cannot write (No space left on device); the last good checkpoint is " + good,
                e.getMessage());
        assertFalse(Files.exists(next, LinkOption.NOFOLLOW_LINKS), "no file under the new checkpoint's name");
        assertFalse(Files.exists(full.resolve("checkpoints/step-000000004.safetensors.tmp"), LinkOption.NOFOLLOW_LINKS), "no temporary left");
        assertArrayEquals(goodBytes, Files.readAllBytes(good), "the last good checkpoint is untouched");
        assertEquals("2", Checkpoints.read(good).metadata().get("step"));
        assertEquals(csv, Files.readString(full.resolve("metrics.csv")), "metrics.csv still matches the last checkpoint");

        trainer(tinyModel(), settings(full, 2), images, new Recorder(0)).run(true);
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/step-000000004.safetensors")), Files.readAllBytes(next));
        assertEquals(Files.readString(straight.resolve("metrics.csv")), Files.readString(full.resolve("metrics.csv")));
    }

    @Test
    void oneAndThreeThreadsGiveTheSameCheckpointBitForBit() throws IOException {
        ArrayDataset images = new ArrayDataset(8, 1, 8, 6);
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                trainer(tinyModel(), settings(dir.resolve("threads-" + threads), 1), images, new Recorder(0)).run(false);
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("threads-1/checkpoints/step-000000002.safetensors")),
                Files.readAllBytes(dir.resolve("threads-3/checkpoints/step-000000002.safetensors")));
    }

    @Test
    void aCheckpointRoundTripsAndACorruptOneIsRefused() throws IOException {
        ArrayDataset images = new ArrayDataset(8, 1, 8, 3);
        ConvVae model = tinyModel();
        trainer(model, settings(dir, 1), images, new Recorder(0)).run(false);
        Path file = dir.resolve("checkpoints/step-000000002.safetensors");

        Checkpoints.Contents contents = Checkpoints.read(file);
        assertEquals(TINY, contents.config());
        assertEquals("2", contents.metadata().get("step"));
        ConvVae loaded = Checkpoints.loadModel(dir);
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().data(), loaded.namedParameters().get(e.getKey()).data(), 0f, e.getKey());
        }
        assertEquals(3 * model.namedParameters().size(), contents.adamState().size(), "exp_avg, exp_avg_sq and step per parameter");

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40; // one flipped bit in the last tensor's data
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(corrupt));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("corrupt.safetensors"), e.getMessage());

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        IOException t = assertThrows(IOException.class, () -> Checkpoints.read(truncated));
        assertTrue(t.getMessage().contains("truncated.safetensors"), t.getMessage());
    }

    @Test
    void aBareStateDictAsPyTorchSavesItLoadsWithItsConfigurationReadOffTheShapes() throws IOException {
        ConvVae model = new ConvVae(new VaeConfig(1, 32, 6, 0.1f), new Rng(12));
        Path file = dir.resolve("pytorch.safetensors");
        Safetensors.write(file, model.stateDict());
        ConvVae loaded = Checkpoints.loadModel(file);
        assertEquals(model.config(), loaded.config());
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().data(), loaded.namedParameters().get(e.getKey()).data(), 0f, e.getKey());
        }
        Path other = dir.resolve("other.safetensors");
        Safetensors.write(other, Map.of("weight", Tensor.zeros(2, 2)));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.loadModel(other));
        assertTrue(e.getMessage().contains("other.safetensors") && e.getMessage().contains("state dict"), e.getMessage());
    }

    @Test
    void resumeSkipsADamagedNewestCheckpoint() throws IOException {
        ArrayDataset images = new ArrayDataset(16, 1, 8, 4);
        Path straight = dir.resolve("straight"), damaged = dir.resolve("damaged");
        trainer(tinyModel(), settings(straight, 2), images, new Recorder(0)).run(false);

        trainer(tinyModel(), settings(damaged, 2), images, new Recorder(6)).run(false); // checkpoints at 4 and 6
        Path newest = damaged.resolve("checkpoints/step-000000006.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, bytes.length - 100));
        trainer(tinyModel(), settings(damaged, 2), images, new Recorder(0)).run(true); // from step 4

        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/step-000000008.safetensors")),
                Files.readAllBytes(damaged.resolve("checkpoints/step-000000008.safetensors")));
    }

    @Test
    void nanInAnImageStopsTrainingNamingTheStepAndTheImageAndKeepsTheLastCheckpoint() throws IOException {
        ArrayDataset images = new ArrayDataset(16, 1, 8, 5);
        trainer(tinyModel(), settings(dir, 1), images, new Recorder(0)).run(false); // a good checkpoint at step 4
        images.poison(0, Float.NaN); // every epoch meets image 0 once
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer(tinyModel(), settings(dir, 2), images, new Recorder(0)).run(true));
        assertTrue(e.getMessage().matches("training stopped at step \\d+ \\(epoch 2\\): training image 0 holds NaN or infinity.*step-000000004.safetensors"),
                e.getMessage());
        Checkpoints.read(dir.resolve("checkpoints/step-000000004.safetensors")); // still intact
    }

    @Test
    void aLossThatOverflowsStopsTrainingNamingTheStep() throws IOException {
        ArrayDataset images = new ArrayDataset(16, 1, 8, 7);
        images.poison(3, 1e30f); // finite pixels whose squared error overflows float: the loss is infinite
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer(tinyModel(), settings(dir, 1), images, new Recorder(0)).run(false));
        assertTrue(e.getMessage().matches("training stopped at step \\d+ \\(epoch 1\\): the loss is Infinity; no checkpoint was written yet"), e.getMessage());
    }
}
