package javae.vae.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import javae.engine.fuzz.Fuzzer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged data files, from seeded mutations of small valid ones: JPEGs (through the
 * CelebA loader's decoder and through a whole {@link CelebA#open}), the attribute and partition
 * lists, and Fashion-MNIST's IDX files plain and gzipped. Every case is read or refused with a
 * {@link DataException} whose one line names the file; never another exception, an
 * OutOfMemoryError from a declared size, or a hang. The case counts are printed and asserted.
 */
class FuzzDataReadersTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final int IMAGES = 3, CROP = 16, SIZE = 8;
    /** Characters of the list files: a mutation among them keeps the file looking like a list. */
    private static final String LIST_CHARACTERS = "0123456789-1 \t\n.jpgx/";

    @TempDir
    Path dir;

    private byte[] jpeg, attributeList, partitionList;

    @BeforeAll
    static void quietProgress() {
        System.setProperty("javae.progress", "off");
    }

    /** A tiny CelebA layout: three 24x20 JPEGs (cropped to 16, resized to 8) and their two lists. */
    @BeforeEach
    void writeLayout() throws IOException {
        jpeg = smallJpeg();
        Path images = Files.createDirectories(dir.resolve(CelebaNames.IMAGE_FOLDER));
        StringBuilder attributes = new StringBuilder(IMAGES + "\nSmiling Male Young\n");
        StringBuilder partition = new StringBuilder();
        for (int i = 0; i < IMAGES; i++) {
            String name = CelebaNames.imageName(i);
            Files.write(images.resolve(name), jpeg);
            attributes.append(name).append(i % 2 == 0 ? "  1 -1  1\n" : " -1  1 -1\n");
            partition.append(name).append(' ').append(i).append('\n');
        }
        attributeList = attributes.toString().getBytes(StandardCharsets.US_ASCII);
        partitionList = partition.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve(CelebaNames.ATTRIBUTE_FILE), attributeList);
        Files.write(dir.resolve(CelebaNames.PARTITION_FILE), partitionList);
    }

    @Test
    void jpegsAreDecodedOrRefusedClearly() {
        Fuzzer fuzz = new Fuzzer("jpeg", dir.resolve("case.jpg"), 71, CelebA::decodeJpeg, DataException.class);
        int sof = startOfFrame(jpeg);
        String summary = fuzz.check(LIMIT, () -> {
            fuzz.truncations("jpeg", jpeg);
            fuzz.byteFlips("jpeg", jpeg, 1200);
            fuzz.byteFlips("jpeg header", jpeg, 0, sof + 10, 400);
            fuzz.splices("jpeg", jpeg, 300);
            fuzz.declaredSizes("jpeg height", jpeg, sof + 5, 2, ByteOrder.BIG_ENDIAN);
            fuzz.declaredSizes("jpeg width", jpeg, sof + 7, 2, ByteOrder.BIG_ENDIAN);
            for (int side : new int[] {0, 1, 4096, 16384, 20000, 26000, 30000, 46341, 65535}) {
                byte[] huge = jpeg.clone();
                ByteBuffer.wrap(huge).order(ByteOrder.BIG_ENDIAN).putShort(sof + 5, (short) side).putShort(sof + 7, (short) side);
                fuzz.run("jpeg declaring " + side + "x" + side + " pixels", huge);
            }
            for (int n = 0; n < 50; n++) fuzz.run("garbage after the start marker", Fuzzer.concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, fuzz.garbage(n * 5)));
        });
        assertTrue(fuzz.cases() >= 2500, summary);
    }

    @Test
    void celebaOpenRefusesDamagedImagesClearly() {
        Path image = dir.resolve(CelebaNames.IMAGE_FOLDER).resolve(CelebaNames.imageName(1));
        Path cache = CelebA.cacheFile(dir, CROP, SIZE);
        // The cache is deleted before each case, so every damaged image is decoded for real.
        Fuzzer fuzz = new Fuzzer("celeba image", image, 72, file -> {
            Files.deleteIfExists(cache);
            CelebA.open(dir, Split.TRAIN, CROP, SIZE);
        }, DataException.class);
        String summary = fuzz.check(LIMIT, () -> {
            fuzz.randomTruncations("image 2", jpeg, 100);
            fuzz.byteFlips("image 2", jpeg, 150);
            fuzz.declaredSizes("image 2 height", jpeg, startOfFrame(jpeg) + 5, 2, ByteOrder.BIG_ENDIAN);
        });
        assertTrue(fuzz.cases() >= 250, summary);
    }

    @Test
    void attributeListsAreReadOrRefusedClearly() {
        Fuzzer fuzz = new Fuzzer("attribute list", dir.resolve(CelebaNames.ATTRIBUTE_FILE), 73,
                file -> CelebA.open(dir, Split.TRAIN, CROP, SIZE), DataException.class);
        String summary = fuzz.check(LIMIT, () -> listCases(fuzz, attributeList));
        assertTrue(fuzz.cases() >= 1000, summary);
    }

    @Test
    void partitionListsAreReadOrRefusedClearly() {
        Fuzzer fuzz = new Fuzzer("partition list", dir.resolve(CelebaNames.PARTITION_FILE), 74,
                file -> CelebA.open(dir, Split.VALID, CROP, SIZE), DataException.class);
        String summary = fuzz.check(LIMIT, () -> listCases(fuzz, partitionList));
        assertTrue(fuzz.cases() >= 1000, summary);
    }

    private static void listCases(Fuzzer fuzz, byte[] valid) {
        fuzz.truncations("list", valid);
        fuzz.byteFlips("list", valid, 400);
        fuzz.textEdits("list", valid, 0, valid.length, LIST_CHARACTERS, 600);
        fuzz.splices("list", valid, 200);
        // Image names no file system accepts, or that leave the image folder.
        for (String name : new String[] {"00\u00001.jpg", "../000001.jpg", "/000001.jpg", "a/../../b.jpg"}) {
            String text = new String(valid, StandardCharsets.ISO_8859_1);
            fuzz.run("image name " + name.replace("\u0000", "\\0"), text.replace("000001.jpg", name).getBytes(StandardCharsets.ISO_8859_1));
        }
        for (String count : new String[] {"2147483647", "-3", "99999999999", "3.0", "", "0x3"}) {
            String text = new String(valid, StandardCharsets.US_ASCII);
            fuzz.run("first line " + count, (count + text.substring(text.indexOf('\n'))).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void idxFilesPlainAndGzippedAreReadOrRefusedClearly() throws IOException {
        byte[] images = idx(0x0803, new int[] {6, 4, 4}, 96), labels = idx(0x0801, new int[] {6}, 6);
        int total = 0;
        for (boolean gzipped : new boolean[] {false, true}) {
            for (String kind : new String[] {"images", "labels"}) {
                Path folder = Files.createDirectories(dir.resolve("fashion-" + kind + (gzipped ? "-gz" : "")));
                String suffix = gzipped ? ".gz" : "";
                Files.write(folder.resolve("train-images-idx3-ubyte" + suffix), gzipped ? gzip(images) : images);
                Files.write(folder.resolve("train-labels-idx1-ubyte" + suffix), gzipped ? gzip(labels) : labels);
                Path target = folder.resolve("train-" + kind + (kind.equals("images") ? "-idx3-ubyte" : "-idx1-ubyte") + suffix);
                byte[] valid = kind.equals("images") ? images : labels;
                total += fuzzIdx(kind + (gzipped ? " gz" : ""), target, valid, gzipped);
            }
        }
        assertTrue(total >= 4000, "IDX fuzz: " + total + " cases in all");
    }

    private static int fuzzIdx(String name, Path target, byte[] valid, boolean gzipped) {
        Path folder = target.getParent();
        Fuzzer fuzz = new Fuzzer("IDX " + name, target, 75 + name.hashCode(), file -> FashionMnist.open(folder, Split.TRAIN), DataException.class);
        fuzz.check(LIMIT, () -> {
            // Mutations of the IDX bytes, gzipped afterwards when the file is gzipped.
            byte[] source = valid;
            if (!gzipped) {
                fuzz.truncations(name, source);
                fuzz.byteFlips(name, source, 650);
                fuzz.splices(name, source, 150);
                for (int field = 0; field < 4 && 4 * field + 4 <= source.length; field++) {
                    fuzz.declaredSizes(name + " header field " + field, source, 4 * field, 4, ByteOrder.BIG_ENDIAN);
                }
            } else {
                byte[] compressed = gzip(source);
                fuzz.truncations(name + " (compressed)", compressed);
                fuzz.byteFlips(name + " (compressed)", compressed, 650);
                fuzz.splices(name + " (compressed)", compressed, 150);
                for (int i = 0; i < 300; i++) {
                    byte[] idx = source.clone();
                    int at = fuzz.rng().nextInt(Math.min(16, idx.length));
                    idx[at] ^= (byte) (1 + fuzz.rng().nextInt(255));
                    fuzz.run(name + " header byte " + at + " changed, then gzipped", gzip(idx));
                }
            }
        });
        return fuzz.cases();
    }

    /** Unmutated, the layout and the IDX files read, so the fuzzers start from valid files. */
    @Test
    void unmutatedFilesRead() throws IOException {
        assertEquals(1, CelebA.open(dir, Split.TRAIN, CROP, SIZE).size());
        Path folder = Files.createDirectories(dir.resolve("fashion"));
        Files.write(folder.resolve("train-images-idx3-ubyte.gz"), gzip(idx(0x0803, new int[] {6, 4, 4}, 96)));
        Files.write(folder.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {6}, 6));
        assertEquals(5, FashionMnist.open(folder, Split.TRAIN).size());
    }

    // ---- Seeds ---------------------------------------------------------------------------------

    /** A 24x20 JPEG with some structure (gradients and a bright square), a few hundred bytes. */
    private static byte[] smallJpeg() throws IOException {
        BufferedImage image = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 24; x++) {
                boolean square = x > 8 && x < 16 && y > 6 && y < 14;
                image.setRGB(x, y, square ? 0xF0F0F0 : (x * 10) << 16 | (y * 12) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** The offset of the start-of-frame marker (FFC0, baseline) whose fields +5 and +7 are height and width. */
    private static int startOfFrame(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) return i;
        }
        throw new IllegalStateException("no baseline start-of-frame marker in the test JPEG");
    }

    /** An IDX file: magic, big-endian dimensions, then {@code bytes} data bytes (values 0..9, valid as labels too). */
    private static byte[] idx(int magic, int[] dims, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + bytes).order(ByteOrder.BIG_ENDIAN);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < bytes; i++) b.put((byte) (i % 10));
        return b.array();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
