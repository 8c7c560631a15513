package javae.vae.tsne;

import javae.engine.kernels.Parallel;

/**
 * The two-dimensional discrete Fourier transform of an M x M complex grid, M a power of two, by
 * the radix-2 Cooley-Tukey algorithm: X[k1][k2] = sum_{n1, n2} x[n1][n2] e^{-2 pi i (k1 n1 + k2 n2) / M}.
 * The real and imaginary parts live in two row-major double arrays [M, M].
 *
 * <p>A 2-D transform is a 1-D transform along each axis. Every pass here runs along axis 0 (down the
 * columns), so each butterfly combines two whole rows and the innermost loop walks contiguous memory,
 * which the JIT compiler vectorises; between the two passes the grid is transposed. FIt-SNE only
 * multiplies spectra pointwise between the forward and the inverse transform, so the spectrum is
 * left transposed, X[k1][k2] stored at [k2][k1], and {@link #inverse} expects it that way:
 * two transposes are saved per convolution.
 *
 * <p>Both transforms can skip work the caller knows is zero or unneeded: {@link #forward} reads
 * only the first {@code active} columns of its input (the rest must be zero) and {@link #inverse}
 * produces only the first {@code active} columns of its output exactly (the rest are left
 * unspecified). {@link #dft} is the readable O(M^4) definition the tests compare against.
 */
final class Fft2d {
    /** Columns one task transforms: 32 x M doubles, re and im, stay in a core's L2 cache up to M = 1024. */
    static final int COLUMNS_PER_TILE = 32;

    private final int m;
    private final double[] cos, sin; // e^{-2 pi i j / M} = cos[j] - i sin[j], j in [0, M/2)
    private final int[] reversed;    // bit-reversed index of each row

    Fft2d(int m) {
        if (m < 2 || Integer.bitCount(m) != 1) throw new IllegalArgumentException("FFT size must be a power of two >= 2, got " + m);
        this.m = m;
        this.cos = new double[m / 2];
        this.sin = new double[m / 2];
        for (int j = 0; j < m / 2; j++) {
            cos[j] = Math.cos(2 * Math.PI * j / m);
            sin[j] = Math.sin(2 * Math.PI * j / m);
        }
        this.reversed = new int[m];
        int bits = Integer.numberOfTrailingZeros(m);
        for (int r = 0; r < m; r++) reversed[r] = Integer.reverse(r) >>> (32 - bits);
    }

    int size() {
        return m;
    }

    /**
     * The spectrum of {@code re + i im} [M, M], in place and transposed: afterwards [k2][k1] holds
     * X[k1][k2]. Columns from {@code active} on must be zero on entry.
     */
    void forward(double[] re, double[] im, int active) {
        alongAxis0(re, im, false, active);
        transpose(re);
        transpose(im);
        alongAxis0(re, im, false, m);
    }

    /**
     * The inverse of {@link #forward}, scaled by 1 / M^2: from a transposed spectrum back to the
     * grid in its own layout. Only columns [0, active) of the result are computed.
     */
    void inverse(double[] re, double[] im, int active) {
        alongAxis0(re, im, true, m);
        transpose(re);
        transpose(im);
        alongAxis0(re, im, true, active);
        double scale = 1.0 / ((double) m * m);
        for (int r = 0; r < m; r++) {
            for (int c = r * m; c < r * m + active; c++) {
                re[c] *= scale;
                im[c] *= scale;
            }
        }
    }

    /**
     * The 1-D transform of every column c < {@code cols}. Columns are independent, so they are
     * split into fixed tiles of {@link #COLUMNS_PER_TILE}, each transformed whole by one task while
     * it sits in cache; a column's result does not depend on the split.
     */
    private void alongAxis0(double[] re, double[] im, boolean inverse, int cols) {
        int tiles = (cols + COLUMNS_PER_TILE - 1) / COLUMNS_PER_TILE;
        Parallel.forEach(tiles, tile -> columns(re, im, inverse, tile * COLUMNS_PER_TILE, Math.min(cols, (tile + 1) * COLUMNS_PER_TILE)));
    }

    /**
     * The 1-D transform of columns [from, to): bit-reversal permutation of the rows, then log2(M)
     * stages of butterflies. A butterfly of stage {@code half} joins rows a and b = a + half with
     * twiddle w = e^{-+2 pi i k / (2 half)}: (x_a, x_b) <- (x_a + w x_b, x_a - w x_b).
     */
    private void columns(double[] re, double[] im, boolean inverse, int from, int to) {
        for (int r = 0; r < m; r++) {
            int s = reversed[r];
            if (s > r) {
                swapRows(re, r, s, from, to);
                swapRows(im, r, s, from, to);
            }
        }
        double sign = inverse ? 1 : -1;
        for (int half = 1; half < m; half *= 2) {
            int twiddleStep = m / (2 * half);
            for (int block = 0; block < m; block += 2 * half) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * twiddleStep], wi = sign * sin[k * twiddleStep];
                    int a = (block + k) * m, b = (block + k + half) * m;
                    for (int c = from; c < to; c++) {
                        double br = re[b + c], bi = im[b + c];
                        double tr = wr * br - wi * bi, ti = wr * bi + wi * br;
                        double ar = re[a + c], ai = im[a + c];
                        re[b + c] = ar - tr;
                        im[b + c] = ai - ti;
                        re[a + c] = ar + tr;
                        im[a + c] = ai + ti;
                    }
                }
            }
        }
    }

    private void swapRows(double[] x, int r, int s, int from, int to) {
        for (int c = from; c < to; c++) {
            double t = x[r * m + c];
            x[r * m + c] = x[s * m + c];
            x[s * m + c] = t;
        }
    }

    /**
     * In-place transpose of x [M, M] in square tiles, so both sides stay in cache; a band of tile
     * rows swaps its own pairs of elements, so the bands run in parallel.
     */
    private void transpose(double[] x) {
        int tile = Math.min(m, 32);
        Parallel.forEach(m / tile, band -> {
            int r0 = band * tile;
            for (int c0 = r0; c0 < m; c0 += tile) {
                for (int r = r0; r < r0 + tile; r++) {
                    for (int c = Math.max(c0, r + 1); c < c0 + tile; c++) {
                        double t = x[r * m + c];
                        x[r * m + c] = x[c * m + r];
                        x[c * m + r] = t;
                    }
                }
            }
        });
    }

    /**
     * The definition, for tests: the 2-D DFT of {@code re + i im} [M, M] (any M), untransposed,
     * as {re, im}.
     */
    static double[][] dft(double[] re, double[] im, int m) {
        double[] outRe = new double[m * m], outIm = new double[m * m];
        for (int k1 = 0; k1 < m; k1++) {
            for (int k2 = 0; k2 < m; k2++) {
                double sr = 0, si = 0;
                for (int n1 = 0; n1 < m; n1++) {
                    for (int n2 = 0; n2 < m; n2++) {
                        double angle = -2 * Math.PI * (((long) k1 * n1 + (long) k2 * n2) % m) / m;
                        double c = Math.cos(angle), s = Math.sin(angle);
                        sr += re[n1 * m + n2] * c - im[n1 * m + n2] * s;
                        si += re[n1 * m + n2] * s + im[n1 * m + n2] * c;
                    }
                }
                outRe[k1 * m + k2] = sr;
                outIm[k1 * m + k2] = si;
            }
        }
        return new double[][] {outRe, outIm};
    }
}
