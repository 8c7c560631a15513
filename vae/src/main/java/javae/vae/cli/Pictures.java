package javae.vae.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javae.engine.Tensor;
import javae.vae.train.EpochMetrics;
import javae.vae.viz.ImageGrid;
import javae.vae.viz.LineChart;
import javae.vae.viz.ScatterPlot;

/** The PNG figures of the commands, drawn with javae.vae.viz: image grids, loss curves, latent maps. */
final class Pictures {
    private Pictures() {}

    /** Images [N, C, S, S] in [-1, 1] tiled row by row, {@code columns} per row, each drawn {@code scale} times larger. */
    static void grid(Tensor images, int columns, int scale, Path png) {
        new ImageGrid(images.data(), images.dim(0), images.dim(1), images.dim(2), images.dim(3))
                .columns(columns).scale(scale).writePng(png);
    }

    /**
     * The loss curves: each step's training loss (x in fractional epochs), and after each epoch
     * its mean training loss and the validation loss.
     *
     * @param steps (epochs done, loss) of every step this process ran
     */
    static void lossCurve(List<double[]> steps, List<EpochMetrics> history, Path png) {
        double[] stepX = new double[steps.size()], stepY = new double[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            stepX[i] = steps.get(i)[0];
            stepY[i] = steps.get(i)[1];
        }
        double[] epochs = new double[history.size()], train = new double[history.size()], valid = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            epochs[i] = history.get(i).epoch();
            train[i] = history.get(i).trainLoss();
            valid[i] = history.get(i).validLoss();
        }
        new LineChart().title("-ELBO per image").axisLabels("epoch", "loss")
                .series("train, each step", stepX, stepY)
                .series("train, epoch mean", epochs, train)
                .series("validation", epochs, valid)
                .writePng(png);
    }

    /**
     * The ELBO's two terms, side by side because they differ by orders of magnitude: the
     * reconstruction term -E_q[log p(x|z)] and KL(q(z|x) || N(0, I)), per image, at each step and
     * as training and validation means after each epoch.
     *
     * @param steps (epochs done, loss, reconstruction log-likelihood, KL) of every step this process ran
     */
    static void elboTerms(List<double[]> steps, List<EpochMetrics> history, Path png) {
        double[] stepX = new double[steps.size()], stepRec = new double[steps.size()], stepKl = new double[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            stepX[i] = steps.get(i)[0];
            stepRec[i] = -steps.get(i)[2];
            stepKl[i] = steps.get(i)[3];
        }
        int n = history.size();
        double[] epochs = new double[n], trainRec = new double[n], validRec = new double[n], trainKl = new double[n], validKl = new double[n];
        for (int i = 0; i < n; i++) {
            EpochMetrics m = history.get(i);
            epochs[i] = m.epoch();
            trainRec[i] = -m.trainReconstruction();
            validRec[i] = -m.validReconstruction();
            trainKl[i] = m.trainKl();
            validKl[i] = m.validKl();
        }
        LineChart.writeSideBySide(png,
                new LineChart().title("reconstruction term  -E[log p(x|z)]").axisLabels("epoch", "nats per image")
                        .series("train, each step", stepX, stepRec).series("train, epoch mean", epochs, trainRec).series("validation", epochs, validRec),
                new LineChart().title("KL(q(z|x) || N(0, I))").axisLabels("epoch", "nats per image")
                        .series("train, each step", stepX, stepKl).series("train, epoch mean", epochs, trainKl).series("validation", epochs, validKl));
    }

    /** Points coloured by whether they have an attribute. */
    static void scatter(double[][] xy, boolean[] has, String title, String attribute, Path png) {
        scatterOf(xy).attribute(has, attribute).title(title).axisLabels("component 1", "component 2").writePng(png);
    }

    /** Points coloured by integer labels ("label 0", "label 1", ...), or all alike when {@code labels} is null. */
    static void labelledScatter(double[][] xy, int[] labels, String title, Path png) {
        ScatterPlot plot = scatterOf(xy).title(title).axisLabels("component 1", "component 2");
        if (labels != null) {
            int max = 0;
            for (int label : labels) max = Math.max(max, label);
            List<String> names = new ArrayList<>();
            for (int c = 0; c <= max; c++) names.add("label " + c);
            plot.labels(labels, names);
        }
        plot.writePng(png);
    }

    private static ScatterPlot scatterOf(double[][] xy) {
        float[] x = new float[xy.length], y = new float[xy.length];
        for (int i = 0; i < xy.length; i++) {
            x[i] = (float) xy[i][0];
            y[i] = (float) xy[i][1];
        }
        return new ScatterPlot(x, y);
    }
}
