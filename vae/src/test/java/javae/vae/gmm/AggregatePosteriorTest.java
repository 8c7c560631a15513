package javae.vae.gmm;

import javae.engine.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class AggregatePosteriorTest {

    @Test
    void emRecoversASeparatedMixtureAndSamplesIt() {
        // 3000 points: weights 0.5 / 0.3 / 0.2 at (0, 0), (8, 0), (0, 8), standard deviations 1, 0.5, 0.3.
        double[][] centres = {{0, 0}, {8, 0}, {0, 8}};
        double[] std = {1, 0.5, 0.3};
        Rng rng = new Rng(11);
        double[][] x = new double[3000][];
        for (int i = 0; i < x.length; i++) {
            int c = i < 1500 ? 0 : i < 2400 ? 1 : 2;
            x[i] = new double[] {centres[c][0] + std[c] * rng.nextGaussian(), centres[c][1] + std[c] * rng.nextGaussian()};
        }
        double[][] z = AggregatePosterior.sample(x, 3, 6000, 5);
        int[] counts = new int[3];
        double[] spread = new double[3];
        for (double[] p : z) {
            int nearest = 0;
            for (int c = 1; c < 3; c++) if (distance(p, centres[c]) < distance(p, centres[nearest])) nearest = c;
            counts[nearest]++;
            spread[nearest] += Math.pow(p[0] - centres[nearest][0], 2);
        }
        assertEquals(3000, counts[0], 150, Arrays.toString(counts));
        assertEquals(1800, counts[1], 150, Arrays.toString(counts));
        assertEquals(1200, counts[2], 150, Arrays.toString(counts));
        for (int c = 0; c < 3; c++) assertEquals(std[c], Math.sqrt(spread[c] / counts[c]), 0.1 * std[c], "std of component " + c);
    }

    private static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
