package javae.vae.gmm;

import javae.vae.viz.Figure;
import javae.vae.viz.ScatterPlot;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mixture experiment's pictures: {@code gmm-real-vs-sampled.png}, real (top row) and generated
 * (bottom row) samples in the pairwise projections x-y, x-z, y-z, coloured by their most likely
 * component; and {@code gmm-latent-tsne.png}, the t-SNE map of the latent means of real samples
 * coloured by the component that drew them.
 */
final class GmmFigures {
    private static final int PANEL = 560; // large enough that the legend leaves most of each panel free
    private static final String[] AXES = {"x", "y", "z"};
    /** Head room above the points, as a share of their height, for the ten-entry legend. */
    private static final double LEGEND_ROOM = 0.8;

    private GmmFigures() {}

    static void write(GmmExperiment.Outcome outcome, Path outDir) {
        GaussianMixture mixture = outcome.mixture();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < mixture.components(); c++) names.add("component " + (c + 1));

        double[][] real = outcome.real().points();
        double[][] generated = outcome.generated();
        int[][] projections = projections(mixture.dimension());
        // Real and generated panels of a projection share their axes, so the two rows compare at a glance.
        double[][] ranges = new double[projections.length][];
        for (int p = 0; p < projections.length; p++) ranges[p] = sharedRange(real, generated, projections[p]);
        BufferedImage sheet = new BufferedImage(PANEL * projections.length, 2 * PANEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        for (int row = 0; row < 2; row++) {
            double[][] points = row == 0 ? real : generated;
            int[] labels = new int[points.length];
            for (int i = 0; i < points.length; i++) labels[i] = mixture.mostLikelyComponent(points[i]);
            for (int p = 0; p < projections.length; p++) {
                int a = projections[p][0], b = projections[p][1];
                BufferedImage panel = new ScatterPlot(column(points, a), column(points, b))
                        .labels(labels, names)
                        .title((row == 0 ? "real" : "generated") + ", " + AXES[a] + "-" + AXES[b])
                        .axisLabels(AXES[a], AXES[b])
                        .size(PANEL, PANEL)
                        .range(ranges[p][0], ranges[p][1], ranges[p][2], ranges[p][3])
                        .render();
                g.drawImage(panel, p * PANEL, row * PANEL, null);
            }
        }
        g.dispose();
        Figure.writePng(sheet, outDir.resolve("gmm-real-vs-sampled.png"));

        double[][] map = outcome.latentTsne();
        new ScatterPlot(column(map, 0), column(map, 1))
                .labels(outcome.real().components(), names)
                .title("t-SNE of the latent means of real samples")
                .axisLabels("t-SNE 1", "t-SNE 2")
                .writePng(outDir.resolve("gmm-latent-tsne.png"));
    }

    /**
     * {xMin, xMax, yMin, yMax} over both samples in projection (a, b), with the top raised by
     * LEGEND_ROOM of the height so that the legend, in a top corner, stays clear of the points.
     */
    private static double[] sharedRange(double[][] real, double[][] generated, int[] projection) {
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[][] points : new double[][][] {real, generated}) {
            for (double[] point : points) {
                double px = point[projection[0]], py = point[projection[1]];
                if (!Double.isFinite(px) || !Double.isFinite(py)) continue;
                range[0] = Math.min(range[0], px);
                range[1] = Math.max(range[1], px);
                range[2] = Math.min(range[2], py);
                range[3] = Math.max(range[3], py);
            }
        }
        if (Double.isInfinite(range[0])) return new double[] {0, 1, 0, 1 + LEGEND_ROOM}; // no finite point
        if (range[0] == range[1]) range[1] = range[0] + 1; // all points on one line
        if (range[2] == range[3]) range[3] = range[2] + 1;
        range[3] += LEGEND_ROOM * (range[3] - range[2]);
        return range;
    }

    /** The pairs of the first three axes: (0,1), (0,2), (1,2); one axis against itself in 1-D. */
    private static int[][] projections(int dim) {
        if (dim == 1) return new int[][] {{0, 0}};
        if (dim == 2) return new int[][] {{0, 1}};
        return new int[][] {{0, 1}, {0, 2}, {1, 2}};
    }

    private static float[] column(double[][] points, int axis) {
        float[] values = new float[points.length];
        for (int i = 0; i < points.length; i++) values[i] = (float) points[i][axis];
        return values;
    }
}
