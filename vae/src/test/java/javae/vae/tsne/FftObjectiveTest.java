package javae.vae.tsne;

import javae.engine.Rng;
import javae.engine.kernels.Parallel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FftObjectiveTest {

    @Test
    void fftMatchesTheDefinitionAndInvertsItself() {
        Rng rng = new Rng(11);
        for (int m : new int[] {2, 4, 8, 16, 64}) {
            double[] re = new double[m * m], im = new double[m * m];
            for (int e = 0; e < m * m; e++) {
                re[e] = rng.nextGaussian();
                im[e] = rng.nextGaussian();
            }
            double[][] expected = Fft2d.dft(re, im, m);
            double[] fre = re.clone(), fim = im.clone();
            Fft2d fft = new Fft2d(m);
            fft.forward(fre, fim, m);
            double tolerance = 1e-12 * m * m;
            for (int k1 = 0; k1 < m; k1++) {
                for (int k2 = 0; k2 < m; k2++) {
                    // the spectrum is left transposed: X[k1][k2] at [k2][k1]
                    assertEquals(expected[0][k1 * m + k2], fre[k2 * m + k1], tolerance, "re X[" + k1 + "][" + k2 + "], M = " + m);
                    assertEquals(expected[1][k1 * m + k2], fim[k2 * m + k1], tolerance, "im X[" + k1 + "][" + k2 + "], M = " + m);
                }
            }
            fft.inverse(fre, fim, m);
            assertArrayEquals(re, fre, 1e-12, "round trip, M = " + m);
            assertArrayEquals(im, fim, 1e-12, "round trip, M = " + m);
        }
    }

    @Test
    void fftSkipsZeroInputColumnsAndUnneededOutputColumns() {
        int m = 16, active = 5;
        Rng rng = new Rng(12);
        double[] re = new double[m * m], im = new double[m * m];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < active; c++) {
                re[r * m + c] = rng.nextGaussian();
                im[r * m + c] = rng.nextGaussian();
            }
        }
        double[][] expected = Fft2d.dft(re, im, m);
        double[] fre = re.clone(), fim = im.clone();
        Fft2d fft = new Fft2d(m);
        fft.forward(fre, fim, active);
        for (int k1 = 0; k1 < m; k1++) {
            for (int k2 = 0; k2 < m; k2++) {
                assertEquals(expected[0][k1 * m + k2], fre[k2 * m + k1], 1e-10);
                assertEquals(expected[1][k1 * m + k2], fim[k2 * m + k1], 1e-10);
            }
        }
        fft.inverse(fre, fim, active);
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < active; c++) {
                assertEquals(re[r * m + c], fre[r * m + c], 1e-12);
                assertEquals(im[r * m + c], fim[r * m + c], 1e-12);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Fft2d(12));
    }

    /** Exact sum_j K^2 (y_i - y_j) and Z, K = (1 + d^2)^-1, for comparison. */
    static double exactRepulsion(double[] y, int n, double[] repulsion) {
        double z = 0;
        for (int i = 0; i < n; i++) {
            double fx = 0, fy = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double k = 1 / (1 + dx * dx + dy * dy);
                z += k;
                fx += k * k * dx;
                fy += k * k * dy;
            }
            repulsion[2 * i] = fx;
            repulsion[2 * i + 1] = fy;
        }
        return z;
    }

    /** The largest |approx - exact| over all coordinates, relative to the largest exact force. */
    static double relativeError(double[] approx, double[] exact) {
        double largest = 0, worst = 0;
        for (int e = 0; e < exact.length; e++) {
            largest = Math.max(largest, Math.abs(exact[e]));
            worst = Math.max(worst, Math.abs(approx[e] - exact[e]));
        }
        return worst / largest;
    }

    @Test
    void interpolatedRepulsionMatchesTheExactSum() {
        int n = 600;
        Rng rng = new Rng(13);
        // four clumps of points over a 25 x 25 square, as an embedding midway through a run
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            y[2 * i] = 20 * (i % 2) + 2 * rng.nextGaussian();
            y[2 * i + 1] = 20 * (i / 2 % 2) + 2 * rng.nextGaussian();
        }
        double[] exact = new double[2 * n];
        double exactZ = exactRepulsion(y, n, exact);
        Affinities.SparseMatrix empty = new Affinities.SparseMatrix(new int[n + 1], new int[0], new double[0]);
        // Boxes about 0.67 wide (256-point transform), then about 0.33 wide (512-point transform):
        // third-order interpolation, so the error should fall by about 2^3; measured
        // 3.0e-2 -> 3.8e-3 for the forces, 4.6e-4 -> 2.5e-5 for Z.
        double[] coarse = new double[2 * n], fine = new double[2 * n];
        double coarseZ = new FftObjective(empty, n, 10, 1).repulsion(y, coarse);
        double fineZ = new FftObjective(empty, n, 10, 0.5).repulsion(y, fine);
        double coarseError = relativeError(coarse, exact), fineError = relativeError(fine, exact);
        assertTrue(coarseError < 5e-2, "coarse grid: max error / max force " + coarseError);
        assertTrue(fineError < 1e-2, "fine grid: max error / max force " + fineError);
        assertTrue(fineError < coarseError / 4, "refining: " + coarseError + " -> " + fineError);
        assertEquals(1, coarseZ / exactZ, 1e-3, "Z, coarse grid");
        assertEquals(1, fineZ / exactZ, 1e-4, "Z, fine grid");
    }

    @Test
    void separatesWellSeparatedClustersAndIsDeterministicAcrossThreadCounts() {
        int[] labels = new int[200];
        double[][] points = TsneTest.blobs(4, 50, 10, 1, 6, labels);
        double[] x = TsneTest.flat(points);
        int n = points.length;
        TsneOptions options = TsneOptions.defaults().withPerplexity(15).withIterations(300);
        Affinities.SparseMatrix p = Affinities.neighbourRows(x, n, 10, options.neighbours(n), options.perplexity()).symmetrised();
        int threads = Parallel.threads();
        double[][] runs = new double[3][];
        try {
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                double[] y = PcaInit.embed(x, n, 10);
                // a coarser grid than the default keeps the test fast; the code path is the same
                Tsne.descend(new FftObjective(p, n, 10, 4), y, n, options);
                runs[t - 1] = y;
            }
        } finally {
            Parallel.setThreads(threads);
        }
        assertArrayEquals(runs[0], runs[1], 0.0, "1 and 2 threads");
        assertArrayEquals(runs[0], runs[2], 0.0, "1 and 3 threads");
        double[][] embedding = new double[n][];
        for (int i = 0; i < n; i++) embedding[i] = new double[] {runs[0][2 * i], runs[0][2 * i + 1]};
        assertTrue(Trustworthiness.compute(points, embedding, 10) > 0.95);
    }

    @Test
    void fftMethodRunsThroughTheFacade() {
        double[][] points = TsneTest.blobs(3, 40, 5, 1, 9, null);
        TsneResult result = Tsne.run(points, TsneOptions.defaults().withPerplexity(10).withIterations(50).withMethod(TsneOptions.Method.FFT));
        assertEquals(TsneOptions.Method.FFT, result.method());
        assertTrue(Double.isFinite(result.klDivergence()) && result.klDivergence() > 0, "KL " + result.klDivergence());
    }
}
