package javae.vae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javae.engine.Rng;
import javae.vae.ui.ProgressBar;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class CelebATest {
    private static final int COUNT = 20;
    private static final long SEED = 21;

    // The faces are generated once; every test gets its own copy to damage.
    @TempDir
    static Path generated;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFaces() {
        System.setProperty("javae.progress", "off");
        SyntheticFaces.writeCelebaLayout(generated, COUNT, SEED, ProgressBar.silent());
    }

    @BeforeEach
    void copyFaces() throws IOException {
        Files.createDirectories(dir.resolve("img_align_celeba"));
        try (Stream<Path> files = Files.walk(generated)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, dir.resolve(generated.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private Path image(int oneBased) {
        return dir.resolve("img_align_celeba").resolve(String.format("%06d.jpg", oneBased));
    }

    private float[] batch(Dataset data, int... indices) {
        float[] out = new float[indices.length * data.imageSize()];
        data.fillBatch(indices, out);
        return out;
    }

    /** Opening fails with a DataException whose one-line message names {@code file}. */
    private static DataException assertDataError(String file, Executable open) {
        DataException error = assertThrows(DataException.class, open);
        assertTrue(error.getMessage().contains(file), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
        return error;
    }

    @Test
    void readsWhatTheGeneratorWrote() {
        CelebA train = CelebA.open(dir, Split.TRAIN), valid = CelebA.open(dir, Split.VALID), test = CelebA.open(dir, Split.TEST);
        assertEquals(16, train.size());
        assertEquals(2, valid.size());
        assertEquals(2, test.size());
        assertEquals(3, train.channels());
        assertEquals(64, train.height());
        assertEquals(64, train.width());
        assertEquals(SyntheticFaces.attributeNames(), train.attributeNames());

        SyntheticFaces faces = new SyntheticFaces(SEED);
        List<String> names = train.attributeNames();
        for (int a = 0; a < names.size(); a++) {
            assertEquals(faces.attributes(3)[a], train.attribute(3, names.get(a)), names.get(a));
            assertEquals(faces.attributes(17)[a], valid.attribute(1, names.get(a)), names.get(a));
        }
        assertEquals("000019.jpg", test.imageName(0));
        assertThrows(IllegalArgumentException.class, () -> train.attribute(0, "Blond"));
        assertThrows(IllegalArgumentException.class, () -> valid.attribute(2, "Male"));
    }

    @Test
    void pixelsAreTheGeneratorsFaceCroppedAndResized() {
        CelebA train = CelebA.open(dir, Split.TRAIN);
        float[] loaded = batch(train, 5);
        BufferedImage original = new SyntheticFaces(SEED).image(5);
        byte[] expected = new byte[3 * 64 * 64];
        new CropResize(148, 64).apply(original.getRGB(0, 0, 178, 218, null, 0, 178), 178, 218, expected, 0);
        double meanError = 0, min = 1, max = -1;
        for (int k = 0; k < expected.length; k++) {
            meanError += Math.abs(loaded[k] - ((expected[k] & 0xFF) / 127.5f - 1f));
            min = Math.min(min, loaded[k]);
            max = Math.max(max, loaded[k]);
        }
        meanError /= expected.length;
        assertTrue(meanError < 0.02, "mean difference from the un-compressed face: " + meanError); // JPEG loss only
        assertTrue(min >= -1 && max <= 1 && max - min > 1, "range " + min + " .. " + max);
    }

    @Test
    void batchesHoldTheRequestedImagesInOrder() {
        CelebA train = CelebA.open(dir, Split.TRAIN);
        float[] pair = batch(train, 7, 2);
        int size = train.imageSize();
        assertArrayEquals(batch(train, 7), Arrays.copyOfRange(pair, 0, size));
        assertArrayEquals(batch(train, 2), Arrays.copyOfRange(pair, size, 2 * size));
        assertThrows(IllegalArgumentException.class, () -> train.fillBatch(new int[] {0, 1}, new float[size]));
    }

    @Test
    void secondOpenReadsTheCacheWithoutDecoding() throws IOException {
        float[] first = batch(CelebA.open(dir, Split.TRAIN), 0, 9);
        Path cache = CelebA.cacheFile(dir, 148, 64);
        assertTrue(Files.isRegularFile(cache));
        assertEquals(PixelCache.HEADER_BYTES + COUNT * 3L * 64 * 64, Files.size(cache));
        FileTime built = Files.getLastModifiedTime(cache);

        // Replace every JPEG by garbage of the same size and time: decoding any of them would fail.
        for (int i = 1; i <= COUNT; i++) {
            Path file = image(i);
            FileTime time = Files.getLastModifiedTime(file);
            byte[] garbage = new byte[(int) Files.size(file)];
            Files.write(file, garbage);
            Files.setLastModifiedTime(file, time);
        }
        float[] second = batch(CelebA.open(dir, Split.TRAIN), 0, 9);
        assertArrayEquals(first, second);
        assertEquals(built, Files.getLastModifiedTime(cache));
    }

    @Test
    void changedImagesOrCropRebuildTheCache() throws IOException {
        float[] before = batch(CelebA.open(dir, Split.TRAIN), 0);
        Files.copy(image(2), image(1), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(image(1), FileTime.fromMillis(Files.getLastModifiedTime(image(1)).toMillis() + 5000));
        float[] after = batch(CelebA.open(dir, Split.TRAIN), 0);
        assertArrayEquals(batch(CelebA.open(dir, Split.TRAIN), 1), after, "image 1 is now image 2's picture");
        assertFalse(Arrays.equals(before, after));

        CelebA wide = CelebA.open(dir, Split.TRAIN, 170, 32);
        assertEquals(32, wide.height());
        assertTrue(Files.isRegularFile(dir.resolve("celeba-32x32-crop170.u8")));
    }

    @Test
    void missingFolderOrFilesAreNamed() throws IOException {
        assertDataError("no-such-folder", () -> CelebA.open(dir.resolve("no-such-folder"), Split.TRAIN));
        Files.delete(dir.resolve("list_eval_partition.txt"));
        assertDataError("list_eval_partition.txt", () -> CelebA.open(dir, Split.TRAIN));
        Files.delete(dir.resolve("list_attr_celeba.txt"));
        assertDataError("list_attr_celeba.txt", () -> CelebA.open(dir, Split.TRAIN));
        Files.delete(image(4));
        Files.move(dir.resolve("img_align_celeba"), dir.resolve("images"));
        assertDataError("img_align_celeba", () -> CelebA.open(dir, Split.TRAIN));
    }

    @Test
    void missingImageIsNamed() throws IOException {
        Files.delete(image(4));
        assertDataError("000004.jpg", () -> CelebA.open(dir, Split.TRAIN));
    }

    @Test
    void wrongColumnCountNamesFileAndLine() throws IOException {
        Path file = dir.resolve("list_attr_celeba.txt");
        List<String> lines = Files.readAllLines(file);
        lines.set(4, lines.get(4).substring(0, lines.get(4).length() - 3)); // drop the last value of image 3
        Files.write(file, lines);
        DataException error = assertDataError("list_attr_celeba.txt", () -> CelebA.open(dir, Split.TRAIN));
        assertTrue(error.getMessage().endsWith("list_attr_celeba.txt line 5: 39 values, expected 40"), error.getMessage());
    }

    @Test
    void malformedListFilesAreNamed() throws IOException {
        Path attributes = dir.resolve("list_attr_celeba.txt");
        List<String> lines = Files.readAllLines(attributes);
        Files.write(attributes, lines.subList(0, lines.size() - 1));
        assertDataError("declares 20 images but has 19 rows", () -> CelebA.open(dir, Split.TRAIN));
        lines.set(6, lines.get(6).replace(" -1", "  0"));
        Files.write(attributes, lines);
        assertDataError("list_attr_celeba.txt line 7: value '0'", () -> CelebA.open(dir, Split.TRAIN));
        lines.set(0, "twenty");
        Files.write(attributes, lines);
        assertDataError("list_attr_celeba.txt line 1", () -> CelebA.open(dir, Split.TRAIN));
    }

    @Test
    void partitionFileMustMatchTheAttributeFile() throws IOException {
        Path partition = dir.resolve("list_eval_partition.txt");
        List<String> lines = Files.readAllLines(partition);
        lines.set(6, "000099.jpg 0");
        Files.write(partition, lines);
        assertDataError("list_eval_partition.txt line 7: 000099.jpg", () -> CelebA.open(dir, Split.TRAIN));
        lines.set(6, "000007.jpg 3");
        Files.write(partition, lines);
        assertDataError("list_eval_partition.txt line 7: partition '3'", () -> CelebA.open(dir, Split.TRAIN));
        Files.write(partition, lines.subList(0, 10));
        assertDataError("list_eval_partition.txt: 10 rows", () -> CelebA.open(dir, Split.TRAIN));
    }

    @Test
    void corruptJpegIsNamedAndNoCacheIsLeftBehind() throws IOException {
        byte[] noise = new byte[4000];
        Rng rng = new Rng(3);
        for (int i = 0; i < noise.length; i++) noise[i] = (byte) rng.nextLong();
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8; // a JPEG start marker, then noise
        Files.write(image(6), noise);
        assertDataError("000006.jpg: corrupt or truncated JPEG", () -> CelebA.open(dir, Split.TRAIN));
        assertNoCacheFiles();
        Files.write(image(6), "not a picture".getBytes(StandardCharsets.US_ASCII));
        assertDataError("000006.jpg: not a JPEG", () -> CelebA.open(dir, Split.TRAIN));
    }

    @Test
    void truncatedJpegIsNamed() throws IOException {
        byte[] whole = Files.readAllBytes(image(8));
        Files.write(image(8), Arrays.copyOf(whole, whole.length / 2));
        assertDataError("000008.jpg: corrupt or truncated JPEG", () -> CelebA.open(dir, Split.TRAIN));
        assertNoCacheFiles();
    }

    @Test
    void imageOfAnotherSizeIsNamed() throws IOException {
        ImageIO.write(new BufferedImage(160, 200, BufferedImage.TYPE_INT_RGB), "jpeg", image(12).toFile());
        DataException error = assertDataError("000012.jpg", () -> CelebA.open(dir, Split.TRAIN));
        assertTrue(error.getMessage().contains("160x200 pixels, expected 178x218"), error.getMessage());
        assertDataError("smaller than the 200x200 centre crop", () -> CelebA.open(dir, Split.TRAIN, 200, 64));
    }

    private void assertNoCacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> leftovers = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".u8") || n.endsWith(".tmp")).toList();
            assertEquals(List.of(), leftovers);
        }
    }
}
