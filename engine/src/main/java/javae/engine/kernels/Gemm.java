package javae.engine.kernels;

/**
 * Single-precision matrix multiply on row-major arrays, the heart of linear and convolution layers:
 * {@code C = op(A) * op(B)}, or {@code C += op(A) * op(B)} when {@code accumulate}.
 * A is [m, k] ([k, m] when {@code transA}), B is [k, n] ([n, k] when {@code transB}), C is [m, n];
 * each is contiguous from its offset.
 */
public final class Gemm {
    private Gemm() {}

    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOffset, float[] b, int bOffset,
                                float[] c, int cOffset, boolean accumulate) {
        GemmReference.multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    }
}
