package javae.vae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javae.vae.ui.ProgressBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelCacheTest {
    private static final PixelCache.Key KEY = new PixelCache.Key(7, 3, 2, 2, 5, 0x1234L);

    // Byte k of image i is 10 i + k.
    private static void fill(int image, byte[] pixels) {
        for (int k = 0; k < pixels.length; k++) pixels[k] = (byte) (10 * image + k);
    }

    @Test
    void readsEveryImageBackAcrossSeveralMappings(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cache.u8");
        // 12 bytes per image, 30-byte mappings: 2 images in each of 4 mappings, the last one holds 1
        PixelCache cache = PixelCache.openOrBuild(file, KEY, PixelCacheTest::fill, ProgressBar.silent(), 30);
        assertEquals(PixelCache.HEADER_BYTES + 7 * 12, Files.size(file));
        byte[] pixels = new byte[12], expected = new byte[12];
        for (int i = 0; i < 7; i++) {
            cache.read(i, pixels);
            fill(i, expected);
            assertArrayEquals(expected, pixels, "image " + i);
        }
    }

    @Test
    void rebuildsOnlyWhenTheKeyChanges(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cache.u8");
        AtomicInteger filled = new AtomicInteger();
        PixelCache.openOrBuild(file, KEY, (i, pixels) -> filled.incrementAndGet(), ProgressBar.silent());
        assertEquals(7, filled.get());
        assertTrue(PixelCache.holds(file, KEY));
        PixelCache.openOrBuild(file, KEY, (i, pixels) -> filled.incrementAndGet(), ProgressBar.silent());
        assertEquals(7, filled.get(), "the second open reads the file");

        PixelCache.Key otherInputs = new PixelCache.Key(7, 3, 2, 2, 5, 0x1235L);
        assertFalse(PixelCache.holds(file, otherInputs));
        PixelCache.openOrBuild(file, otherInputs, (i, pixels) -> filled.incrementAndGet(), ProgressBar.silent());
        assertEquals(14, filled.get());
        assertFalse(PixelCache.holds(file, KEY));
    }

    @Test
    void aTruncatedFileIsNotACache(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cache.u8");
        PixelCache.openOrBuild(file, KEY, PixelCacheTest::fill, ProgressBar.silent());
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 1));
        assertFalse(PixelCache.holds(file, KEY));
    }
}
