package javae.vae.tsne;

import javae.engine.kernels.Gemm;
import javae.engine.kernels.Parallel;
import javae.engine.kernels.VectorSupport;

/**
 * Squared Euclidean distances between the rows of a point matrix, in blocks of rows, through the
 * engine's GEMM: ||x_i - x_j||^2 = ||x_i||^2 + ||x_j||^2 - 2 x_i . x_j. The block form never holds
 * the whole N x N matrix, so it serves 10,000 points as well as 100.
 */
final class PairwiseDistances {
    /** Rows per block: a [ROWS_PER_BLOCK, pitch] float block of 10,000 columns is 2.5 MB. */
    static final int ROWS_PER_BLOCK = 64;
    /**
     * A block's rows are padded to a multiple of this many columns (zero points), so every GEMM
     * tile is a full one: the JIT compiles the GEMM kernel while the first block runs, and a first
     * tile at the right edge, a branch it had not seen, would make it throw that code away and
     * compile again, a few hundred milliseconds of a cold run.
     */
    static final int COLUMN_PADDING = 64;

    private final float[] points;     // [N, D] as float, for GEMM
    private final float[] transposed; // [D, pitch] the same, transposed once here (GEMM packs a plain
                                      // B by row copies, a transposed one by gathers, slow until compiled)
    private final float[] norms;      // [N] squared row norms
    private final int n;
    private final int d;
    private final int pitch;          // N rounded up to COLUMN_PADDING
    // One block of dot products per worker thread, reused: a fresh 2.5 MB block each time would be
    // new memory to fault in and zero, N / ROWS_PER_BLOCK times. The thread-local holds the plain
    // array, never a Block: a Block refers back to this object, which would then keep itself (and
    // its points) alive in every thread that ran a block, long after the call.
    private final ThreadLocal<float[]> dotBlocks;

    PairwiseDistances(double[] x, int n, int d) {
        this.n = n;
        this.d = d;
        this.pitch = (n + COLUMN_PADDING - 1) / COLUMN_PADDING * COLUMN_PADDING;
        this.points = new float[n * d];
        this.transposed = new float[d * pitch];
        this.norms = new float[n];
        this.dotBlocks = ThreadLocal.withInitial(() -> new float[ROWS_PER_BLOCK * pitch]);
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                double v = x[i * d + c];
                points[i * d + c] = (float) v;
                transposed[c * pitch + i] = (float) v;
                norm += v * v;
            }
            norms[i] = (float) norm;
        }
    }

    int size() {
        return n;
    }

    /** Number of row blocks covering all N rows. */
    int blocks() {
        return (n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
    }

    /** First row of a block. */
    int blockStart(int block) {
        return block * ROWS_PER_BLOCK;
    }

    /** Rows in a block (the last one may be short). */
    int blockRows(int block) {
        return Math.min(ROWS_PER_BLOCK, n - blockStart(block));
    }

    /**
     * The distances from rows [start, start + rows) to every row, as a Block over this thread's
     * dot-product array: valid until the thread's next call.
     */
    Block block(int start, int rows) {
        float[] dots = dotBlocks.get();
        // dots [rows, pitch] = X[start:start+rows] [rows, D] * X^T [D, pitch]
        Gemm.multiply(false, false, rows, pitch, d, points, start * d, transposed, 0, dots, 0, false);
        return new Block(dots, start);
    }

    /**
     * The squared distances from a block of rows to every row, kept as GEMM left them, dot products
     * x_i . x_j, and expanded where they are read: ||x_i||^2 + ||x_j||^2 - 2 x_i . x_j. Expanding
     * them all first was one more pass over a block larger than L2, a fifth of the kNN's time, for
     * distances most of which are only compared once. Rounding can make the expansion slightly
     * negative for near-identical points, so it is clamped at zero; callers that need exact values
     * recompute the few distances they keep.
     */
    final class Block {
        private final float[] dots; // [ROWS_PER_BLOCK, pitch]; columns [N, pitch) are padding
        private final int start;    // the block's first row

        private Block(float[] dots, int start) {
            this.dots = dots;
            this.start = start;
        }

        /** The squared distance from row {@code start + r} to row j. */
        float distance(int r, int j) {
            return Math.max(0f, norms[start + r] + norms[j] - 2f * dots[r * pitch + j]);
        }

        /**
         * A column e in [from, N] such that row {@code start + r} is at least {@code threshold}
         * away from every row in [from, e); the caller checks the columns from e on one by one.
         * Without the Vector API that is {@code from} itself.
         */
        int skipAtLeast(int r, int from, float threshold) {
            if (!VectorSupport.enabled()) return from;
            return SelectionVector.skipAtLeast(dots, r * pitch, norms, norms[start + r], from, n, threshold);
        }
    }

    /** The squared distance between rows i and j of {@code x}, in double precision. */
    static double exact(double[] x, int d, int i, int j) {
        double sum = 0;
        for (int c = 0; c < d; c++) {
            double diff = x[i * d + c] - x[j * d + c];
            sum += diff * diff;
        }
        return sum;
    }

    /**
     * The k nearest neighbours of every row (itself excluded), ascending by distance, ties broken by
     * index. Returns indices [N, k]; {@code sqDistances} [N, k] receives the exact double-precision
     * squared distances.
     */
    static int[] nearest(double[] x, int n, int d, int k, double[] sqDistances) {
        PairwiseDistances distances = new PairwiseDistances(x, n, d);
        int[] neighbours = new int[n * k];
        Parallel.forEach(distances.blocks(), block -> {
            int start = distances.blockStart(block);
            int rows = distances.blockRows(block);
            Block distance = distances.block(start, rows);
            int[] heap = new int[k];
            float[] heapKey = new float[k];
            double[] exactDist = new double[k];
            for (int r = 0; r < rows; r++) {
                int i = start + r;
                nearestOfRow(distance, r, i, n, k, heap, heapKey);
                for (int m = 0; m < k; m++) exactDist[m] = exact(x, d, i, heap[m]);
                sortByDistance(heap, exactDist, k);
                System.arraycopy(heap, 0, neighbours, i * k, k);
                System.arraycopy(exactDist, 0, sqDistances, i * k, k);
            }
        });
        return neighbours;
    }

    /**
     * The k nearest columns of row i (row r of the block), itself excluded, into {@code heap}
     * ascending by float distance. One row per call: the JIT compiler compiles a method called this
     * often once, while the row loop of a whole block inside one call was compiled again for every
     * loop it was entered by (on-stack replacement), five times in a cold run.
     */
    private static void nearestOfRow(Block distance, int r, int i, int n, int k, int[] heap, float[] heapKey) {
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (size == k) {
                // the heap is full: jump over the run of candidates no better than its worst
                j = distance.skipAtLeast(r, j, heapKey[0]);
                if (j == n) break;
            }
            if (j == i) continue;
            float dist = distance.distance(r, j);
            if (size < k) {
                siftUp(heap, heapKey, size++, j, dist);
            } else if (dist < heapKey[0]) {
                replaceTop(heap, heapKey, k, j, dist);
            }
        }
        // Emptying the max-heap from the top orders the kept ones by their float distance; the
        // exact distances can only swap near-ties, which the insertion sort of the caller fixes.
        for (int last = k - 1; last > 0; last--) {
            int top = heap[0];
            float topKey = heapKey[0];
            replaceTop(heap, heapKey, last, heap[last], heapKey[last]);
            heap[last] = top;
            heapKey[last] = topKey;
        }
    }

    /** Insertion sort of {@code index} and {@code dist} together by (distance, index): fast on nearly sorted input. */
    private static void sortByDistance(int[] index, double[] dist, int k) {
        for (int a = 1; a < k; a++) {
            int item = index[a];
            double key = dist[a];
            int b = a - 1;
            while (b >= 0 && (dist[b] > key || (dist[b] == key && index[b] > item))) {
                index[b + 1] = index[b];
                dist[b + 1] = dist[b];
                b--;
            }
            index[b + 1] = item;
            dist[b + 1] = key;
        }
    }

    // A max-heap on distance (ties: larger index on top) of the k best candidates so far.

    private static boolean above(float keyA, int a, float keyB, int b) {
        return keyA > keyB || (keyA == keyB && a > b);
    }

    private static void siftUp(int[] heap, float[] key, int pos, int item, float dist) {
        while (pos > 0) {
            int parent = (pos - 1) / 2;
            if (!above(dist, item, key[parent], heap[parent])) break;
            heap[pos] = heap[parent];
            key[pos] = key[parent];
            pos = parent;
        }
        heap[pos] = item;
        key[pos] = dist;
    }

    private static void replaceTop(int[] heap, float[] key, int size, int item, float dist) {
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= size) break;
            if (child + 1 < size && above(key[child + 1], heap[child + 1], key[child], heap[child])) child++;
            if (!above(key[child], heap[child], dist, item)) break;
            heap[pos] = heap[child];
            key[pos] = key[child];
            pos = child;
        }
        heap[pos] = item;
        key[pos] = dist;
    }
}
