package javae.vae.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;
import javae.engine.kernels.Parallel;
import javae.vae.ui.ProgressBar;

/**
 * A file of preprocessed images as unsigned bytes {@code [N, C, H, W]}, memory-mapped so that
 * reading a batch costs a copy, not a JPEG decode, and the pixels live outside the Java heap.
 *
 * <p>Layout: a 64-byte header (magic {@code JAVAEU8\n}, then big-endian int version, count,
 * channels, height, width, crop size and a long hash of the inputs), then the pixels. A file whose
 * header does not match what is asked for is rebuilt. Building writes a temporary file and renames
 * it, so a crash never leaves a half-written cache behind.
 */
final class PixelCache {
    private static final byte[] MAGIC = "JAVAEU8\n".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    static final int HEADER_BYTES = 64;
    // A MappedByteBuffer holds at most 2 GB; 1 GB mappings of whole images keep indexing simple.
    private static final long MAPPING_BYTES = 1L << 30;

    private final int imageBytes;
    private final int imagesPerMapping;
    private final MappedByteBuffer[] mappings;

    /** What a cache holds; two caches with equal keys hold the same pixels. */
    record Key(int count, int channels, int height, int width, int cropSize, long inputsHash) {
        int imageBytes() {
            return channels * height * width;
        }
    }

    private PixelCache(Path file, Key key, long mappingBytes) throws IOException {
        int count = key.count();
        this.imageBytes = key.imageBytes();
        this.imagesPerMapping = (int) Math.max(1, mappingBytes / imageBytes);
        int mappingCount = (count + imagesPerMapping - 1) / imagesPerMapping;
        this.mappings = new MappedByteBuffer[mappingCount];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int m = 0; m < mappingCount; m++) {
                long start = HEADER_BYTES + (long) m * imagesPerMapping * imageBytes;
                int images = Math.min(imagesPerMapping, count - m * imagesPerMapping);
                mappings[m] = channel.map(FileChannel.MapMode.READ_ONLY, start, (long) images * imageBytes);
            }
        }
    }

    /**
     * Opens the cache {@code file} if it holds {@code key}; otherwise builds it first, calling
     * {@code fillImage.accept(i, pixels)} for every image i (in parallel) to get its bytes.
     *
     * @return the cache, and whether it had to be built
     */
    static PixelCache openOrBuild(Path file, Key key, BiConsumer<Integer, byte[]> fillImage, ProgressBar progress) {
        return openOrBuild(file, key, fillImage, progress, MAPPING_BYTES);
    }

    /** As above, with mappings of at most {@code mappingBytes} each (small in tests, to cover several). */
    static PixelCache openOrBuild(Path file, Key key, BiConsumer<Integer, byte[]> fillImage, ProgressBar progress, long mappingBytes) {
        try {
            if (!holds(file, key)) build(file, key, fillImage, progress);
            return new PixelCache(file, key, mappingBytes);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read or write the pixel cache (" + e.getMessage() + ")", e);
        }
    }

    /** Whether {@code file} exists, is complete and holds exactly {@code key}. */
    static boolean holds(Path file, Key key) throws IOException {
        if (!Files.isRegularFile(file)) return false;
        if (Files.size(file) != HEADER_BYTES + (long) key.count() * key.imageBytes()) return false;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.read(header, 0) != HEADER_BYTES) return false;
        }
        return header.flip().equals(header(key));
    }

    private static ByteBuffer header(Key key) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        header.put(MAGIC).putInt(VERSION).putInt(key.count()).putInt(key.channels()).putInt(key.height())
            .putInt(key.width()).putInt(key.cropSize()).putLong(key.inputsHash());
        return header.clear();
    }

    private static void build(Path file, Key key, BiConsumer<Integer, byte[]> fillImage, ProgressBar progress) throws IOException {
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                writeFully(channel, header(key), 0);
                Parallel.forEach(key.count(), i -> {
                    byte[] pixels = new byte[key.imageBytes()];
                    fillImage.accept(i, pixels);
                    try {
                        writeFully(channel, ByteBuffer.wrap(pixels), HEADER_BYTES + (long) i * key.imageBytes());
                    } catch (IOException e) {
                        throw new DataException(temporary + ": cannot write the pixel cache (" + e.getMessage() + ")", e);
                    }
                    progress.step();
                });
                channel.force(false);
            }
            moveIntoPlace(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
        progress.finish();
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) position += channel.write(bytes, position);
    }

    private static void moveIntoPlace(Path temporary, Path file) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies the bytes of image {@code index} into {@code pixels} (length: one image). */
    void read(int index, byte[] pixels) {
        mappings[index / imagesPerMapping].get((index % imagesPerMapping) * imageBytes, pixels);
    }
}
