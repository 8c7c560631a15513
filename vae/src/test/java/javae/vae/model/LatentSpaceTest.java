package javae.vae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javae.engine.Rng;
import org.junit.jupiter.api.Test;

/** Latent walks, the attribute vector, PCA and the linear probe on hand-made points. */
class LatentSpaceTest {

    @Test
    void linearInterpolationRunsFromEndToEnd() {
        float[][] path = LatentSpace.linear(new float[] {0, 2}, new float[] {4, -2}, 5);
        assertArrayEquals(new float[] {0, 2}, path[0]);
        assertArrayEquals(new float[] {2, 0}, path[2]);
        assertArrayEquals(new float[] {4, -2}, path[4]);
    }

    @Test
    void slerpKeepsTheNormBetweenPointsOfEqualNorm() {
        // From (1, 0) to (0, 1): every point of the great circle has norm 1; the midpoint is (sqrt 2 / 2) (1, 1).
        float[][] path = LatentSpace.slerp(new float[] {1, 0}, new float[] {0, 1}, 3);
        assertArrayEquals(new float[] {1, 0}, path[0], 1e-6f);
        assertArrayEquals(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)}, path[1], 1e-6f);
        assertArrayEquals(new float[] {0, 1}, path[2], 1e-6f);
    }

    @Test
    void attributeVectorIsTheDifferenceOfMeans() {
        float[][] points = {{1, 0}, {3, 0}, {0, 1}, {0, 3}};
        boolean[] has = {true, true, false, false};
        assertArrayEquals(new float[] {2, -2}, LatentSpace.attributeVector(points, has));
        assertThrows(IllegalArgumentException.class, () -> LatentSpace.attributeVector(points, new boolean[4]));
    }

    @Test
    void traversalSweepsOneCoordinate() {
        float[][] path = LatentSpace.traversal(new float[] {5, 7}, 1, -3, 3, 3);
        assertArrayEquals(new float[] {5, -3}, path[0]);
        assertArrayEquals(new float[] {5, 0}, path[1]);
        assertArrayEquals(new float[] {5, 3}, path[2]);
    }

    @Test
    void pcaFindsTheDirectionOfLargestSpread() {
        // Points along (1, 1) with a little noise across it: the first component carries the spread.
        Rng rng = new Rng(3);
        float[][] points = new float[50][];
        for (int i = 0; i < points.length; i++) {
            float t = (float) rng.nextGaussian() * 5, n = (float) rng.nextGaussian() * 0.1f;
            points[i] = new float[] {t + n, t - n, 0.01f * (float) rng.nextGaussian()};
        }
        double[][] projected = LatentProjection.pca2d(points);
        double var1 = 0, var2 = 0;
        for (double[] p : projected) {
            var1 += p[0] * p[0];
            var2 += p[1] * p[1];
        }
        assertTrue(var1 > 100 * var2, "first component variance " + var1 + " vs second " + var2);
    }

    @Test
    void linearProbeSeparatesSeparablePointsAndNotRandomLabels() {
        Rng rng = new Rng(4);
        int n = 200;
        float[][] points = new float[n][];
        boolean[] side = new boolean[n], coin = new boolean[n];
        for (int i = 0; i < n; i++) {
            points[i] = new float[] {(float) rng.nextGaussian(), (float) rng.nextGaussian(), (float) rng.nextGaussian()};
            side[i] = points[i][0] + 0.5f * points[i][1] > 0;
            coin[i] = rng.nextFloat() < 0.5f;
        }
        LinearProbe.Result separable = LinearProbe.evaluate(points, side, 1);
        LinearProbe.Result random = LinearProbe.evaluate(points, coin, 1);
        assertEquals(60, separable.heldOutPoints());
        assertTrue(separable.heldOutAccuracy() >= 0.95, "separable: " + separable);
        assertTrue(random.heldOutAccuracy() < 0.75, "random labels: " + random);
    }
}
