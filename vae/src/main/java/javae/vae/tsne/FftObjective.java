package javae.vae.tsne;

import javae.engine.kernels.Parallel;

import java.util.Arrays;

/**
 * The t-SNE objective with a sparse P on nearest neighbours and the repulsion by FFT-accelerated
 * interpolation (FIt-SNE, Linderman et al., 2019): O(N + G^2 log G) per iteration for a G x G grid.
 *
 * <p>The repulsion needs, for every point i, sums over all points j of smooth kernels of
 * d = y_i - y_j:
 * <pre>
 *   repulsion_i = sum_j d / (1 + |d|^2)^2       (two kernels, one per axis)
 *   Z = sum_{i != j} 1 / (1 + |d|^2)
 * </pre>
 * Three steps compute them. The embedding's bounding square is cut into B x B boxes with p x p
 * equispaced nodes each, G = B p nodes per side. (1) Each point spreads a unit charge onto the
 * p x p nodes of its box with Lagrange interpolation weights: a polynomial through the nodes
 * represents any smooth function inside the box, so a sum over points j becomes a sum over nodes.
 * (2) Node-to-node sums: the nodes are equispaced, so a kernel between two nodes depends only on
 * their index difference, and the sum over G^2 x G^2 node pairs is a 2-D convolution, computed by
 * FFT on a grid of twice the size (so nothing wraps around) in O(G^2 log G) instead of O(G^4).
 * (3) Each point reads the forces back from its box's nodes with the same weights. The error
 * falls fast with the node spacing because the kernels are smooth; N points cost O(N p^2).
 *
 * <p>FIt-SNE's paper convolves four charges (1, y, |y|^2) with one kernel and recovers the force
 * as y_i phi_i - (sum of K y_j), a difference of two large numbers when the embedding is wide;
 * here the two force kernels are convolved directly, so nothing cancels. Z needs no convolution
 * back to the points: it is the charge-weighted sum of the potential, which Parseval's theorem
 * gives from the spectra. The charges and the Z kernel are real, so one complex transform carries
 * both, as do the two force kernels: three FFTs per iteration.
 *
 * <p>The grid follows FIt-SNE: it grows with the embedding's extent, with no cap, because boxes
 * much wider than the kernels' scale of 1 make the interpolation diverge (boxes 12 wide gave Z
 * three times too large). Four [M, M] double grids with M = 2^ceil(log2(6 * extent)): 32 MB up
 * to an extent of 170, 128 MB up to 341.
 *
 * <p>Every step is either per point or per grid row (parallel in fixed tiles), per grid column
 * (parallel, see {@link Fft2d}) or a fixed-order sum, except the spreading of charges, which
 * runs in point order: the result is the same on any number of threads.
 */
final class FftObjective extends SparseObjective {
    /** Interpolation nodes per box and axis (FIt-SNE's default). */
    static final int NODES_PER_BOX = 3;
    /** Fewest boxes per axis, however small the embedding (FIt-SNE's default). */
    static final int MIN_BOXES = 50;
    /** Widest box, in embedding units (the kernels' own scale), before the grid grows (FIt-SNE's default). */
    static final double MAX_BOX_WIDTH = 1;
    private static final int TILE = 512;

    private final int minBoxes;
    private final double maxBoxWidth;
    // Per point: its box along each axis and its p interpolation weights along each axis.
    private final int[] boxX, boxY;
    private final double[] weightX, weightY; // [N, p]
    private Fft2d fft;
    private double[] packedRe, packedIm, forceRe, forceIm; // [M, M] grids
    private double[] zRows;                                // [M] per spectrum row's share of Z

    FftObjective(Affinities.SparseMatrix p, int n) {
        this(p, n, MIN_BOXES, MAX_BOX_WIDTH);
    }

    /** With a grid of at least {@code minBoxes} boxes per axis, each at most {@code maxBoxWidth} wide. */
    FftObjective(Affinities.SparseMatrix p, int n, int minBoxes, double maxBoxWidth) {
        super(p, n);
        this.minBoxes = minBoxes;
        this.maxBoxWidth = maxBoxWidth;
        this.boxX = new int[n];
        this.boxY = new int[n];
        this.weightX = new double[n * NODES_PER_BOX];
        this.weightY = new double[n * NODES_PER_BOX];
    }

    @Override
    double repulsion(double[] y, double[] repulsion) {
        Bounds bounds = Bounds.of(y, n);
        double extent = Math.max(bounds.side(), 1e-12);
        // Boxes: enough that none is wider than maxBoxWidth; then as many as the power-of-two
        // transform holds anyway (a finer grid at no extra cost).
        int wanted = Math.max(minBoxes, (int) Math.ceil(extent / maxBoxWidth));
        int size = Integer.highestOneBit(2 * NODES_PER_BOX * wanted - 1) << 1;
        int boxes = size / (2 * NODES_PER_BOX);
        int nodes = boxes * NODES_PER_BOX;
        double boxWidth = extent / boxes;
        double left = bounds.minX(), bottom = bounds.minY();
        prepare(size);

        Parallel.forEach((n + TILE - 1) / TILE, tile -> {
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                boxX[i] = locate(y[2 * i] - left, boxWidth, boxes, weightX, i);
                boxY[i] = locate(y[2 * i + 1] - bottom, boxWidth, boxes, weightY, i);
            }
        });
        // packed = charges + i K_Z, force = K_x + i K_y: real pairs share one complex transform.
        fillKernels(boxWidth / NODES_PER_BOX, nodes);
        for (int i = 0; i < n; i++) spread(i, packedRe);
        fft.forward(packedRe, packedIm, size);
        fft.forward(forceRe, forceIm, size);
        double z = multiplySpectra(size) - n; // minus the self-pairs, K_Z(0) = 1 each
        fft.inverse(forceRe, forceIm, nodes);

        Parallel.forEach((n + TILE - 1) / TILE, tile -> {
            for (int i = tile * TILE; i < Math.min(n, (tile + 1) * TILE); i++) {
                repulsion[2 * i] = gather(i, forceRe);
                repulsion[2 * i + 1] = gather(i, forceIm);
            }
        });
        return z;
    }

    /** (Re)allocates the [M, M] grids when the transform size changes. */
    private void prepare(int size) {
        if (fft != null && fft.size() == size) return;
        fft = new Fft2d(size);
        packedRe = new double[size * size];
        packedIm = new double[size * size];
        forceRe = new double[size * size];
        forceIm = new double[size * size];
        zRows = new double[size];
    }

    /**
     * The box of a coordinate at {@code offset} from the grid's edge, and its p Lagrange weights
     * into {@code weights[i * p ..]}: the nodes sit at (t + 1/2) / p of the box, t in [0, p), and
     * weight t is the polynomial that is 1 at node t and 0 at the others.
     */
    static int locate(double offset, double boxWidth, int boxes, double[] weights, int i) {
        int box = Math.min(boxes - 1, (int) (offset / boxWidth));
        double u = offset / boxWidth - box; // position inside the box, in [0, 1]
        for (int t = 0; t < NODES_PER_BOX; t++) {
            double nodeT = (t + 0.5) / NODES_PER_BOX;
            double w = 1;
            for (int s = 0; s < NODES_PER_BOX; s++) {
                if (s == t) continue;
                double nodeS = (s + 0.5) / NODES_PER_BOX;
                w *= (u - nodeS) / (nodeT - nodeS);
            }
            weights[i * NODES_PER_BOX + t] = w;
        }
        return box;
    }

    /** Adds point i's unit charge to the p x p nodes of its box in {@code grid} [M, M] (row = x node, column = y node). */
    private void spread(int i, double[] grid) {
        int m = fft.size();
        for (int s = 0; s < NODES_PER_BOX; s++) {
            int row = (boxX[i] * NODES_PER_BOX + s) * m + boxY[i] * NODES_PER_BOX;
            double ws = weightX[i * NODES_PER_BOX + s];
            for (int t = 0; t < NODES_PER_BOX; t++) grid[row + t] += ws * weightY[i * NODES_PER_BOX + t];
        }
    }

    /** Point i's interpolated value of {@code grid}: its box's nodes, weighted as in {@link #spread}. */
    private double gather(int i, double[] grid) {
        int m = fft.size();
        double sum = 0;
        for (int s = 0; s < NODES_PER_BOX; s++) {
            int row = (boxX[i] * NODES_PER_BOX + s) * m + boxY[i] * NODES_PER_BOX;
            double ws = weightX[i * NODES_PER_BOX + s];
            for (int t = 0; t < NODES_PER_BOX; t++) sum += ws * weightY[i * NODES_PER_BOX + t] * grid[row + t];
        }
        return sum;
    }

    /**
     * The kernels between nodes as circulant M x M grids: entry [a][b] holds the kernel at node
     * offsets (a, b), an offset -a being stored at M - a. Offsets of G or more never occur between
     * nodes and stay zero, so the circular convolution of the transform is the plain one. K_Z goes
     * to {@code packedIm} (whose real part is cleared for the charges), K_x and K_y to
     * {@code forceRe} and {@code forceIm}.
     */
    private void fillKernels(double spacing, int nodes) {
        int m = fft.size();
        Arrays.fill(packedRe, 0);
        Arrays.fill(packedIm, 0);
        Arrays.fill(forceRe, 0);
        Arrays.fill(forceIm, 0);
        // Row a and row M - a belong to offset a alone: the rows of different offsets never meet.
        Parallel.forEach(nodes, a -> {
            for (int sa : new int[] {a, -a}) {
                if (a == 0 && sa < 0) continue;
                int row = Math.floorMod(sa, m) * m;
                for (int b = -(nodes - 1); b < nodes; b++) {
                    double dx = sa * spacing, dy = b * spacing;
                    double kernel = 1 / (1 + dx * dx + dy * dy);
                    int e = row + Math.floorMod(b, m);
                    packedIm[e] = kernel;
                    forceRe[e] = dx * kernel * kernel;
                    forceIm[e] = dy * kernel * kernel;
                }
            }
        });
    }

    /**
     * Unpacks the spectra of the charges C and of K_Z from {@code packed} = FFT(charges + i K_Z),
     * multiplies the force kernels' spectrum by C (a convolution with the charges), and returns
     * sum_nodes charge * (K_Z * charges) = (1 / M^2) sum_k |C_k|^2 Re(K_Z)_k (Parseval; K_Z is
     * even, so its spectrum is real). For real signals a and b, with X = FFT(a + i b):
     * A_k = (X_k + conj X_-k) / 2 and B_k = (X_k - conj X_-k) / 2i.
     */
    private double multiplySpectra(int m) {
        Parallel.forEach(m, r -> {
            int mirrorRow = (m - r) % m;
            double sum = 0;
            for (int c = 0; c < m; c++) {
                int e = r * m + c, mirror = mirrorRow * m + (m - c) % m;
                double xr = packedRe[e], xi = packedIm[e], yr = packedRe[mirror], yi = packedIm[mirror];
                double chargeRe = (xr + yr) / 2, chargeIm = (xi - yi) / 2;
                double kernelZ = (xi + yi) / 2;
                sum += (chargeRe * chargeRe + chargeIm * chargeIm) * kernelZ;
                double fr = forceRe[e], fi = forceIm[e];
                forceRe[e] = chargeRe * fr - chargeIm * fi;
                forceIm[e] = chargeRe * fi + chargeIm * fr;
            }
            zRows[r] = sum;
        });
        double z = 0;
        for (double row : zRows) z += row; // fixed order: same bits on any thread count
        return z / ((double) m * m);
    }
}
