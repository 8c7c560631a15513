package javae.vae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javae.vae.ui.ProgressBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFacesTest {
    private static final List<String> NAMES = SyntheticFaces.attributeNames();

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static boolean has(int[] attributes, String name) {
        return attributes[NAMES.indexOf(name)] > 0;
    }

    @Test
    void hasCelebasFortyAttributesInCelebasOrder() {
        assertEquals(40, NAMES.size());
        assertEquals("5_o_Clock_Shadow", NAMES.get(0));
        assertEquals("Male", NAMES.get(20));
        assertEquals("Young", NAMES.get(39));
        assertTrue(NAMES.containsAll(SyntheticFaces.RENDERED_ATTRIBUTES));
    }

    @Test
    void sameSeedAndIndexGiveTheSamePictureAndAttributes() {
        SyntheticFaces a = new SyntheticFaces(11), b = new SyntheticFaces(11), other = new SyntheticFaces(12);
        for (int i : new int[] {0, 1, 17}) {
            BufferedImage image = a.image(i);
            assertEquals(SyntheticFaces.WIDTH, image.getWidth());
            assertEquals(SyntheticFaces.HEIGHT, image.getHeight());
            assertArrayEquals(pixels(image), pixels(b.image(i)));
            assertArrayEquals(a.attributes(i), b.attributes(i));
            assertFalse(Arrays.equals(pixels(image), pixels(other.image(i))), "another seed, another face");
        }
        assertFalse(Arrays.equals(pixels(a.image(0)), pixels(a.image(1))));
    }

    @Test
    void attributeRatesAreCelebaLikeAndHairColoursExclusive() {
        SyntheticFaces faces = new SyntheticFaces(5);
        int n = 3000, blond = 0, male = 0, smiling = 0;
        for (int i = 0; i < n; i++) {
            int[] a = faces.attributes(i);
            int colours = 0;
            for (String hair : List.of("Blond_Hair", "Black_Hair", "Brown_Hair", "Gray_Hair")) colours += has(a, hair) ? 1 : 0;
            assertTrue(colours <= 1, "face " + i + " has " + colours + " hair colours");
            if (has(a, "Goatee") || has(a, "Mustache")) assertTrue(has(a, "Male") && !has(a, "No_Beard"), "beard on face " + i);
            blond += has(a, "Blond_Hair") ? 1 : 0;
            male += has(a, "Male") ? 1 : 0;
            smiling += has(a, "Smiling") ? 1 : 0;
        }
        assertEquals(0.15, blond / (double) n, 0.03);
        assertEquals(0.42, male / (double) n, 0.04);
        assertEquals(0.48, smiling / (double) n, 0.04);
    }

    // The hair colour must show in the pixels: blond faces are yellower in the crop's top third.
    @Test
    void blondHairMakesTheTopOfTheHeadYellower() {
        SyntheticFaces faces = new SyntheticFaces(8);
        double blondSum = 0, otherSum = 0;
        int blondCount = 0, otherCount = 0;
        for (int i = 0; i < 120; i++) {
            BufferedImage image = faces.image(i);
            double yellowness = 0;
            for (int y = 40; y < 90; y++) {
                for (int x = 40; x < 138; x++) {
                    int rgb = image.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                    yellowness += (r + g) / 2.0 - b;
                }
            }
            if (has(faces.attributes(i), "Blond_Hair")) {
                blondSum += yellowness;
                blondCount++;
            } else {
                otherSum += yellowness;
                otherCount++;
            }
        }
        assertTrue(blondCount >= 8, "blond faces: " + blondCount);
        double blondMean = blondSum / blondCount / (50 * 98), otherMean = otherSum / otherCount / (50 * 98);
        assertTrue(blondMean > otherMean + 20, "yellowness blond " + blondMean + " vs others " + otherMean);
    }

    // Every attribute said to be rendered changes the picture when flipped, on a face without a hat.
    @Test
    void everyRenderedAttributeVisiblyChangesTheFace() {
        SyntheticFaces faces = new SyntheticFaces(2);
        int index = 0;
        while (has(faces.attributes(index), "Wearing_Hat") || has(faces.attributes(index), "Blurry")) index++;
        int[] attributes = faces.attributes(index);
        int[] original = pixels(faces.image(index));
        List<String> invisible = new ArrayList<>();
        for (String name : SyntheticFaces.RENDERED_ATTRIBUTES) {
            int[] flipped = pixels(faces.image(index, Map.of(name, !has(attributes, name))));
            int changed = 0;
            for (int p = 0; p < original.length; p++) {
                int largest = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    largest = Math.max(largest, Math.abs(((original[p] >> shift) & 0xFF) - ((flipped[p] >> shift) & 0xFF)));
                }
                if (largest > 24) changed++;
            }
            if (changed < 25) invisible.add(name + " (" + changed + " pixels)");
        }
        assertEquals(List.of(), invisible, "attributes that barely change face " + index);
    }

    @Test
    void writesTheCelebaLayoutDeterministically(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("a"), second = dir.resolve("b");
        SyntheticFaces.writeCelebaLayout(first, 10, 3, ProgressBar.silent());
        SyntheticFaces.writeCelebaLayout(second, 10, 3, ProgressBar.silent());
        for (String file : List.of("list_attr_celeba.txt", "list_eval_partition.txt", "img_align_celeba/000001.jpg", "img_align_celeba/000010.jpg")) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
        }
        List<String> attributeLines = Files.readAllLines(first.resolve("list_attr_celeba.txt"));
        assertEquals("10", attributeLines.get(0));
        assertEquals(String.join(" ", NAMES), attributeLines.get(1).trim());
        assertEquals(12, attributeLines.size());
        assertTrue(attributeLines.get(2).startsWith("000001.jpg "));
        try (Stream<Path> files = Files.list(first)) {
            assertEquals(Set.of("img_align_celeba", "list_attr_celeba.txt", "list_eval_partition.txt"),
                files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "no temporary files left");
        }
        List<String> partition = Files.readAllLines(first.resolve("list_eval_partition.txt"));
        assertEquals(List.of("000008.jpg 0", "000009.jpg 1", "000010.jpg 2"), partition.subList(7, 10));
    }

    @Test
    void partitionIsEightyTenTenInContiguousBlocks() {
        int[] counts = new int[3];
        for (int i = 0; i < 1000; i++) counts[SyntheticFaces.partitionOf(i, 1000)]++;
        assertArrayEquals(new int[] {800, 100, 100}, counts);
        assertEquals(0, SyntheticFaces.partitionOf(799, 1000));
        assertEquals(1, SyntheticFaces.partitionOf(800, 1000));
        assertEquals(2, SyntheticFaces.partitionOf(900, 1000));
    }
}
