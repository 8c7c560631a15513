package javae.vae.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.io.Safetensors;
import javae.engine.optim.Adam;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import javae.vae.report.AtomicFiles;

/**
 * The checkpoints of a training run: safetensors files {@code step-000001234.safetensors} in one
 * folder, each holding the model's parameters under their PyTorch names, Adam's moments under
 * {@code adam.<parameter>.<buffer>} (PyTorch's exp_avg, exp_avg_sq, step), and in the metadata the model configuration, the step, the
 * seed (which with the step is the whole random state, see {@link RandomStreams}), the running
 * sums of the current epoch, the history so far, and a CRC-32 of every tensor and of all that
 * metadata (a damaged step or history must not resume a run from the wrong state).
 *
 * <p>Files are written with {@link AtomicFiles}: to a temporary name, forced to disk and renamed,
 * so a crash or a full disk leaves either the old file set or the new one, never half a
 * checkpoint. The three newest are kept; resuming takes the newest intact one and warns about any
 * damaged newer file.
 */
public final class Checkpoints {
    private static final String FORMAT = "javae-conv-vae-checkpoint/1";
    private static final String ADAM_PREFIX = "adam.";
    private static final int KEEP = 3;
    private static final String CHECKSUM = "crc32";
    private static final Pattern FILE_NAME = Pattern.compile("step-(\\d+)\\.safetensors");
    private static final Pattern TEMPORARY_NAME = Pattern.compile("step-\\d+\\.safetensors\\.tmp");

    private final Path dir;

    Checkpoints(Path dir) {
        this.dir = dir;
    }

    /** A checkpoint's contents after its checksum and format were verified. */
    public record Contents(Path file, VaeConfig config, Map<String, Tensor> weights, Map<String, Tensor> adamState,
                           Map<String, String> metadata) {}

    // ---- Writing -------------------------------------------------------------------------------

    void save(ConvVae model, Adam adam, Trainer.Settings settings, int trainImages, TrainingState state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.namedParameters());
        adam.stateDict().forEach((name, t) -> tensors.put(ADAM_PREFIX + name, t));
        VaeConfig config = model.config();
        double[] sums = state.epochSums();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("channels", Integer.toString(config.channels()));
        metadata.put("image_size", Integer.toString(config.imageSize()));
        metadata.put("dim_z", Integer.toString(config.dimZ()));
        metadata.put("var_x", Float.toString(config.varX()));
        metadata.put("seed", Long.toString(settings.seed()));
        metadata.put("batch", Integer.toString(settings.batchSize()));
        metadata.put("train_images", Integer.toString(trainImages));
        metadata.put("lr", Float.toString(settings.learningRate()));
        metadata.put("lr_schedule", settings.lrSchedule().describe(settings.epochs()));
        metadata.put("step", Long.toString(state.step()));
        metadata.put("epoch_sums", sums[0] + "," + sums[1] + "," + sums[2] + "," + (int) sums[3]);
        StringBuilder history = new StringBuilder();
        for (EpochMetrics row : state.history()) history.append(row.toCsv()).append(';');
        metadata.put("history", history.toString());
        metadata.put(CHECKSUM, checksum(tensors, metadata));

        Path file = dir.resolve(String.format("step-%09d.safetensors", state.step()));
        AtomicFiles.write(file, temporary -> Safetensors.write(temporary, tensors, metadata));
        List<Path> all = list(dir);
        for (int i = KEEP; i < all.size(); i++) Files.deleteIfExists(all.get(i));
        deleteTemporariesOfKilledRuns();
    }

    /** A run killed while writing a checkpoint leaves its temporary file behind; nothing will ever rename it. */
    private void deleteTemporariesOfKilledRuns() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path stale : files.filter(f -> TEMPORARY_NAME.matcher(f.getFileName().toString()).matches()).toList()) Files.deleteIfExists(stale);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    // ---- Reading -------------------------------------------------------------------------------

    /** The newest checkpoint file, or null when there is none. */
    Path newest() {
        try {
            List<Path> all = list(dir);
            return all.isEmpty() ? null : all.get(0);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Loads the newest intact checkpoint into the model and optimizer and returns the state to go
     * on from. A damaged file is skipped with a warning on stderr; a checkpoint of another
     * configuration (image size, dim_z, var_x, seed, batch, number of training images) is refused, since resuming it could not
     * continue the same run.
     */
    TrainingState restoreNewest(ConvVae model, Adam adam, Trainer.Settings settings, int trainImages) throws IOException {
        List<Path> all = Files.isDirectory(dir) ? list(dir) : List.of();
        if (all.isEmpty()) throw new IOException("--resume: no checkpoint in " + dir);
        for (Path file : all) {
            Contents contents;
            try {
                contents = read(file);
            } catch (IOException e) {
                System.err.println("javae: warning: skipping damaged checkpoint: " + e.getMessage());
                continue;
            }
            checkSameRun(contents, model, settings, trainImages);
            model.loadStateDict(contents.weights());
            adam.loadStateDict(contents.adamState());
            return stateOf(contents.metadata());
        }
        throw new IOException("--resume: no intact checkpoint in " + dir + " (" + all.size() + " damaged)");
    }

    /**
     * Reads and verifies one checkpoint: the format, the configuration and the checksum.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such checkpoint file");
        Map<String, Tensor> tensors;
        Map<String, String> metadata;
        try {
            tensors = Safetensors.read(file);
            metadata = Safetensors.readMetadata(file);
        } catch (IOException | RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            throw new IOException(reason.contains(file.toString()) ? reason : file + ": not a readable checkpoint (" + reason + ")", e);
        }
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new IOException(file + ": not a javae VAE checkpoint (format " + metadata.get("format") + ")");
        }
        String expected = metadata.get(CHECKSUM);
        String actual = checksum(tensors, metadata);
        if (!actual.equals(expected)) throw new IOException(file + ": checksum mismatch (" + actual + ", recorded " + expected + "): the file is corrupt");
        VaeConfig config;
        try {
            config = new VaeConfig(Integer.parseInt(metadata.get("channels")), Integer.parseInt(metadata.get("image_size")),
                    Integer.parseInt(metadata.get("dim_z")), Float.parseFloat(metadata.get("var_x")));
        } catch (RuntimeException e) {
            throw new IOException(file + ": bad model configuration in the metadata (" + e.getMessage() + ")", e);
        }
        Map<String, Tensor> weights = new LinkedHashMap<>(), adamState = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (name.startsWith(ADAM_PREFIX)) adamState.put(name.substring(ADAM_PREFIX.length()), t);
            else weights.put(name, t);
        });
        return new Contents(file, config, weights, adamState, metadata);
    }

    /**
     * The trained model in a checkpoint file, or in the newest checkpoint of a training output
     * folder (its checkpoints/ subfolder) or of a checkpoints folder. A plain state dict saved from
     * PyTorch ({@code safetensors.torch.save_file(model.state_dict(), ...)} with the layer names of
     * vae_parity.py) loads too: its configuration is read off the tensor shapes, var_x from the
     * metadata if present, else the default.
     */
    public static ConvVae loadModel(Path fileOrFolder) throws IOException {
        Path file = fileOrFolder;
        if (Files.isDirectory(fileOrFolder)) {
            Path sub = fileOrFolder.resolve("checkpoints");
            List<Path> all = list(Files.isDirectory(sub) ? sub : fileOrFolder);
            if (all.isEmpty()) throw new IOException(fileOrFolder + ": no checkpoint (step-*.safetensors) in this folder");
            file = all.get(0);
        }
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such checkpoint file");
        VaeConfig config;
        Map<String, Tensor> weights;
        if (FORMAT.equals(readMetadata(file).get("format"))) {
            Contents contents = read(file);
            config = contents.config();
            weights = contents.weights();
        } else {
            weights = Safetensors.read(file);
            config = configOfStateDict(file, weights, readMetadata(file));
        }
        ConvVae model = new ConvVae(config, new Rng(0));
        try {
            model.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return model;
    }

    private static Map<String, String> readMetadata(Path file) throws IOException {
        try {
            return Safetensors.readMetadata(file);
        } catch (IOException | RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            throw new IOException(reason.contains(file.toString()) ? reason : file + ": not a readable checkpoint (" + reason + ")", e);
        }
    }

    /** The configuration of a bare ConvVae state dict: channels from conv1, image size from the number of convs, dim_z from fc_dec. */
    private static VaeConfig configOfStateDict(Path file, Map<String, Tensor> weights, Map<String, String> metadata) throws IOException {
        Tensor conv1 = weights.get("conv1.weight"), fcDec = weights.get("fc_dec.weight");
        if (conv1 == null || fcDec == null || conv1.rank() != 4 || fcDec.rank() != 2) {
            throw new IOException(file + ": neither a javae checkpoint nor a ConvVae state dict (no conv1.weight and fc_dec.weight)");
        }
        int convs = 0;
        while (weights.containsKey("conv" + (convs + 1) + ".weight")) convs++;
        try {
            float varX = metadata.containsKey("var_x") ? Float.parseFloat(metadata.get("var_x")) : VaeConfig.DEFAULT_VAR_X;
            return new VaeConfig(conv1.dim(1), 4 << (convs - 1), fcDec.dim(1), varX);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a ConvVae state dict (" + e.getMessage() + ")", e);
        }
    }

    private static void checkSameRun(Contents contents, ConvVae model, Trainer.Settings settings, int trainImages) {
        Map<String, String> m = contents.metadata();
        // A cosine schedule's rates depend on the run's length, so it must resume with the same epochs; older checkpoints had no schedule.
        String theirs = contents.config() + ", seed " + m.get("seed") + ", batch " + m.get("batch") + ", " + m.get("train_images") + " training images"
                + ", lr schedule " + m.getOrDefault("lr_schedule", LearningRateSchedule.CONSTANT.toString());
        String ours = model.config() + ", seed " + settings.seed() + ", batch " + settings.batchSize() + ", " + trainImages + " training images"
                + ", lr schedule " + settings.lrSchedule().describe(settings.epochs());
        if (!theirs.equals(ours)) {
            throw new IllegalArgumentException("--resume: " + contents.file() + " belongs to another run (" + theirs + "); this run asks for " + ours);
        }
    }

    private static TrainingState stateOf(Map<String, String> metadata) {
        String[] sums = metadata.get("epoch_sums").split(",");
        List<EpochMetrics> history = new ArrayList<>();
        for (String row : metadata.get("history").split(";")) {
            if (!row.isEmpty()) history.add(EpochMetrics.fromCsv(row));
        }
        return new TrainingState(Long.parseLong(metadata.get("step")), Double.parseDouble(sums[0]), Double.parseDouble(sums[1]),
                Double.parseDouble(sums[2]), Integer.parseInt(sums[3]), history);
    }

    /** Checkpoint files, newest (highest step) first. */
    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(Checkpoints::stepOf).reversed())
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static long stepOf(Path file) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** CRC-32 of every tensor's name, shape and float bits, in order, then of every metadata entry but the checksum. */
    private static String checksum(Map<String, Tensor> tensors, Map<String, String> metadata) {
        CRC32 crc = new CRC32();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            crc.update(e.getValue().shape().toString().getBytes(StandardCharsets.UTF_8));
            float[] data = e.getValue().data();
            ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(data);
            crc.update(bytes);
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (m.getKey().equals(CHECKSUM)) continue;
            crc.update((m.getKey() + '\0' + m.getValue() + '\0').getBytes(StandardCharsets.UTF_8));
        }
        return String.format("%08x", crc.getValue());
    }
}
