package javae.engine.kernels;

import java.util.Arrays;

/**
 * Single-precision matrix multiply on row-major arrays, the heart of linear and convolution layers:
 * {@code C = op(A) * op(B)}, or {@code C += op(A) * op(B)} when {@code accumulate}.
 * A is [m, k] ([k, m] when {@code transA}), B is [k, n] ([n, k] when {@code transB}), C is [m, n];
 * each is contiguous from its offset.
 *
 * <p>This facade picks the kernel: {@link GemmReference}, the plain triple loop, for tiny products
 * and when the Vector API is off ({@link VectorSupport}); otherwise {@code GemmVector}, packed and
 * register-blocked, parallel over fixed output tiles. Either way the result does not depend on the
 * number of threads. The package-private {@link #multiplyRows} is the same product on operands
 * given row by row, for the convolutions.
 */
public final class Gemm {
    /** Below this many multiply-adds packing costs more than it saves: the triple loop is used. */
    static final long MIN_PACKED_WORK = 4096;

    private Gemm() {}

    /**
     * {@code C (+)= op(A) * op(B)}, with the shapes in the class comment.
     *
     * @throws IllegalArgumentException if a size is negative or an array is too short for its shape
     */
    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOffset, float[] b, int bOffset,
                                float[] c, int cOffset, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkFits("A", a, aOffset, (long) m * k, m, k);
        checkFits("B", b, bOffset, (long) k * n, k, n);
        checkFits("C", c, cOffset, (long) m * n, m, n);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOffset, cOffset + m * n, 0f);
            return;
        }
        if (VectorSupport.enabled() && (long) m * n * k >= MIN_PACKED_WORK) {
            GemmVector.multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
        } else {
            GemmReference.multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
        }
    }

    /**
     * {@code C (+)= op(A) * op(B)} with B and C given row by row, for operands that are not one
     * dense matrix (the convolutions' windows, read straight from the input). A row r starts at
     * {@code a[aRows[r]]}: rows of A [m, k] (r &lt; m), or of A [k, m] when {@code transA} (r &lt; k);
     * likewise B row r at {@code b[bRows[r]]}: rows of B [k, n] (r &lt; k), or of B [n, k] when
     * {@code transB} (r &lt; n). Row i of C [m, n] is {@code c[cRows[i] .. + n)}. Rows may
     * overlap; overlapping rows of C must accumulate, and then every product is added in. Runs on the
     * calling thread, in a fixed order. Package-private: only the kernels need it.
     *
     * <p>With {@code transB}, {@code bColumns}, when not null, says where each step lies within B's
     * rows, which then need not be contiguous: element (j, p) of B [n, k] is
     * {@code b[bRows[j] + bColumns[p]]}, or zero where {@code bColumns[p]} is negative. (A weight
     * gradient reads the output gradient so, where it lies.) Without {@code transB} it must be null.
     *
     * <p>{@code sameA}, when not null, is a token the caller gives every call that multiplies by the
     * same A (the same values, sizes and rows), such as one object per convolution call for its
     * weights: a thread then packs that A once and reuses it in its later calls with the token.
     *
     * @throws IllegalArgumentException if a size is negative or a row does not fit in its array
     */
    static void multiplyRows(boolean transA, boolean transB, int m, int n, int k, float[] a, int[] aRows,
                             float[] b, int[] bRows, int[] bColumns, float[] c, int[] cRows, boolean accumulate, Object sameA) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        if (bColumns != null && !transB) throw new IllegalArgumentException("gemm: a column table for B needs transB");
        checkRows("A", a, aRows, transA ? k : m, transA ? m : k);
        checkRows("B", b, bRows, transB ? n : k, transB ? rowSpan(bColumns, k) : n);
        checkRows("C", c, cRows, m, n);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cRows[i], cRows[i] + n, 0f);
            return;
        }
        if (VectorSupport.enabled() && (long) m * n * k >= MIN_PACKED_WORK) {
            GemmVector.multiplyRows(transA, transB, m, n, k, a, aRows, b, bRows, bColumns, c, cRows, accumulate, sameA);
        } else {
            GemmReference.multiplyRows(transA, transB, m, n, k, a, aRows, b, bRows, bColumns, c, cRows, accumulate);
        }
    }

    /** Where step p of a transposed B lies within its rows: p itself, or bColumns[p] when there is a table (negative: a zero step). */
    static int column(int[] bColumns, int p) {
        return bColumns == null ? p : bColumns[p];
    }

    /** How far B's rows reach: k floats, or with a column table, to its largest column. */
    private static int rowSpan(int[] bColumns, int k) {
        if (bColumns == null) return k;
        if (bColumns.length < k) {
            throw new IllegalArgumentException("gemm: B needs " + k + " column offsets, got " + bColumns.length);
        }
        int span = 0;
        for (int p = 0; p < k; p++) span = Math.max(span, bColumns[p] + 1);
        return span;
    }

    private static void checkRows(String name, float[] array, int[] rows, int count, int length) {
        if (rows.length < count) {
            throw new IllegalArgumentException("gemm: " + name + " needs " + count + " row offsets, got " + rows.length);
        }
        for (int r = 0; r < count; r++) {
            if (rows[r] < 0 || (long) rows[r] + length > array.length) {
                throw new IllegalArgumentException("gemm: " + name + " row " + r + " [" + length + "] from offset "
                        + rows[r] + " does not fit in an array of length " + array.length);
            }
        }
    }

    private static void checkFits(String name, float[] array, int offset, long size, int rows, int cols) {
        if (offset < 0 || offset + size > array.length) {
            throw new IllegalArgumentException("gemm: " + name + " [" + rows + ", " + cols + "] from offset "
                    + offset + " does not fit in an array of length " + array.length);
        }
    }
}
