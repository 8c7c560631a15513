package javae.vae.model;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Principal component analysis of latent points: the 2-D view that keeps the most variance,
 * for the latent map. The covariance's eigenvectors come from commons-math3.
 */
public final class LatentProjection {
    private LatentProjection() {}

    /**
     * The points projected onto their first two principal components.
     *
     * @param points [count][dimZ]
     * @return [count][2]
     */
    public static double[][] pca2d(float[][] points) {
        int count = points.length, dim = points[0].length;
        if (count < 2) throw new IllegalArgumentException("PCA: needs at least 2 points, got " + count);
        double[] mean = new double[dim];
        for (float[] p : points) for (int j = 0; j < dim; j++) mean[j] += p[j] / (double) count;
        double[][] covariance = new double[dim][dim];
        for (float[] p : points) {
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < dim; b++) covariance[a][b] += (p[a] - mean[a]) * (p[b] - mean[b]) / (count - 1);
            }
        }
        // Eigenvalues of a symmetric matrix come sorted largest first.
        RealMatrix vectors = new EigenDecomposition(new Array2DRowRealMatrix(covariance, false)).getV();
        double[][] projected = new double[count][2];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < 2 && k < dim; k++) {
                double s = 0;
                for (int j = 0; j < dim; j++) s += (points[i][j] - mean[j]) * vectors.getEntry(j, k);
                projected[i][k] = s;
            }
        }
        return projected;
    }
}
