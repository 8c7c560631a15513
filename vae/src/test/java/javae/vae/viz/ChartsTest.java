package javae.vae.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javae.engine.Rng;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    /** Pixels within a few levels of {@code color} (antialiased edges are excluded). */
    private static int count(BufferedImage image, Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int dr = ((rgb >> 16) & 0xFF) - color.getRed(), dg = ((rgb >> 8) & 0xFF) - color.getGreen(), db = (rgb & 0xFF) - color.getBlue();
                if (Math.abs(dr) <= 3 && Math.abs(dg) <= 3 && Math.abs(db) <= 3) n++;
            }
        }
        return n;
    }

    @Test
    void scatterPlotColoursPointsByAttribute(@TempDir Path dir) throws IOException {
        Rng rng = new Rng(4);
        int n = 400;
        float[] x = new float[n], y = new float[n];
        boolean[] blond = new boolean[n];
        for (int i = 0; i < n; i++) {
            blond[i] = i % 5 == 0;
            x[i] = (float) (rng.nextGaussian() + (blond[i] ? -4 : 2));
            y[i] = (float) rng.nextGaussian();
        }
        Path file = dir.resolve("latent.png");
        new ScatterPlot(x, y).attribute(blond, "Blond_Hair").title("Latent means").axisLabels("PC 1", "PC 2").writePng(file);
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(800, png.getWidth());
        assertEquals(800, png.getHeight());
        assertEquals(0xFFFFFF, png.getRGB(2, 2) & 0xFFFFFF);
        // the legend's dots and the overlapping points reach the full colours
        assertTrue(count(png, Palette.POSITIVE) > 30, "positive pixels: " + count(png, Palette.POSITIVE));
        assertTrue(count(png, Palette.NEGATIVE) > 30, "negative pixels: " + count(png, Palette.NEGATIVE));
    }

    @Test
    void scatterPlotColoursClassesFromThePalette() {
        int n = 300;
        float[] x = new float[n], y = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x[i] = labels[i] * 10 + (i % 7) * 0.01f; // three tight clusters
            y[i] = labels[i];
        }
        BufferedImage image = new ScatterPlot(x, y).labels(labels, List.of("a", "b", "c")).size(400, 300).render();
        assertEquals(400, image.getWidth());
        for (int k = 0; k < 3; k++) assertTrue(count(image, Palette.color(k)) > 20, "class " + k);
        assertTrue(count(image, Palette.color(3)) == 0, "no fourth class");
        assertThrows(IllegalArgumentException.class, () -> new ScatterPlot(x, y).labels(new int[3], List.of()));
    }

    @Test
    void lineChartDrawsEverySeriesInItsColour(@TempDir Path dir) throws IOException {
        double[] epochs = {1, 2, 3, 4, 5};
        Path file = dir.resolve("loss.png");
        new LineChart().title("Loss").axisLabels("epoch", "-ELBO")
            .series("train", epochs, new double[] {500, 450, 430, 420, 415})
            .series("valid", epochs, new double[] {510, 460, Double.NaN, 432, 430})
            .size(600, 400).writePng(file);
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(600, png.getWidth());
        assertEquals(400, png.getHeight());
        assertTrue(count(png, Palette.color(0)) > 200, "train line");
        assertTrue(count(png, Palette.color(1)) > 150, "valid line");
    }

    @Test
    void chartsSideBySideShareOnePicture(@TempDir Path dir) throws IOException {
        double[] epochs = {1, 2, 3};
        Path file = dir.resolve("terms.png");
        LineChart.writeSideBySide(file,
            new LineChart().series("reconstruction", epochs, new double[] {5000, 3000, 2500}).size(500, 300),
            new LineChart().series("kl", epochs, new double[] {10, 40, 60}).series("valid kl", epochs, new double[] {12, 42, 61}).size(400, 350));
        BufferedImage png = ImageIO.read(file.toFile());
        assertEquals(900, png.getWidth());
        assertEquals(350, png.getHeight());
        assertTrue(count(png.getSubimage(0, 0, 500, 300), Palette.color(0)) > 100, "left chart's line in the left panel");
        assertEquals(0, count(png.getSubimage(0, 0, 500, 300), Palette.color(1)), "the right chart's second series stays on the right");
        assertTrue(count(png.getSubimage(500, 0, 400, 350), Palette.color(1)) > 100, "right chart's second line in the right panel");
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        assertArrayEquals(new double[] {0, 2, 4, 6, 8, 10}, Figure.niceTicks(0, 10, 8), 1e-12);
        double[] ticks = Figure.niceTicks(0.13, 0.87, 5);
        assertEquals(0.0, ticks[0], 1e-12);
        assertEquals(1.0, ticks[ticks.length - 1], 1e-12);
        assertEquals(0.2, ticks[1] - ticks[0], 1e-12);
        assertEquals("0.4", Figure.tickLabel(ticks[2], 0.2));
        assertEquals("20000", Figure.tickLabel(20000, 5000));
        double[] single = Figure.niceTicks(5, 5, 8); // a single value still gets a range around it
        assertTrue(single[0] < 5 && single[single.length - 1] > 5, Arrays.toString(single));
    }

    @Test
    void paletteColoursAreDistinct() {
        Set<Integer> colours = new HashSet<>();
        for (int i = 0; i < Palette.size(); i++) colours.add(Palette.color(i).getRGB());
        assertEquals(Palette.size(), colours.size());
        assertTrue(Palette.size() >= 10);
        assertEquals(Palette.color(0), Palette.color(Palette.size()));
    }
}
