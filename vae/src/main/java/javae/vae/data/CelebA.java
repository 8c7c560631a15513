package javae.vae.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javae.vae.ui.ProgressBar;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * CelebA (or the synthetic faces) in its published layout:
 * <pre>
 * DIR/img_align_celeba/000001.jpg ...   aligned crops, all the same size (178x218 for CelebA)
 * DIR/list_attr_celeba.txt              the count, 40 attribute names, one row of 1/-1 per image
 * DIR/list_eval_partition.txt           one row per image: 0 train, 1 valid, 2 test
 * </pre>
 * Images are centre-cropped to a square (148 by default) and resized by area averaging to
 * {@code imageSize} (64 by default), RGB.
 *
 * <p>The first {@link #open} decodes every JPEG once, with a progress bar, into a pixel cache next
 * to the data ({@code celeba-64x64-crop148.u8}: a header, then uint8 {@code [N, 3, 64, 64]}); every
 * later open memory-maps that file, so epochs never decode JPEG again and the pixels stay outside
 * the Java heap (the 202,599 CelebA images are 2.5 GB of cache and need no heap). The cache is
 * rebuilt when the list of images, their sizes or modification times, the crop or the size change.
 * If the data folder is not writable the cache goes to {@code ~/.cache/javae} instead.
 */
public final class CelebA implements Dataset {
    /** The usual centre crop for CelebA's 178x218 aligned images. */
    public static final int DEFAULT_CROP = 148;
    /** The usual image size after resizing. */
    public static final int DEFAULT_IMAGE_SIZE = 64;

    private static final int CHANNELS = 3;
    /**
     * Larger sides are refused before decoding: no aligned face crop is that big, and a corrupt
     * header declaring, say, 20000x20000 would otherwise allocate gigabytes and decode for seconds.
     */
    static final int MAX_IMAGE_SIDE = 4096;

    private final int imageSize;
    private final List<String> imageNames; // all images
    private final List<String> attributeNames;
    private final Map<String, Integer> attributeColumns = new HashMap<>();
    private final byte[] attributes; // [all images, attributes]
    private final int[] rows;        // this split's images, as indices into all images
    private final PixelCache cache;  // all images

    private CelebA(int imageSize, CelebaLists lists, int[] rows, PixelCache cache) {
        this.imageSize = imageSize;
        this.imageNames = lists.imageNames;
        this.attributeNames = lists.attributeNames;
        for (int a = 0; a < attributeNames.size(); a++) attributeColumns.put(attributeNames.get(a), a);
        this.attributes = lists.attributes;
        this.rows = rows;
        this.cache = cache;
    }

    /** {@link #open(Path, Split, int, int)} with the default crop (148) and size (64). */
    public static CelebA open(Path dir, Split split) {
        return open(dir, split, DEFAULT_CROP, DEFAULT_IMAGE_SIZE);
    }

    /**
     * Opens the split of the CelebA layout in {@code dir}, building the pixel cache first if needed
     * (with a progress bar on standard error).
     *
     * @throws DataException naming the file and the problem: missing folder or file, malformed list
     *     file, list files that disagree, corrupt or truncated JPEG, an image of another size
     * @throws IllegalArgumentException if {@code cropSize < imageSize}
     */
    public static CelebA open(Path dir, Split split, int cropSize, int imageSize) {
        CropResize resize = new CropResize(cropSize, imageSize);
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": folder not found");
        Path imageDir = dir.resolve(CelebaNames.IMAGE_FOLDER);
        if (!Files.isDirectory(imageDir)) throw new DataException(imageDir + ": folder not found");
        CelebaLists lists = CelebaLists.read(dir);

        PixelCache.Key key = new PixelCache.Key(lists.imageNames.size(), CHANNELS, imageSize, imageSize, cropSize,
            inputsHash(imageDir, lists.imageNames));
        Path cacheFile = cacheFile(dir, cropSize, imageSize);
        ProgressBar progress = ProgressBar.create("caching " + imageDir.getFileName() + " " + imageSize + "x" + imageSize,
            lists.imageNames.size(), "img");
        ImageChecker checker = new ImageChecker(imageDir, cropSize);
        PixelCache cache = PixelCache.openOrBuild(cacheFile, key, (i, pixels) -> {
            String name = lists.imageNames.get(i);
            BufferedImage image = decodeJpeg(imageDir.resolve(name));
            checker.check(name, image);
            int width = image.getWidth(), height = image.getHeight();
            resize.apply(image.getRGB(0, 0, width, height, null, 0, width), width, height, pixels, 0);
        }, progress);
        return new CelebA(imageSize, lists, lists.indicesOf(split), cache);
    }

    /**
     * Where the pixel cache of {@code dir} for this crop and size lives: in {@code dir}, e.g.
     * {@code celeba-64x64-crop148.u8}, or under {@code ~/.cache/javae} if {@code dir} is not writable.
     */
    public static Path cacheFile(Path dir, int cropSize, int imageSize) {
        String name = "celeba-" + imageSize + "x" + imageSize + "-crop" + cropSize + ".u8";
        if (Files.isWritable(dir)) return dir.resolve(name);
        String folderTag = Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode());
        Path fallback = Path.of(System.getProperty("user.home"), ".cache", "javae");
        try {
            Files.createDirectories(fallback);
        } catch (IOException e) {
            throw new DataException(dir + ": not writable, and neither is " + fallback + " for the pixel cache");
        }
        return fallback.resolve(folderTag + "-" + name);
    }

    // Every image must have the size of the first one decoded, at least the crop.
    private static final class ImageChecker {
        private final Path imageDir;
        private final int cropSize;
        private int width, height;
        private String first; // the image that set the size: images decode in parallel, so name it too

        ImageChecker(Path imageDir, int cropSize) {
            this.imageDir = imageDir;
            this.cropSize = cropSize;
        }

        synchronized void check(String name, BufferedImage image) {
            int w = image.getWidth(), h = image.getHeight();
            if (width == 0) {
                if (w < cropSize || h < cropSize) {
                    throw new DataException(imageDir.resolve(name) + ": " + w + "x" + h + " pixels, smaller than the " + cropSize + "x" + cropSize + " centre crop");
                }
                width = w;
                height = h;
                first = name;
            } else if (w != width || h != height) {
                throw new DataException(imageDir.resolve(name) + ": " + w + "x" + h + " pixels, expected " + width + "x" + height + " like " + first);
            }
        }
    }

    /**
     * Decodes one JPEG strictly: any decoder warning (a truncated file, corrupt data) is an error,
     * where {@link ImageIO#read} would quietly return a partly grey picture.
     */
    static BufferedImage decodeJpeg(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": image listed in " + CelebaNames.ATTRIBUTE_FILE + " not found");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8) {
            throw new DataException(file + ": not a JPEG file (no start-of-image marker)");
        }
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input);
            int width = reader.getWidth(0), height = reader.getHeight(0);
            if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
                throw new DataException(file + ": declares " + width + "x" + height + " pixels, more than " + MAX_IMAGE_SIDE + " on a side (corrupt header?)");
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) throw new DataException(file + ": corrupt or truncated JPEG (" + warnings.get(0) + ")");
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException) throw (DataException) e;
            throw new DataException(file + ": corrupt or truncated JPEG (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }

    // Names, sizes and modification times of all images: cheap to compute (no reading), and it
    // changes whenever an image is added, removed, renamed or rewritten.
    private static long inputsHash(Path imageDir, List<String> imageNames) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer numbers = ByteBuffer.allocate(16);
            for (String name : imageNames) {
                Path file = imageDir.resolve(name);
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    throw new DataException(file + ": image listed in " + CelebaNames.ATTRIBUTE_FILE + " not found");
                }
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update(numbers.clear().putLong(attributes.size()).putLong(attributes.lastModifiedTime().toMillis()).flip());
            }
            return ByteBuffer.wrap(digest.digest()).getLong();
        } catch (IOException e) {
            throw new DataException(imageDir + ": cannot list images (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public int channels() {
        return CHANNELS;
    }

    @Override
    public int height() {
        return imageSize;
    }

    @Override
    public int width() {
        return imageSize;
    }

    @Override
    public List<String> attributeNames() {
        return attributeNames;
    }

    @Override
    public int attribute(int index, String name) {
        Integer column = attributeColumns.get(name);
        if (column == null) throw new IllegalArgumentException("unknown attribute '" + name + "'; known: " + String.join(" ", attributeNames));
        return attributes[row(index) * attributeNames.size() + column];
    }

    /** The image file name of image {@code index} of this split, e.g. "000001.jpg". */
    public String imageName(int index) {
        return imageNames.get(row(index));
    }

    @Override
    public void fillBatch(int[] indices, float[] out) {
        int imageFloats = imageSize();
        if (out.length < indices.length * imageFloats) {
            throw new IllegalArgumentException("batch buffer holds " + out.length + " floats, " + indices.length + " images need " + indices.length * imageFloats);
        }
        byte[] pixels = new byte[imageFloats];
        for (int b = 0; b < indices.length; b++) {
            cache.read(row(indices[b]), pixels);
            int offset = b * imageFloats;
            for (int k = 0; k < imageFloats; k++) out[offset + k] = (pixels[k] & 0xFF) / 127.5f - 1f;
        }
    }

    private int row(int index) {
        if (index < 0 || index >= rows.length) throw new IllegalArgumentException("image index " + index + " out of range for a split of " + rows.length + " images");
        return rows[index];
    }
}
