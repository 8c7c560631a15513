package javae.vae.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A chart of named series over a shared x axis, e.g. train and validation loss per epoch, with
 * axes, a legend and a title. Series {@code k} is drawn in {@link Palette#color}(k); points are
 * marked when a series has at most 40 of them; NaN values leave a gap.
 * <pre>
 * new LineChart().title("Loss").axisLabels("epoch", "-ELBO per image")
 *     .series("train", epochs, trainLoss).series("valid", epochs, validLoss)
 *     .writePng(Path.of("loss.png"));
 * </pre>
 */
public final class LineChart {
    private record Series(String name, double[] x, double[] y) {}

    private final List<Series> series = new ArrayList<>();
    private String title, xLabel, yLabel;
    private int width = 800, height = 500;

    /** Adds a series of the points {@code (x[i], y[i])}. */
    public LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** The title above the chart. */
    public LineChart title(String title) {
        this.title = title;
        return this;
    }

    /** The names of the horizontal and vertical axes. */
    public LineChart axisLabels(String xLabel, String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        return this;
    }

    /** The picture's size in pixels (default 800x500). */
    public LineChart size(int width, int height) {
        if (width < 200 || height < 200) throw new IllegalArgumentException("chart must be at least 200x200, got " + width + "x" + height);
        this.width = width;
        this.height = height;
        return this;
    }

    /** Draws the chart. */
    public BufferedImage render() {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) continue;
                xMin = Math.min(xMin, s.x[i]);
                xMax = Math.max(xMax, s.x[i]);
                yMin = Math.min(yMin, s.y[i]);
                yMax = Math.max(yMax, s.y[i]);
            }
        }
        if (Double.isInfinite(xMin)) {
            xMin = yMin = 0;
            xMax = yMax = 1;
        }
        BufferedImage image = Figure.canvas(width, height);
        Graphics2D g = Figure.graphics(image);
        Figure.Plot plot = new Figure.Plot(90, title == null ? 30 : 60, width - 30, height - 70,
            Figure.niceTicks(xMin, xMax, 10), Figure.niceTicks(yMin, yMax, 8));
        plot.drawAxes(g, title, xLabel, yLabel, width);

        List<Figure.LegendEntry> legend = new ArrayList<>();
        g.clipRect(plot.left, plot.top, plot.right - plot.left + 1, plot.bottom - plot.top + 1);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(Palette.color(k));
            g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path(s, plot));
            if (s.x.length <= 40) {
                for (int i = 0; i < s.x.length; i++) {
                    if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) g.fill(new Ellipse2D.Double(plot.px(s.x[i]) - 4, plot.py(s.y[i]) - 4, 8, 8));
                }
            }
            legend.add(new Figure.LegendEntry(s.name, Palette.color(k), true));
        }
        g.setClip(null);
        Figure.drawLegend(g, plot, legend, concatenated(s -> s.x), concatenated(s -> s.y));
        g.dispose();
        return image;
    }

    /** Draws the chart and writes it as a PNG, creating parent folders. */
    public void writePng(Path file) {
        Figure.writePng(render(), file);
    }

    /** Draws the charts left to right into one PNG, for quantities of very different scales. */
    public static void writeSideBySide(Path file, LineChart... charts) {
        BufferedImage[] panels = new BufferedImage[charts.length];
        int width = 0, height = 0;
        for (int i = 0; i < charts.length; i++) {
            panels[i] = charts[i].render();
            width += panels[i].getWidth();
            height = Math.max(height, panels[i].getHeight());
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage panel : panels) {
            g.drawImage(panel, x, 0, null);
            x += panel.getWidth();
        }
        g.dispose();
        Figure.writePng(image, file);
    }

    // One coordinate of every series' points, in one array (for placing the legend).
    private double[] concatenated(Function<Series, double[]> coordinate) {
        return series.stream().map(coordinate).flatMapToDouble(Arrays::stream).toArray();
    }

    // The polyline through the finite points; a NaN starts a new piece.
    private static Path2D path(Series s, Figure.Plot plot) {
        Path2D.Double path = new Path2D.Double();
        boolean drawing = false;
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) {
                drawing = false;
                continue;
            }
            if (drawing) path.lineTo(plot.px(s.x[i]), plot.py(s.y[i]));
            else path.moveTo(plot.px(s.x[i]), plot.py(s.y[i]));
            drawing = true;
        }
        return path;
    }
}
