package javae.vae.tsne;

import javae.engine.kernels.Parallel;
import javae.engine.kernels.VectorSupport;

/**
 * The attractive half of the t-SNE gradient over a sparse P, shared by the objectives that
 * approximate the repulsion ({@link BarnesHutObjective}, {@link FftObjective}): exact over P's
 * entries, O(nnz) per iteration, parallel over fixed tiles of rows. The sums run in float, as
 * scikit-learn's; each row is summed on its own, so the result is the same on any number of threads.
 */
final class SparseAttraction {
    private static final int TILE = 128;

    /** Each row of the force kernels' copy of P is padded to a multiple of this many entries. */
    static final int ROW_PADDING = 16;

    private final Affinities.SparseMatrix p;
    private final int n;
    // P again for the force kernels: entries in float, each row padded with zeros (column i itself,
    // value 0, which add exactly nothing) to a multiple of ROW_PADDING, so a vector loop over it
    // needs no scalar tail at 256 or 512 bits.
    private final int[] paddedStart, paddedCols;
    private final float[] paddedVals;
    private final float[] yx, yy;               // the embedding in float
    private final double[] attractionX, attractionY;

    SparseAttraction(Affinities.SparseMatrix p, int n) {
        this.p = p;
        this.n = n;
        this.paddedStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            int length = p.rowStart()[i + 1] - p.rowStart()[i];
            paddedStart[i + 1] = paddedStart[i] + (length + ROW_PADDING - 1) / ROW_PADDING * ROW_PADDING;
        }
        this.paddedCols = new int[paddedStart[n]];
        this.paddedVals = new float[paddedStart[n]];
        for (int i = 0; i < n; i++) {
            int e = paddedStart[i];
            for (int source = p.rowStart()[i]; source < p.rowStart()[i + 1]; source++, e++) {
                paddedCols[e] = p.cols()[source];
                paddedVals[e] = (float) p.vals()[source];
            }
            for (; e < paddedStart[i + 1]; e++) paddedCols[e] = i;
        }
        this.yx = new float[n];
        this.yy = new float[n];
        this.attractionX = new double[n];
        this.attractionY = new double[n];
    }

    /** Takes the embedding {@code y} [N, 2] in float for the force kernels. */
    void load(double[] y) {
        for (int i = 0; i < n; i++) {
            yx[i] = (float) y[2 * i];
            yy[i] = (float) y[2 * i + 1];
        }
    }

    /** Fixed tiles of rows for {@link #forces}. */
    int tiles() {
        return (n + TILE - 1) / TILE;
    }

    /** The attractive forces of one tile of rows, at the embedding last {@link #load}ed. */
    void forces(int tile) {
        int from = tile * TILE, to = Math.min(n, (tile + 1) * TILE);
        if (VectorSupport.enabled()) {
            AttractionVector.accumulate(paddedStart, paddedCols, paddedVals, yx, yy, from, to, attractionX, attractionY);
        } else {
            attraction(paddedStart, paddedCols, paddedVals, yx, yy, from, to, attractionX, attractionY);
        }
    }

    /**
     * Turns {@code grad} [N, 2], which holds the unnormalised repulsion sum_j q_ij^2 Z^2 (y_i - y_j)
     * on entry, into the gradient 4 (a * attraction_i - repulsion_i / Z), with the forces of every tile.
     */
    void combine(double exaggeration, double z, double[] grad) {
        for (int i = 0; i < n; i++) {
            grad[2 * i] = 4 * (exaggeration * attractionX[i] - grad[2 * i] / z);
            grad[2 * i + 1] = 4 * (exaggeration * attractionY[i] - grad[2 * i + 1] / z);
        }
    }

    /**
     * The attractive forces of rows [from, to): out_i = sum_j p_ij (1 + |y_i - y_j|^2)^-1 (y_i - y_j)
     * over the row's entries, in float ({@link AttractionVector} is the fast twin).
     */
    static void attraction(int[] rowStart, int[] cols, float[] vals, float[] yx, float[] yy,
                           int from, int to, double[] outX, double[] outY) {
        for (int i = from; i < to; i++) finishRow(cols, vals, yx, yy, i, rowStart[i], rowStart[i + 1], 0, 0, outX, outY);
    }

    /**
     * Row i's sums so far (sx, sy), plus its entries [from, to) one by one, in float, into outX[i],
     * outY[i]: the whole row for {@link #attraction}, the tail after the whole vectors for {@link AttractionVector}.
     */
    static void finishRow(int[] cols, float[] vals, float[] yx, float[] yy, int i, int from, int to,
                          float sx, float sy, double[] outX, double[] outY) {
        for (int e = from; e < to; e++) {
            int j = cols[e];
            float dx = yx[i] - yx[j], dy = yy[i] - yy[j];
            float w = vals[e] / (1 + dx * dx + dy * dy);
            sx += w * dx;
            sy += w * dy;
        }
        outX[i] = sx;
        outY[i] = sy;
    }

    /** KL(P || Q) over P's entries, in double, with q_ij = (1 + |y_i - y_j|^2)^-1 / z. */
    double klDivergence(double[] y, double z) {
        int[] rowStart = p.rowStart();
        int[] cols = p.cols();
        double[] vals = p.vals();
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = cols[e];
                double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy) / z;
                kl += vals[e] * Math.log(Math.max(vals[e], Objective.TINY) / Math.max(q, Objective.TINY));
            }
        }
        return kl;
    }
}
