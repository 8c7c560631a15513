package javae.vae.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scatter plot of 2-D points (a latent map, a t-SNE embedding), coloured by an integer class
 * ({@link #labels}) or by a yes/no attribute ({@link #attribute}), with axes, a legend and a title.
 * <pre>
 * new ScatterPlot(pc1, pc2).attribute(blond, "Blond_Hair").title("Latent means, PCA")
 *     .axisLabels("PC 1", "PC 2").writePng(Path.of("latent-map.png"));
 * </pre>
 */
public final class ScatterPlot {
    private final float[] x, y;
    private int[] labels;
    private List<String> labelNames = List.of();
    private boolean yesNo;
    private String title, xLabel, yLabel;
    private int width = 800, height = 800;
    private double[] range; // {xMin, xMax, yMin, yMax}, or null: the points' own

    /** A plot of the points {@code (x[i], y[i])}, all one colour until labelled. */
    public ScatterPlot(float[] x, float[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " points, y has " + y.length);
        this.x = x;
        this.y = y;
    }

    /**
     * Colours point i by class {@code labels[i]} (0 or more) with {@link Palette#color}; the legend
     * shows {@code names.get(k)} for class k (or "k" if there are fewer names).
     */
    public ScatterPlot labels(int[] labels, List<String> names) {
        if (labels.length != x.length) throw new IllegalArgumentException(labels.length + " labels for " + x.length + " points");
        for (int label : labels) if (label < 0) throw new IllegalArgumentException("labels must be >= 0, got " + label);
        this.labels = labels.clone();
        this.labelNames = List.copyOf(names);
        this.yesNo = false;
        return this;
    }

    /**
     * Colours the points that have attribute {@code name} in {@link Palette#POSITIVE}, drawn on
     * top, and the others in {@link Palette#NEGATIVE}.
     */
    public ScatterPlot attribute(boolean[] has, String name) {
        if (has.length != x.length) throw new IllegalArgumentException(has.length + " attribute values for " + x.length + " points");
        this.labels = new int[has.length];
        for (int i = 0; i < has.length; i++) labels[i] = has[i] ? 1 : 0;
        this.labelNames = List.of("not " + name, name);
        this.yesNo = true;
        return this;
    }

    /** The title above the plot. */
    public ScatterPlot title(String title) {
        this.title = title;
        return this;
    }

    /** The names of the horizontal and vertical axes. */
    public ScatterPlot axisLabels(String xLabel, String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        return this;
    }

    /** The picture's size in pixels (default 800x800). */
    public ScatterPlot size(int width, int height) {
        if (width < 200 || height < 200) throw new IllegalArgumentException("plot must be at least 200x200, got " + width + "x" + height);
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Fixes the axes to cover {@code [xMin, xMax] x [yMin, yMax]} (rounded out to nice ticks), so
     * that several plots can share them; the plot then leaves room for the legend to the caller.
     */
    public ScatterPlot range(double xMin, double xMax, double yMin, double yMax) {
        if (!(xMin < xMax && yMin < yMax)) {
            throw new IllegalArgumentException("range must be increasing, got x " + xMin + ".." + xMax + ", y " + yMin + ".." + yMax);
        }
        this.range = new double[] {xMin, xMax, yMin, yMax};
        return this;
    }

    /** Draws the plot. */
    public BufferedImage render() {
        BufferedImage image = Figure.canvas(width, height);
        Graphics2D g = Figure.graphics(image);
        double[] xTicks = range == null ? Figure.niceTicks(min(x), max(x), 8) : Figure.niceTicks(range[0], range[1], 8);
        double yMin = range == null ? min(y) : range[2], yMax = range == null ? max(y) : range[3];
        Figure.Plot plot = new Figure.Plot(80, title == null ? 30 : 60, width - 30, height - 70, xTicks, Figure.niceTicks(yMin, yMax, 8));
        // Room for the legend, unless the caller fixed the range: raise the top of the y range a
        // tenth at a time (at most doubling it) until the legend's corner hides no point.
        List<Figure.LegendEntry> legend = legend();
        double[] dataX = toDouble(x), dataY = toDouble(y);
        for (int tenths = 1; range == null && tenths <= 10 && !legend.isEmpty() && Figure.legendBox(g, plot, legend, dataX, dataY)[4] > 0; tenths++) {
            plot = new Figure.Plot(plot.left, plot.top, plot.right, plot.bottom, xTicks,
                Figure.niceTicks(yMin, yMax + tenths * 0.1 * (yMax - yMin), 8));
        }
        plot.drawAxes(g, title, xLabel, yLabel, width);

        double radius = x.length > 5000 ? 2 : x.length > 500 ? 3 : 4.5;
        g.clipRect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
        // yes/no: the "no" points first, so the usually rarer "yes" points stay visible on top
        for (int pass = 0; pass < (yesNo ? 2 : 1); pass++) {
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) continue;
                if (yesNo && labels[i] != pass) continue;
                g.setColor(withAlpha(colorOf(i), 0.65));
                g.fill(new Ellipse2D.Double(plot.px(x[i]) - radius, plot.py(y[i]) - radius, 2 * radius, 2 * radius));
            }
        }
        g.setClip(null);
        Figure.drawLegend(g, plot, legend, dataX, dataY);
        g.dispose();
        return image;
    }

    /** Draws the plot and writes it as a PNG, creating parent folders. */
    public void writePng(Path file) {
        Figure.writePng(render(), file);
    }

    private Color colorOf(int point) {
        if (labels == null) return Palette.color(0);
        if (yesNo) return labels[point] == 1 ? Palette.POSITIVE : Palette.NEGATIVE;
        return Palette.color(labels[point]);
    }

    private List<Figure.LegendEntry> legend() {
        List<Figure.LegendEntry> entries = new ArrayList<>();
        if (labels == null) return entries;
        int classes = 0;
        for (int label : labels) classes = Math.max(classes, label + 1);
        if (yesNo) classes = 2;
        int[] counts = new int[classes];
        for (int label : labels) counts[label]++;
        for (int k = 0; k < classes; k++) {
            String name = k < labelNames.size() ? labelNames.get(k) : String.valueOf(k);
            Color color = yesNo ? (k == 1 ? Palette.POSITIVE : Palette.NEGATIVE) : Palette.color(k);
            entries.add(new Figure.LegendEntry(name + " (" + counts[k] + ")", color, false));
        }
        return entries;
    }

    private static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }

    private static double min(float[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (float v : values) if (Float.isFinite(v)) min = Math.min(min, v);
        return Double.isInfinite(min) ? 0 : min;
    }

    private static double max(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) if (Float.isFinite(v)) max = Math.max(max, v);
        return Double.isInfinite(max) ? 1 : max;
    }
}
