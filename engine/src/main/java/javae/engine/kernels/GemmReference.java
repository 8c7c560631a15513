package javae.engine.kernels;

/** The plain triple loop that defines {@link Gemm#multiply}; the fast kernels are tested against it. */
final class GemmReference {
    private GemmReference() {}

    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOffset, float[] b, int bOffset,
                         float[] c, int cOffset, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
                    float bpj = transB ? b[bOffset + j * k + p] : b[bOffset + p * n + j];
                    sum += aip * bpj;
                }
                int ci = cOffset + i * n + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    /**
     * {@link Gemm#multiplyRows}: the same loop, with A, B and C reached through their row offsets (and
     * B's steps through its column table, when given).
     */
    static void multiplyRows(boolean transA, boolean transB, int m, int n, int k, float[] a, int[] aRows,
                             float[] b, int[] bRows, int[] bColumns, float[] c, int[] cRows, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aRows[p] + i] : a[aRows[i] + p];
                    int column = Gemm.column(bColumns, p);
                    float bpj = transB ? (column < 0 ? 0f : b[bRows[j] + column]) : b[bRows[p] + j];
                    sum += aip * bpj;
                }
                int ci = cRows[i] + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }
}
