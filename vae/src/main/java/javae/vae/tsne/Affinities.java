package javae.vae.tsne;

import javae.engine.kernels.Parallel;

import java.util.Arrays;

/**
 * The input-space similarities P of t-SNE. Each point i gets a Gaussian whose precision beta_i is
 * found by binary search so that the conditional distribution p_{j|i} has the wanted perplexity,
 * i.e. entropy log(perplexity) in nats; then P is symmetrised, p_ij = (p_{j|i} + p_{i|j}) / sum,
 * so its entries add up to 1.
 */
final class Affinities {
    private static final int MAX_STEPS = 100;
    private static final double ENTROPY_TOLERANCE = 1e-5;
    /** Rows per parallel tile: fixed, so the split never depends on the thread count. */
    private static final int TILE = 64;

    private Affinities() {}

    /**
     * Writes p_{j|i} for one point into {@code out[outOffset..outOffset + count)}, given its squared
     * distances {@code sqDist[offset..offset + count)} to the candidate neighbours, calibrated to
     * {@code perplexity}. Returns the precision beta that was found.
     */
    static double conditionalRow(double[] sqDist, int offset, int count, double perplexity,
                                 double[] out, int outOffset) {
        // The distances are shifted by their minimum before exp(-beta d): P is unchanged after
        // normalisation and the entropy formula keeps its form, but nothing underflows to 0.
        double minDist = Double.POSITIVE_INFINITY;
        for (int m = 0; m < count; m++) minDist = Math.min(minDist, sqDist[offset + m]);
        double target = Math.log(perplexity);
        double beta = 1, betaLow = Double.NEGATIVE_INFINITY, betaHigh = Double.POSITIVE_INFINITY;
        for (int step = 0; step < MAX_STEPS; step++) {
            double sum = 0, weighted = 0;
            for (int m = 0; m < count; m++) {
                double shifted = sqDist[offset + m] - minDist;
                double p = Math.exp(-beta * shifted);
                out[outOffset + m] = p;
                sum += p;
                weighted += shifted * p;
            }
            // H = log(sum) + beta * E[d]: the entropy in nats of the normalised row.
            double entropy = Math.log(sum) + beta * weighted / sum;
            for (int m = 0; m < count; m++) out[outOffset + m] /= sum;
            double gap = entropy - target;
            if (Math.abs(gap) <= ENTROPY_TOLERANCE) break;
            if (gap > 0) { // too flat: sharpen
                betaLow = beta;
                beta = betaHigh == Double.POSITIVE_INFINITY ? beta * 2 : (beta + betaHigh) / 2;
            } else {
                betaHigh = beta;
                beta = betaLow == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + betaLow) / 2;
            }
        }
        return beta;
    }

    /** The entropy in nats of a probability row, -sum p log p (for tests and diagnostics). */
    static double entropy(double[] p, int offset, int count) {
        double h = 0;
        for (int m = 0; m < count; m++) {
            double v = p[offset + m];
            if (v > 0) h -= v * Math.log(v);
        }
        return h;
    }

    /** Dense symmetric P [N, N] over all pairs (zero diagonal), for exact t-SNE. */
    static double[] dense(double[] x, int n, int d, double perplexity) {
        double[] p = new double[n * n];
        int tiles = (n + TILE - 1) / TILE;
        Parallel.forEach(tiles, tile -> {
            double[] dist = new double[n - 1];
            double[] row = new double[n - 1];
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                for (int j = 0, m = 0; j < n; j++) if (j != i) dist[m++] = PairwiseDistances.exact(x, d, i, j);
                conditionalRow(dist, 0, n - 1, perplexity, row, 0);
                for (int j = 0, m = 0; j < n; j++) if (j != i) p[i * n + j] = row[m++];
            }
        });
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double sym = p[i * n + j] + p[j * n + i];
                p[i * n + j] = sym;
                p[j * n + i] = sym;
                total += 2 * sym;
            }
        }
        for (int i = 0; i < p.length; i++) p[i] /= total;
        return p;
    }

    /**
     * Sparse symmetric P on the k nearest neighbours of each point, for Barnes-Hut, in two steps: here
     * each point's k nearest neighbours and its p_{j|i} calibrated over them only; then
     * {@link NeighbourRows#symmetrised}, P + P^T normalised to sum 1.
     */
    static NeighbourRows neighbourRows(double[] x, int n, int d, int k, double perplexity) {
        double[] sqDist = new double[n * k];
        int[] neighbours = PairwiseDistances.nearest(x, n, d, k, sqDist);
        double[] conditional = new double[n * k];
        int tiles = (n + TILE - 1) / TILE;
        Parallel.forEach(tiles, tile -> {
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                conditionalRow(sqDist, i * k, k, perplexity, conditional, i * k);
            }
        });
        return new NeighbourRows(neighbours, conditional, n, k);
    }

    /** The k nearest neighbours [N, k] of N points and p_{j|i} [N, k] on them. */
    record NeighbourRows(int[] neighbours, double[] conditional, int n, int k) {
        /** P + P^T, normalised ({@link #symmetrise}). */
        SparseMatrix symmetrised() {
            return symmetrise(neighbours, conditional, n, k);
        }
    }

    /**
     * P + P^T of a [N, k] neighbour list, as a CSR matrix with sorted columns, normalised to sum 1.
     * The list is the CSR matrix A whose row i holds p_{j|i} at its k neighbours j, unsorted. A
     * transpose by counting lists every row in ascending column order, so transposing twice gives
     * A^T and A with sorted rows, in linear passes; merging each row of the two adds the pairs that
     * are neighbours both ways. (A comparison sort per row did the same in four times the time of
     * a cold run, most of it waiting for the JIT compiler.)
     */
    static SparseMatrix symmetrise(int[] neighbours, double[] conditional, int n, int k) {
        int[] listStart = new int[n + 1];
        for (int i = 0; i <= n; i++) listStart[i] = i * k;
        SparseMatrix transposed = transpose(new SparseMatrix(listStart, neighbours, conditional), n);
        SparseMatrix forward = transpose(transposed, n);
        int[] aStart = forward.rowStart(), aCols = forward.cols(), bStart = transposed.rowStart(), bCols = transposed.cols();
        double[] aVals = forward.vals(), bVals = transposed.vals();
        int[] outStart = new int[n + 1];
        int[] outCols = new int[2 * n * k];
        double[] outVals = new double[2 * n * k];
        int nnz = 0;
        for (int i = 0; i < n; i++) {
            int a = aStart[i], b = bStart[i];
            while (a < aStart[i + 1] || b < bStart[i + 1]) {
                int colA = a < aStart[i + 1] ? aCols[a] : Integer.MAX_VALUE;
                int colB = b < bStart[i + 1] ? bCols[b] : Integer.MAX_VALUE;
                int col = Math.min(colA, colB);
                double v = 0;
                if (colA == col) v += aVals[a++];
                if (colB == col) v += bVals[b++];
                outCols[nnz] = col;
                outVals[nnz++] = v;
            }
            outStart[i + 1] = nnz;
        }
        double total = 0;
        for (int e = 0; e < nnz; e++) total += outVals[e];
        for (int e = 0; e < nnz; e++) outVals[e] /= total;
        return new SparseMatrix(outStart, Arrays.copyOf(outCols, nnz), Arrays.copyOf(outVals, nnz));
    }

    /** The transpose of an [N, N] CSR matrix, each of its rows in ascending column order (a counting sort). */
    private static SparseMatrix transpose(SparseMatrix m, int n) {
        int[] rowStart = m.rowStart(), rowCols = m.cols();
        double[] rowVals = m.vals();
        int entries = rowStart[n];
        int[] start = new int[n + 1];
        for (int e = 0; e < entries; e++) start[rowCols[e] + 1]++;
        for (int j = 0; j < n; j++) start[j + 1] += start[j];
        int[] fill = Arrays.copyOf(start, n);
        int[] cols = new int[entries];
        double[] vals = new double[entries];
        for (int i = 0; i < n; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int slot = fill[rowCols[e]]++;
                cols[slot] = i;
                vals[slot] = rowVals[e];
            }
        }
        return new SparseMatrix(start, cols, vals);
    }

    /** A compressed-sparse-row matrix: row i's entries are {@code [rowStart[i], rowStart[i+1])}. */
    record SparseMatrix(int[] rowStart, int[] cols, double[] vals) {}
}
