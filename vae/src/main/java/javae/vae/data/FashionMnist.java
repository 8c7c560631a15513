package javae.vae.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from its IDX files ({@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}; gzipped or plain), by default from Debian's
 * {@code dataset-fashion-mnist} package in {@value #DEFAULT_FOLDER}.
 *
 * <p>Images are 28x28 grey, scaled to [-1, 1] and padded with -1 (black) to 32x32, so the VAE's
 * stride-2 layers halve evenly; one channel. The class is the attribute {@value #LABEL} (0-9,
 * named by {@link #CLASS_NAMES}). Splits: TRAIN is the first 54,000 images of the training file,
 * VALID its last 10% (6,000), TEST the 10,000 of the t10k files.
 */
public final class FashionMnist implements Dataset {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final String DEFAULT_FOLDER = "/usr/share/datasets/fashion-mnist";
    /** The attribute that holds the class number. */
    public static final String LABEL = "label";
    /** The ten class names, by class number. */
    public static final List<String> CLASS_NAMES = List.of(
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int IMAGES_MAGIC = 0x00000803; // unsigned bytes, 3 dimensions
    private static final int LABELS_MAGIC = 0x00000801; // unsigned bytes, 1 dimension
    private static final int PADDED_SIZE = 32;
    private static final double VALID_FRACTION = 0.1;

    private final byte[] pixels; // [all images of the file, rows, cols], unsigned
    private final byte[] labels; // [all images of the file]
    private final int rows, cols;
    private final int first, count; // this split: images first .. first + count - 1 of the file

    private FashionMnist(byte[] pixels, byte[] labels, int rows, int cols, int first, int count) {
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.first = first;
        this.count = count;
    }

    /** Opens a split from {@value #DEFAULT_FOLDER}. */
    public static FashionMnist open(Split split) {
        return open(Path.of(DEFAULT_FOLDER), split);
    }

    /**
     * Opens a split from the IDX files in {@code dir}.
     *
     * @throws DataException naming the file: missing, bad magic number, truncated, a declared count
     *     larger than the file, labels that disagree with the images
     */
    public static FashionMnist open(Path dir, Split split) {
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": folder not found");
        String prefix = split == Split.TEST ? "t10k" : "train";
        Path imageFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelFile = find(dir, prefix + "-labels-idx1-ubyte");
        Idx images = readIdx(imageFile, IMAGES_MAGIC, 3);
        int total = images.dims()[0], rows = images.dims()[1], cols = images.dims()[2];
        if (rows > PADDED_SIZE || cols > PADDED_SIZE) throw new DataException(imageFile + ": " + rows + "x" + cols + " images, at most " + PADDED_SIZE + "x" + PADDED_SIZE + " supported");
        byte[] pixels = images.body();
        Idx labels = readIdx(labelFile, LABELS_MAGIC, 1);
        int labelCount = labels.dims()[0];
        if (labelCount != total) throw new DataException(labelFile + ": " + labelCount + " labels for the " + total + " images of " + imageFile.getFileName());
        byte[] labelBytes = labels.body();
        for (int i = 0; i < labelCount; i++) {
            if ((labelBytes[i] & 0xFF) >= CLASS_NAMES.size()) throw new DataException(labelFile + ": label " + (labelBytes[i] & 0xFF) + " of image " + i + ", expected 0-9");
        }

        int validCount = split == Split.TEST ? 0 : (int) Math.round(total * VALID_FRACTION);
        int first = split == Split.VALID ? total - validCount : 0;
        int count = split == Split.TEST ? total : split == Split.VALID ? validCount : total - validCount;
        return new FashionMnist(pixels, labelBytes, rows, cols, first, count);
    }

    /** Far above Fashion-MNIST's 47 MB of training pixels, far below a heap-breaking size. */
    private static final long MAX_DATA_BYTES = 1L << 30;

    private static Path find(Path dir, String name) {
        for (Path candidate : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new DataException(dir.resolve(name + ".gz") + ": file not found (nor " + name + ")");
    }

    /** An IDX file's dimensions and its data bytes. */
    private record Idx(int[] dims, byte[] body) {}

    /**
     * Reads the header first and then exactly the bytes it declares, so a damaged size or a gzip
     * bomb is refused before anything large is allocated. The IDX header: a magic number (0, 0,
     * type, number of dimensions), then one big-endian int per dimension.
     */
    private static Idx readIdx(Path file, int magic, int dimensions) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            ByteBuffer header = ByteBuffer.wrap(in.readNBytes(4 + 4 * dimensions));
            if (header.remaining() < 4 + 4 * dimensions) throw new DataException(file + ": truncated IDX header (" + header.remaining() + " bytes)");
            int found = header.getInt();
            if (found != magic) throw new DataException(file + ": bad magic number " + String.format("0x%08X", found) + ", expected " + String.format("0x%08X", magic));
            int[] dims = new int[dimensions];
            long expected = 1;
            for (int d = 0; d < dimensions; d++) {
                dims[d] = header.getInt();
                if (dims[d] < 0) throw new DataException(file + ": negative dimension " + dims[d]);
                expected *= dims[d];
                // Checked after every factor: each is below 2^31, so the product cannot overflow first.
                if (expected > MAX_DATA_BYTES) {
                    throw new DataException(file + ": header declares dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1)) + "..., more than the " + MAX_DATA_BYTES + " data bytes this reader accepts");
                }
            }
            byte[] body = in.readNBytes((int) expected);
            if (body.length < expected) {
                throw new DataException(file + ": header declares " + expected + " data bytes, the file has " + body.length + " (truncated?)");
            }
            return new Idx(dims, body);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read, truncated or not gzip (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int height() {
        return PADDED_SIZE;
    }

    @Override
    public int width() {
        return PADDED_SIZE;
    }

    @Override
    public List<String> attributeNames() {
        return List.of(LABEL);
    }

    @Override
    public int attribute(int index, String name) {
        if (!LABEL.equals(name)) throw new IllegalArgumentException("unknown attribute '" + name + "'; Fashion-MNIST has only '" + LABEL + "'");
        return labels[fileIndex(index)] & 0xFF;
    }

    @Override
    public void fillBatch(int[] indices, float[] out) {
        int imageFloats = imageSize();
        if (out.length < indices.length * imageFloats) {
            throw new IllegalArgumentException("batch buffer holds " + out.length + " floats, " + indices.length + " images need " + indices.length * imageFloats);
        }
        int top = (PADDED_SIZE - rows) / 2, left = (PADDED_SIZE - cols) / 2;
        for (int b = 0; b < indices.length; b++) {
            int source = fileIndex(indices[b]) * rows * cols;
            int offset = b * imageFloats;
            Arrays.fill(out, offset, offset + imageFloats, -1f);
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    out[offset + (top + y) * PADDED_SIZE + left + x] = (pixels[source + y * cols + x] & 0xFF) / 127.5f - 1f;
                }
            }
        }
    }

    private int fileIndex(int index) {
        if (index < 0 || index >= count) throw new IllegalArgumentException("image index " + index + " out of range for a split of " + count + " images");
        return first + index;
    }
}
