package javae.vae.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javae.engine.Tensor;
import javae.engine.fuzz.Fuzzer;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged checkpoints: truncated, with flipped bytes anywhere (data, shapes, metadata such as the
 * step or the history), or of another architecture. Each is refused with one line naming the file,
 * or, if it is read, means exactly what the undamaged file meant: a damaged checkpoint must never
 * resume a run silently from the wrong state.
 */
class CheckpointCorruptionTest {
    private static final VaeConfig TINY = new VaeConfig(1, 8, 2, 0.1f);
    private static final long SEED = 13;
    /** Characters that keep a damaged header looking like JSON with numbers. */
    private static final String HEADER_CHARACTERS = "0123456789-.,:[]{}\"eE ";

    @TempDir
    Path dir;

    private Path checkpoint;
    private Checkpoints.Contents original;

    /** One epoch of 2 steps on 8 tiny images: checkpoints at step 2. */
    @BeforeEach
    void train() throws IOException {
        train(dir.resolve("run"), TINY, 1, false);
        checkpoint = dir.resolve("run/checkpoints/step-000000002.safetensors");
        original = Checkpoints.read(checkpoint);
    }

    private static List<EpochMetrics> train(Path out, VaeConfig config, int epochs, boolean resume) throws IOException {
        ConvVae model = new ConvVae(config, RandomStreams.stream(SEED, RandomStreams.INIT, 0));
        Trainer.Settings settings = new Trainer.Settings(epochs, 4, 3e-3f, LearningRateSchedule.CONSTANT, SEED, out, 3600);
        Trainer trainer = new Trainer(model, settings, new ArrayDataset(8, 1, 8, 3), new ArrayDataset(4, 1, 8, 4), new Trainer.Listener() {
            @Override
            public void onStep(Trainer.StepReport report) {}

            @Override
            public void onEpoch(List<EpochMetrics> history) {}
        });
        return trainer.run(resume);
    }

    @Test
    void damagedCheckpointsAreRefusedOrMeanTheSame() throws IOException {
        byte[] valid = Files.readAllBytes(checkpoint);
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Fuzzer fuzz = new Fuzzer("checkpoint", dir.resolve("damaged.safetensors"), 91, file -> {
            Checkpoints.Contents read = Checkpoints.read(file);
            // Read despite the damage: then it must say exactly what the original says.
            assertEquals(original.metadata(), read.metadata(), "metadata of a damaged checkpoint that was accepted");
            assertSameTensors(original.weights(), read.weights());
            assertSameTensors(original.adamState(), read.adamState());
        }, IOException.class);
        String summary = fuzz.check(Duration.ofSeconds(120), () -> {
            fuzz.randomTruncations("checkpoint", valid, 30);
            fuzz.byteFlips("checkpoint data", valid, headerEnd, valid.length, 30);
            fuzz.textEdits("checkpoint header", valid, 8, headerEnd, HEADER_CHARACTERS, 200);
            fuzz.declaredSizes("checkpoint", valid, 0, 8, ByteOrder.LITTLE_ENDIAN);
        });
        assertTrue(fuzz.cases() >= 250, summary);
    }

    @Test
    void resumeFallsBackToTheNewestIntactCheckpoint() throws IOException {
        // Two epochs straight, and the same run stopped after epoch 1 whose newest checkpoint is then damaged.
        Path straight = dir.resolve("straight"), damaged = dir.resolve("damaged");
        train(straight, TINY, 2, false);
        train(damaged, TINY, 1, false);
        Path older = damaged.resolve("checkpoints/step-000000002.safetensors");
        Path newer = damaged.resolve("checkpoints/step-000000003.safetensors");
        Files.copy(older, newer); // a stand-in newer file, then damaged in its metadata
        byte[] bytes = Files.readAllBytes(newer);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int step = text.indexOf("\"step\":\"2\"");
        assertTrue(step > 0, "the step is in the metadata");
        bytes[step + "\"step\":\"".length()] = '3';
        Files.write(newer, bytes);

        IOException refused = assertThrows(IOException.class, () -> Checkpoints.read(newer));
        assertTrue(refused.getMessage().contains(newer.getFileName().toString()), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());

        train(damaged, TINY, 2, true);
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoints/step-000000004.safetensors")),
                Files.readAllBytes(damaged.resolve("checkpoints/step-000000004.safetensors")),
                "resumed from step 2, not from the damaged file's step 3");
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRefusedInOneLine() {
        VaeConfig wider = new VaeConfig(1, 8, 3, 0.1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(dir.resolve("run"), wider, 2, true));
        assertTrue(e.getMessage().contains(checkpoint.getFileName().toString()) && e.getMessage().contains("another run"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void onlyDamagedCheckpointsLeaveNothingToResume() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        Files.write(checkpoint, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        IOException e = assertThrows(IOException.class, () -> train(dir.resolve("run"), TINY, 2, true));
        assertTrue(e.getMessage().contains("no intact checkpoint"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aTemporaryFileLeftByAKilledWriteIsRemoved() throws IOException {
        Path stale = dir.resolve("run/checkpoints/step-000000001.safetensors.tmp");
        Files.write(stale, new byte[1000]); // what SIGKILL in the middle of a checkpoint write leaves
        train(dir.resolve("run"), TINY, 2, true);
        assertFalse(Files.exists(stale), "the stale temporary file was removed by the next checkpoint");
        assertTrue(Files.exists(dir.resolve("run/checkpoints/step-000000004.safetensors")));
    }

    /** A damaged format tag must not send a checkpoint down the unchecked path for bare PyTorch state dicts. */
    @Test
    void aCheckpointWithADamagedFormatTagIsNotLoaded() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int tag = text.indexOf("checkpoint/1");
        assertTrue(tag > 0, "the format tag is in the metadata");
        bytes[tag + "checkpoint/".length()] = '7';
        Path damaged = dir.resolve("damaged-format.safetensors");
        Files.write(damaged, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.loadModel(damaged));
        assertTrue(e.getMessage().contains(damaged.getFileName().toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "tensor names");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            assertEquals(e.getValue().shape(), actual.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), actual.get(e.getKey()).data(), 0f, e.getKey());
        }
    }
}
