package javae.vae.tsne;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/**
 * The initial embedding as scikit-learn's {@code init="pca"}: the data projected on its first two
 * principal components, scaled so the first coordinate has standard deviation 1e-4 (a tiny start
 * keeps the early-exaggeration phase free to move clusters).
 */
final class PcaInit {
    static final double SCALE = 1e-4;

    private PcaInit() {}

    /** The [N, 2] initial embedding of {@code x} [N, D], D >= 2. */
    static double[] embed(double[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) mean[c] += x[i * d + c];
        for (int c = 0; c < d; c++) mean[c] /= n;
        // covariance [D, D] (up to the factor 1/(n-1), which does not change the eigenvectors)
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) centred[c] = x[i * d + c] - mean[c];
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) cov[a][b] += centred[a] * centred[b];
            }
        }
        for (int a = 0; a < d; a++) for (int b = 0; b < a; b++) cov[a][b] = cov[b][a];
        RealMatrix covariance = new Array2DRowRealMatrix(cov, false);
        EigenDecomposition eigen = new EigenDecomposition(covariance);
        double[] values = eigen.getRealEigenvalues();
        int first = 0, second = -1;
        for (int v = 1; v < values.length; v++) if (values[v] > values[first]) first = v;
        for (int v = 0; v < values.length; v++) {
            if (v != first && (second < 0 || values[v] > values[second])) second = v;
        }
        double[][] axes = {unitWithPositivePeak(eigen.getEigenvector(first).toArray()),
                           unitWithPositivePeak(eigen.getEigenvector(second).toArray())};
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 2; a++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += (x[i * d + c] - mean[c]) * axes[a][c];
                y[2 * i + a] = dot;
            }
        }
        double std = standardDeviation(y, n);
        double scale = std > 0 ? SCALE / std : 0;
        for (int e = 0; e < y.length; e++) y[e] *= scale;
        return y;
    }

    /** An eigenvector's sign is arbitrary; fix it so its largest-magnitude entry is positive. */
    private static double[] unitWithPositivePeak(double[] v) {
        int peak = 0;
        for (int c = 1; c < v.length; c++) if (Math.abs(v[c]) > Math.abs(v[peak])) peak = c;
        if (v[peak] < 0) for (int c = 0; c < v.length; c++) v[c] = -v[c];
        return v;
    }

    /** Population standard deviation of the first coordinate of {@code y} [N, 2]. */
    private static double standardDeviation(double[] y, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += y[2 * i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) var += (y[2 * i] - mean) * (y[2 * i] - mean);
        return Math.sqrt(var / n);
    }
}
