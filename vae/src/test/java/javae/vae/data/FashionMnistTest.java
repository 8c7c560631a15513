package javae.vae.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    private static final int TRAIN = 20, TEST = 10;

    @TempDir
    Path dir;

    // Pixel (y, x) of image i is (i + y + x) mod 256; label of image i is i mod 10.
    private static int pixel(int i, int y, int x) {
        return (i + y + x) % 256;
    }

    private static byte[] images(int magic, int declared, int actual) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(declared);
        out.writeInt(28);
        out.writeInt(28);
        for (int i = 0; i < actual; i++) {
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) out.writeByte(pixel(i, y, x));
        }
        return bytes.toByteArray();
    }

    private static byte[] labels(int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x801);
        out.writeInt(count);
        for (int i = 0; i < count; i++) out.writeByte(i % 10);
        return bytes.toByteArray();
    }

    private void write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(gzip ? name + ".gz" : name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    private void writeAll(boolean gzip) throws IOException {
        write("train-images-idx3-ubyte", images(0x803, TRAIN, TRAIN), gzip);
        write("train-labels-idx1-ubyte", labels(TRAIN), gzip);
        write("t10k-images-idx3-ubyte", images(0x803, TEST, TEST), gzip);
        write("t10k-labels-idx1-ubyte", labels(TEST), gzip);
    }

    private static void assertDataError(String expected, Executable open) {
        DataException error = assertThrows(DataException.class, open);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }

    @Test
    void splitsAreNinetyTenOfTrainAndTheTestFile() throws IOException {
        writeAll(true);
        FashionMnist train = FashionMnist.open(dir, Split.TRAIN), valid = FashionMnist.open(dir, Split.VALID), test = FashionMnist.open(dir, Split.TEST);
        assertEquals(18, train.size());
        assertEquals(2, valid.size());
        assertEquals(10, test.size());
        assertEquals(7, train.attribute(7, "label"));
        assertEquals(8, valid.attribute(0, "label")); // image 18 of the training file
        assertEquals(3, test.attribute(3, FashionMnist.LABEL));
        assertEquals(1, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals(List.of("label"), train.attributeNames());
        assertThrows(IllegalArgumentException.class, () -> train.attribute(0, "Male"));
    }

    @Test
    void pixelsAreScaledAndPaddedWithMinusOne() throws IOException {
        writeAll(false); // plain, not gzipped
        FashionMnist valid = FashionMnist.open(dir, Split.VALID);
        float[] out = new float[2 * 32 * 32];
        valid.fillBatch(new int[] {1, 0}, out);
        // batch image 0 is file image 19
        assertEquals(-1f, out[0]);
        assertEquals(-1f, out[31 * 32 + 31]);
        assertEquals(-1f, out[2 * 32 + 1]);
        assertEquals(pixel(19, 0, 0) / 127.5f - 1f, out[2 * 32 + 2], 1e-6);
        assertEquals(pixel(19, 27, 27) / 127.5f - 1f, out[29 * 32 + 29], 1e-6);
        assertEquals(pixel(18, 5, 9) / 127.5f - 1f, out[32 * 32 + (5 + 2) * 32 + 9 + 2], 1e-6);
        assertEquals(-1f, out[32 * 32 + 30 * 32 + 15]);
    }

    @Test
    void badMagicNumberIsNamed() throws IOException {
        writeAll(true);
        write("train-images-idx3-ubyte", images(0x801, TRAIN, TRAIN), true);
        assertDataError("train-images-idx3-ubyte.gz: bad magic number 0x00000801, expected 0x00000803", () -> FashionMnist.open(dir, Split.TRAIN));
    }

    @Test
    void declaredCountLargerThanTheFileIsNamed() throws IOException {
        writeAll(true);
        write("t10k-images-idx3-ubyte", images(0x803, TEST, TEST - 1), true);
        assertDataError("t10k-images-idx3-ubyte.gz: header declares 7840 data bytes, the file has 7056", () -> FashionMnist.open(dir, Split.TEST));
    }

    @Test
    void truncatedGzipIsNamed() throws IOException {
        writeAll(true);
        Path file = dir.resolve("train-labels-idx1-ubyte.gz");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 12));
        assertDataError("train-labels-idx1-ubyte.gz: cannot read, truncated or not gzip", () -> FashionMnist.open(dir, Split.TRAIN));
    }

    @Test
    void labelsThatDisagreeOrAreMissingAreNamed() throws IOException {
        writeAll(true);
        write("train-labels-idx1-ubyte", labels(TRAIN - 1), true);
        assertDataError("train-labels-idx1-ubyte.gz: 19 labels for the 20 images", () -> FashionMnist.open(dir, Split.TRAIN));
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertDataError("t10k-labels-idx1-ubyte.gz: file not found", () -> FashionMnist.open(dir, Split.TEST));
        assertDataError("nowhere: folder not found", () -> FashionMnist.open(dir.resolve("nowhere"), Split.TEST));
    }

    @Test
    void readsDebiansPackageWhenInstalled() {
        Path debian = Path.of(FashionMnist.DEFAULT_FOLDER);
        Assumptions.assumeTrue(Files.isRegularFile(debian.resolve("t10k-images-idx3-ubyte.gz")), "dataset-fashion-mnist not installed");
        FashionMnist test = FashionMnist.open(Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(9, test.attribute(0, "label")); // the first test image is an ankle boot
        assertEquals("Ankle boot", FashionMnist.CLASS_NAMES.get(9));
    }
}
