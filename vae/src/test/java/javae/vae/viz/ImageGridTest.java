package javae.vae.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @Test
    void writesAPngOfTheRightSizeWithTheRightColours(@TempDir Path dir) throws IOException {
        // three 3-channel 2x3 images: red, green, then one whose top-left pixel is black and the rest white
        int c = 3, h = 2, w = 3, plane = h * w;
        float[] pixels = new float[3 * c * plane];
        Arrays.fill(pixels, -1f);
        for (int k = 0; k < plane; k++) {
            pixels[k] = 1f;                    // image 0, red
            pixels[c * plane + plane + k] = 1f; // image 1, green
            for (int ch = 0; ch < 3; ch++) pixels[2 * c * plane + ch * plane + k] = k == 0 ? -1f : 1.5f; // clipped to white
        }
        Path file = dir.resolve("sub/grid.png");
        new ImageGrid(pixels, 3, c, h, w).columns(2).padding(1).scale(2).writePng(file);

        BufferedImage png = ImageIO.read(file.toFile());
        // 2 columns of (3 * 2 + 2) plus 2; 2 rows of (2 * 2 + 2) plus 2
        assertEquals(2 * 8 + 2, png.getWidth());
        assertEquals(2 * 6 + 2, png.getHeight());
        assertEquals(0xFFFFFF, png.getRGB(0, 0) & 0xFFFFFF, "padding is the white background");
        assertEquals(0xFF0000, png.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0xFF0000, png.getRGB(2 + 5, 2 + 3) & 0xFFFFFF);
        assertEquals(0x00FF00, png.getRGB(2 + 8, 2) & 0xFFFFFF);
        assertEquals(0x000000, png.getRGB(2, 2 + 6) & 0xFFFFFF, "image 2, top-left pixel, scaled to 2x2");
        assertEquals(0x000000, png.getRGB(3, 3 + 6) & 0xFFFFFF);
        assertEquals(0xFFFFFF, png.getRGB(4, 2 + 6) & 0xFFFFFF);
    }

    @Test
    void greyImagesAndRowLabels() {
        float[] pixels = new float[4 * 4 * 4];
        for (int i = 0; i < pixels.length; i++) pixels[i] = 0f; // mid grey
        ImageGrid grid = new ImageGrid(pixels, 4, 1, 4, 4).columns(2).padding(0).rowLabels(List.of("original", "reconstruction"));
        BufferedImage image = grid.render();
        assertEquals(2, grid.rows());
        assertEquals(8, image.getHeight());
        int labelWidth = image.getWidth() - 8;
        assertEquals(0x808080, image.getRGB(labelWidth, 0) & 0xFFFFFF); // round(127.5) = 128
        boolean inked = false;
        for (int x = 0; x < labelWidth; x++) for (int y = 0; y < 8; y++) inked |= (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
        assertEquals(true, inked, "the labels draw something left of the images");
        assertNotEquals(0, labelWidth);
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(new float[10], 1, 3, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(new float[8], 1, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new ImageGrid(new float[4], 1, 1, 2, 2).scale(9));
    }
}
