package javae.vae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CropResizeTest {
    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private static int[] unsigned(byte[] bytes) {
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) values[i] = bytes[i] & 0xFF;
        return values;
    }

    @Test
    void halvingAveragesTwoByTwoBlocksOfTheCentreCrop() {
        // a 6x4 image; the centre 4x4 crop starts at column 1; the outer columns must not count
        int width = 6, height = 4;
        int[] image = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean outside = x == 0 || x == 5;
                image[y * width + x] = outside ? rgb(255, 255, 255) : rgb(10 * (x - 1) + 40 * y, 100, 4 * y);
            }
        }
        byte[] out = new byte[3 * 2 * 2];
        new CropResize(4, 2).apply(image, width, height, out, 0);
        // red: block (0,0) averages 0, 10, 40, 50 = 25; (0,1): 20, 30, 60, 70 = 45; (1,0): 105; (1,1): 125
        // green: 100 everywhere; blue: rows 0,1 average 2, rows 2,3 average 10
        assertArrayEquals(new int[] {25, 45, 105, 125, 100, 100, 100, 100, 2, 2, 10, 10}, unsigned(out));
    }

    @Test
    void fractionalCoverageWeighsPartlyCoveredPixels() {
        // 3 source pixels to 2: output 0 covers pixel 0 and half of pixel 1, output 1 the other half and pixel 2
        int[] image = new int[9];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) image[y * 3 + x] = rgb(30 * x, 30 * y, 90);
        }
        byte[] out = new byte[12];
        new CropResize(3, 2).apply(image, 3, 3, out, 0);
        // (0 + 0.5 * 30) / 1.5 = 10 and (0.5 * 30 + 60) / 1.5 = 50
        assertArrayEquals(new int[] {10, 50, 10, 50, 10, 10, 50, 50, 90, 90, 90, 90}, unsigned(out));
    }

    @Test
    void writesAtTheOffsetAndRejectsSmallImages() {
        int[] image = new int[5 * 5];
        Arrays.fill(image, rgb(7, 8, 9));
        byte[] out = new byte[2 + 3];
        new CropResize(5, 1).apply(image, 5, 5, out, 2);
        assertArrayEquals(new int[] {0, 0, 7, 8, 9}, unsigned(out));
        assertThrows(IllegalArgumentException.class, () -> new CropResize(6, 1).apply(image, 5, 5, out, 0));
        assertThrows(IllegalArgumentException.class, () -> new CropResize(4, 8));
    }
}
