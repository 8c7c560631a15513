package javae.vae.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A grid of images in one PNG: samples, originals above reconstructions, interpolations.
 * Images come as floats {@code [N, C, H, W]} in [-1, 1] (C = 1 grey or 3 RGB), as the datasets
 * and the decoder produce them; values outside [-1, 1] are clipped. Image {@code i} goes to row
 * {@code i / columns}, column {@code i % columns}.
 * <pre>
 * new ImageGrid(pixels, 20, 3, 64, 64).columns(5).scale(2).writePng(Path.of("samples.png"));
 * </pre>
 */
public final class ImageGrid {
    private static final int LABEL_GAP = 8;

    private final float[] pixels;
    private final int count, channels, height, width;
    private int columns;
    private int padding = 2;
    private int scale = 1;
    private Color background = Color.WHITE;
    private List<String> rowLabels = List.of();

    /**
     * A grid of the {@code count} images in {@code pixels} ({@code [count, channels, height, width]}),
     * by default in one row, 2 pixels apart, at their own size.
     */
    public ImageGrid(float[] pixels, int count, int channels, int height, int width) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("images need 1 or 3 channels, got " + channels);
        if (count < 1 || height < 1 || width < 1) throw new IllegalArgumentException("empty images: " + count + "x" + channels + "x" + height + "x" + width);
        if (pixels.length < (long) count * channels * height * width) {
            throw new IllegalArgumentException(pixels.length + " floats for " + count + " images of " + channels + "x" + height + "x" + width);
        }
        this.pixels = pixels;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.columns = count;
    }

    /** Images per row; the number of rows follows. */
    public ImageGrid columns(int columns) {
        if (columns < 1) throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        this.columns = columns;
        return this;
    }

    /** Pixels between images and around the grid (before scaling). */
    public ImageGrid padding(int padding) {
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        this.padding = padding;
        return this;
    }

    /** Enlarges every image pixel to a {@code scale x scale} block (1 to 8), for small images. */
    public ImageGrid scale(int scale) {
        if (scale < 1 || scale > 8) throw new IllegalArgumentException("scale must be 1 to 8, got " + scale);
        this.scale = scale;
        return this;
    }

    /** The colour between images. */
    public ImageGrid background(Color background) {
        this.background = background;
        return this;
    }

    /** Labels written left of each row, e.g. "original" and "reconstruction"; fewer labels than rows is fine. */
    public ImageGrid rowLabels(List<String> labels) {
        this.rowLabels = List.copyOf(labels);
        return this;
    }

    /** The number of rows. */
    public int rows() {
        return (count + columns - 1) / columns;
    }

    /** Draws the grid. */
    public BufferedImage render() {
        int cell = padding * scale;
        int labelWidth = labelWidth();
        int imageWidth = labelWidth + columns * (width * scale + cell) + cell;
        int imageHeight = rows() * (height * scale + cell) + cell;
        BufferedImage grid = new BufferedImage(imageWidth, imageHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Figure.graphics(grid);
        g.setColor(background);
        g.fillRect(0, 0, imageWidth, imageHeight);
        for (int i = 0; i < count; i++) {
            int x0 = labelWidth + cell + (i % columns) * (width * scale + cell);
            int y0 = cell + (i / columns) * (height * scale + cell);
            drawImage(grid, i, x0, y0);
        }
        drawRowLabels(g, cell);
        g.dispose();
        return grid;
    }

    /** Draws the grid and writes it as a PNG, creating parent folders. */
    public void writePng(Path file) {
        Figure.writePng(render(), file);
    }

    private void drawImage(BufferedImage grid, int index, int x0, int y0) {
        int plane = height * width;
        int base = index * channels * plane;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = base + y * width + x;
                int r = toByte(pixels[p]);
                int g = channels == 3 ? toByte(pixels[p + plane]) : r;
                int b = channels == 3 ? toByte(pixels[p + 2 * plane]) : r;
                int rgb = (r << 16) | (g << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) grid.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                }
            }
        }
    }

    // [-1, 1] to [0, 255], clipped.
    private static int toByte(float value) {
        return Math.max(0, Math.min(255, Math.round((value + 1f) * 127.5f)));
    }

    private int labelWidth() {
        if (rowLabels.isEmpty()) return 0;
        Graphics2D g = Figure.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        g.setFont(Figure.LABEL_FONT);
        int widest = 0;
        for (String label : rowLabels) widest = Math.max(widest, g.getFontMetrics().stringWidth(label));
        g.dispose();
        return widest + 2 * LABEL_GAP;
    }

    private void drawRowLabels(Graphics2D g, int cell) {
        g.setFont(Figure.LABEL_FONT);
        g.setColor(background.getRed() + background.getGreen() + background.getBlue() > 3 * 128 ? Figure.AXIS : Color.WHITE);
        FontMetrics metrics = g.getFontMetrics();
        for (int row = 0; row < Math.min(rowLabels.size(), rows()); row++) {
            int centreY = cell + row * (height * scale + cell) + height * scale / 2;
            g.drawString(rowLabels.get(row), LABEL_GAP, centreY + metrics.getAscent() / 2 - 2);
        }
    }
}
