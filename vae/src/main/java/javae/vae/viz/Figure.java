package javae.vae.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javae.vae.report.AtomicFiles;
import javax.imageio.ImageIO;

/** What the charts share: a canvas, PNG writing, nice axis ticks, the plot frame and a legend. */
public final class Figure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Color AXIS = new Color(0x333333);
    static final Color GRID = new Color(0xE5E5E5);

    private Figure() {}

    /** A white, antialiased RGB canvas. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    /** Writes {@code image} as a PNG through {@link AtomicFiles} (temporary file, then rename), creating parent folders. */
    public static void writePng(BufferedImage image, Path file) {
        try {
            AtomicFiles.write(file, temporary -> {
                if (!ImageIO.write(image, "png", temporary.toFile())) throw new IOException("no PNG writer");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * About {@code target} round tick values (1, 2 or 5 times a power of ten apart) covering
     * [min, max]; the first is at or below min and the last at or above max.
     */
    static double[] niceTicks(double min, double max, int target) {
        if (!(max > min)) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double rough = (max - min) / Math.max(1, target);
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = power;
        for (double multiple : new double[] {1, 2, 5, 10}) {
            step = multiple * power;
            if (step >= rough) break;
        }
        double first = Math.floor(min / step) * step, last = Math.ceil(max / step) * step;
        int count = (int) Math.round((last - first) / step) + 1;
        double[] ticks = new double[count];
        for (int i = 0; i < count; i++) ticks[i] = first + i * step;
        return ticks;
    }

    /** A tick label without noise digits: 0.1 not 0.1000000001, 20000 not 2.0E4. */
    static String tickLabel(double value, double step) {
        if (Math.abs(value) < step * 1e-6) return "0";
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4) return String.format(Locale.ROOT, "%.1e", value);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** The plot area and its data ranges: maps data coordinates to pixels. */
    static final class Plot {
        final int left, top, right, bottom;
        final double[] xTicks, yTicks;

        Plot(int left, int top, int right, int bottom, double[] xTicks, double[] yTicks) {
            this.left = left;
            this.top = top;
            this.right = right;
            this.bottom = bottom;
            this.xTicks = xTicks;
            this.yTicks = yTicks;
        }

        double px(double x) {
            double min = xTicks[0], max = xTicks[xTicks.length - 1];
            return left + (x - min) / (max - min) * (right - left);
        }

        double py(double y) {
            double min = yTicks[0], max = yTicks[yTicks.length - 1];
            return bottom - (y - min) / (max - min) * (bottom - top);
        }

        /** Grid lines, the frame, tick labels, axis labels and the title. */
        void drawAxes(Graphics2D g, String title, String xLabel, String yLabel, int imageWidth) {
            g.setStroke(new BasicStroke(1f));
            g.setFont(TICK_FONT);
            FontMetrics metrics = g.getFontMetrics();
            double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1, yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
            for (double x : xTicks) {
                g.setColor(GRID);
                g.draw(new Line2D.Double(px(x), top, px(x), bottom));
                g.setColor(AXIS);
                String label = tickLabel(x, xStep);
                g.drawString(label, (float) (px(x) - metrics.stringWidth(label) / 2.0), bottom + metrics.getAscent() + 6);
            }
            for (double y : yTicks) {
                g.setColor(GRID);
                g.draw(new Line2D.Double(left, py(y), right, py(y)));
                g.setColor(AXIS);
                String label = tickLabel(y, yStep);
                g.drawString(label, left - metrics.stringWidth(label) - 6, (float) (py(y) + metrics.getAscent() / 2.0 - 1));
            }
            g.setColor(AXIS);
            g.drawRect(left, top, right - left, bottom - top);

            g.setFont(LABEL_FONT);
            metrics = g.getFontMetrics();
            if (xLabel != null) g.drawString(xLabel, (left + right - metrics.stringWidth(xLabel)) / 2f, bottom + 44);
            if (yLabel != null) {
                Graphics2D rotated = (Graphics2D) g.create();
                rotated.rotate(-Math.PI / 2);
                rotated.drawString(yLabel, -(top + bottom + metrics.stringWidth(yLabel)) / 2f, 22);
                rotated.dispose();
            }
            if (title != null) {
                g.setFont(TITLE_FONT);
                metrics = g.getFontMetrics();
                g.drawString(title, (imageWidth - metrics.stringWidth(title)) / 2f, top - 16);
            }
        }
    }

    /** One legend entry: a name, its colour, and whether its sample is a line (else a dot). */
    record LegendEntry(String name, Color color, boolean line) {}

    /**
     * Where {@link #drawLegend} puts its box: {x, y, width, height, hidden}, in the corner whose box
     * hides the fewest data points (top right when they tie), with that number of hidden points.
     */
    static int[] legendBox(Graphics2D g, Plot plot, List<LegendEntry> entries, double[] dataX, double[] dataY) {
        g.setFont(LABEL_FONT);
        FontMetrics metrics = g.getFontMetrics();
        int rowHeight = metrics.getHeight() + 4, sample = 22;
        int textWidth = 0;
        for (LegendEntry entry : entries) textWidth = Math.max(textWidth, metrics.stringWidth(entry.name()));
        int width = textWidth + sample + 24, height = entries.size() * rowHeight + 10;
        int[][] corners = {
            {plot.right - width - 10, plot.top + 10}, {plot.left + 10, plot.top + 10},
            {plot.right - width - 10, plot.bottom - height - 10}, {plot.left + 10, plot.bottom - height - 10}};
        int[] best = null;
        for (int[] corner : corners) {
            int hidden = 0;
            for (int i = 0; i < dataX.length; i++) {
                double px = plot.px(dataX[i]), py = plot.py(dataY[i]);
                if (px >= corner[0] && px <= corner[0] + width && py >= corner[1] && py <= corner[1] + height) hidden++;
            }
            if (best == null || hidden < best[4]) best = new int[] {corner[0], corner[1], width, height, hidden};
        }
        return best;
    }

    /** A legend box in the corner of the plot area that {@link #legendBox} picks. */
    static void drawLegend(Graphics2D g, Plot plot, List<LegendEntry> entries, double[] dataX, double[] dataY) {
        if (entries.isEmpty()) return;
        int[] box = legendBox(g, plot, entries, dataX, dataY);
        int x = box[0], y = box[1], width = box[2], height = box[3];
        g.setFont(LABEL_FONT);
        FontMetrics metrics = g.getFontMetrics();
        int rowHeight = metrics.getHeight() + 4, sample = 22;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(x, y, width, height);
        g.setColor(new Color(0xBBBBBB));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y, width, height);
        for (int i = 0; i < entries.size(); i++) {
            LegendEntry entry = entries.get(i);
            int centreY = y + 5 + i * rowHeight + rowHeight / 2;
            g.setColor(entry.color());
            if (entry.line()) {
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(x + 8, centreY, x + 8 + sample, centreY);
            } else {
                g.fillOval(x + 8 + sample / 2 - 5, centreY - 5, 10, 10);
            }
            g.setColor(AXIS);
            g.drawString(entry.name(), x + 16 + sample, centreY + metrics.getAscent() / 2 - 2);
        }
    }
}
