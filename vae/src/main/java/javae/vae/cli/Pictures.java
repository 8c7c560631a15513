package javae.vae.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javae.engine.Tensor;
import javae.vae.report.AtomicFiles;
import javae.vae.train.EpochMetrics;

/** The PNG figures of the commands: image grids, the loss curves and the latent map. */
final class Pictures {
    private static final int GAP = 2;
    private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)};

    private Pictures() {}

    /**
     * Images [N, C, S, S] in [-1, 1] tiled row by row, {@code columns} per row, each drawn
     * {@code scale} times larger, on a white background with thin gaps.
     */
    static void grid(Tensor images, int columns, int scale, Path png) throws IOException {
        int n = images.dim(0), channels = images.dim(1), side = images.dim(2);
        int rows = (n + columns - 1) / columns, cell = side * scale + GAP;
        BufferedImage canvas = new BufferedImage(columns * cell + GAP, rows * cell + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.dispose();
        float[] v = images.data();
        for (int i = 0; i < n; i++) {
            int left = GAP + (i % columns) * cell, top = GAP + (i / columns) * cell;
            for (int y = 0; y < side * scale; y++) {
                for (int x = 0; x < side * scale; x++) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        int channel = channels == 1 ? 0 : c;
                        float value = v[((i * channels + channel) * side + y / scale) * side + x / scale];
                        int byteValue = Math.round((Math.max(-1, Math.min(1, value)) + 1) * 127.5f);
                        rgb = (rgb << 8) | byteValue;
                    }
                    canvas.setRGB(left + x, top + y, rgb);
                }
            }
        }
        write(canvas, png);
    }

    /** Train and validation loss per epoch (-ELBO per image), as lines. */
    static void lossCurve(List<EpochMetrics> history, Path png) throws IOException {
        double[] epochs = new double[history.size()], train = new double[history.size()], valid = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            epochs[i] = history.get(i).epoch();
            train[i] = history.get(i).trainLoss();
            valid[i] = history.get(i).validLoss();
        }
        Chart chart = new Chart("-ELBO per image", "epoch", "loss", bounds(epochs), bounds(train, valid));
        chart.line(epochs, train, SERIES[0], "train");
        chart.line(epochs, valid, SERIES[1], "validation");
        write(chart.image, png);
    }

    /** Points coloured by a yes/no label, with a legend naming both colours; the rarer "yes" points are drawn on top. */
    static void scatter(double[][] xy, boolean[] label, String title, String yes, String no, Path png) throws IOException {
        int[] classes = new int[label.length];
        for (int i = 0; i < label.length; i++) classes[i] = label[i] ? 1 : 0;
        drawScatter(xy, classes, new String[] {no, yes}, new Color[] {SERIES[0], SERIES[3]}, title, png);
    }

    /** Points coloured by integer labels (10 colours, repeating), or all alike when {@code labels} is null. */
    static void labelledScatter(double[][] xy, int[] labels, String title, Path png) throws IOException {
        int[] classes = labels == null ? new int[xy.length] : labels;
        int max = 0;
        for (int c : classes) max = Math.max(max, c);
        String[] names = new String[labels == null ? 0 : Math.min(max + 1, PALETTE.length)];
        for (int c = 0; c < names.length; c++) names[c] = "label " + c;
        drawScatter(xy, classes, names, PALETTE, title, png);
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private static void drawScatter(double[][] xy, int[] classes, String[] names, Color[] colours, String title, Path png) throws IOException {
        double[] xs = new double[xy.length], ys = new double[xy.length];
        int top = 0;
        for (int i = 0; i < xy.length; i++) {
            xs[i] = xy[i][0];
            ys[i] = xy[i][1];
            top = Math.max(top, classes[i]);
        }
        Chart chart = new Chart(title, "component 1", "component 2", bounds(xs), bounds(ys));
        for (int c = 0; c <= top; c++) { // class by class, so later classes lie on top
            for (int i = 0; i < xy.length; i++) {
                if (classes[i] == c) chart.dot(xs[i], ys[i], colours[Math.floorMod(c, colours.length)]);
            }
        }
        for (int c = names.length - 1, row = 0; c >= 0; c--, row++) chart.legend(row, colours[c % colours.length], names[c]);
        write(chart.image, png);
    }

    private static void write(BufferedImage image, Path png) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        AtomicFiles.write(png, bytes.toByteArray());
    }

    private static double[] bounds(double[]... series) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] s : series) {
            for (double v : s) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) return new double[] {0, 1};
        double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(1, Math.abs(lo) * 0.05);
        return new double[] {lo - pad, hi + pad};
    }

    /** A plot area with axes, tick labels and a title, in data coordinates. */
    private static final class Chart {
        private static final int WIDTH = 640, HEIGHT = 480, LEFT = 80, RIGHT = 20, TOP = 50, BOTTOM = 50;
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        private final Graphics2D g = image.createGraphics();
        private final double[] x, y;

        Chart(String title, String xLabel, String yLabel, double[] x, double[] y) {
            this.x = x;
            this.y = y;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, LEFT, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            for (int t = 0; t <= 4; t++) {
                double xv = x[0] + (x[1] - x[0]) * t / 4, yv = y[0] + (y[1] - y[0]) * t / 4;
                int px = px(xv), py = py(yv);
                g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 5);
                g.drawString(tick(xv), px - 15, HEIGHT - BOTTOM + 20);
                g.drawLine(LEFT - 5, py, LEFT, py);
                g.drawString(tick(yv), 5, py + 4);
            }
            g.drawString(xLabel, (LEFT + WIDTH - RIGHT) / 2 - 20, HEIGHT - 10);
            g.drawString(yLabel, 5, TOP - 14);
        }

        int px(double v) {
            return LEFT + (int) Math.round((v - x[0]) / (x[1] - x[0]) * (WIDTH - LEFT - RIGHT));
        }

        int py(double v) {
            return HEIGHT - BOTTOM - (int) Math.round((v - y[0]) / (y[1] - y[0]) * (HEIGHT - TOP - BOTTOM));
        }

        void line(double[] xs, double[] ys, Color color, String name) {
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            for (int i = 0; i < xs.length; i++) {
                if (!Double.isFinite(ys[i])) continue;
                g.fillOval(px(xs[i]) - 3, py(ys[i]) - 3, 7, 7);
                if (i > 0 && Double.isFinite(ys[i - 1])) g.drawLine(px(xs[i - 1]), py(ys[i - 1]), px(xs[i]), py(ys[i]));
            }
            legend(color == SERIES[0] ? 0 : 1, color, name);
        }

        void dot(double xv, double yv, Color color) {
            g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 170));
            g.fillOval(px(xv) - 3, py(yv) - 3, 6, 6);
        }

        void legend(int row, Color color, String name) {
            int top = TOP + 12 + row * 18;
            g.setColor(new Color(255, 255, 255, 220)); // keeps the legend readable over the points
            g.fillRect(WIDTH - RIGHT - 134, top - 11, 130, 18);
            g.setColor(color);
            g.fillRect(WIDTH - RIGHT - 130, top - 8, 12, 10);
            g.setColor(Color.BLACK);
            g.drawString(name, WIDTH - RIGHT - 112, top + 2);
        }

        private static String tick(double v) {
            double a = Math.abs(v);
            return a != 0 && (a >= 1e5 || a < 1e-2) ? String.format("%.2g", v) : a >= 100 ? String.format("%.0f", v) : String.format("%.2f", v);
        }
    }
}
