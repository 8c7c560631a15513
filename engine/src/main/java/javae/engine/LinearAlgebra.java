package javae.engine;

import javae.engine.kernels.Gemm;

/**
 * Matrix products: matmul (2-D and batched 3-D) and the linear layer. All work goes to
 * {@link Gemm#multiply}; the backward passes use its transpose flags, so no transposed copy is
 * ever made, and its accumulate flag, so gradients add into what is already there.
 */
final class LinearAlgebra {
    private LinearAlgebra() {}

    /** c [m, n] = a [m, k] b [k, n], or per batch entry for [B, m, k] x [B, k, n]; da += g b^T, db += a^T g. */
    static Tensor matmul(Tensor a, Tensor b) {
        boolean batched = a.rank() == 3 && b.rank() == 3;
        if (!batched && !(a.rank() == 2 && b.rank() == 2)) {
            throw new IllegalArgumentException("matmul: needs two 2-D [m, k] x [k, n] or two 3-D [B, m, k] x [B, k, n] tensors, got " + a.shape() + " and " + b.shape());
        }
        int batch = batched ? a.dim(0) : 1;
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k || (batched && b.dim(0) != batch)) {
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " do not match");
        }
        float[] x = a.data(), y = b.data();
        float[] out = TensorScope.resultArray(batch * m * n);
        for (int i = 0; i < batch; i++) {
            Gemm.multiply(false, false, m, n, k, x, i * m * k, y, i * k * n, out, i * m * n, false);
        }
        Shape shape = batched ? Shape.of(batch, m, n) : Shape.of(m, n);
        return Autograd.record(Tensor.wrap(out, shape), "matmul", g -> {
            for (int i = 0; i < batch; i++) {
                // da [m, k] += g [m, n] b^T [n, k]
                if (a.requiresGrad()) Gemm.multiply(false, true, m, k, n, g, i * m * n, y, i * k * n, a.gradData(), i * m * k, true);
                // db [k, n] += a^T [k, m] g [m, n]
                if (b.requiresGrad()) Gemm.multiply(true, false, k, n, m, x, i * m * k, g, i * m * n, b.gradData(), i * k * n, true);
            }
        }, a, b);
    }

    /** y [N, out] = x [N, in] w^T + b, with w [out, in] and b [out] or null (PyTorch's layout). */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: needs input x [N, in] and weight w [out, in], got x " + x.shape() + " and w " + w.shape());
        }
        int rows = x.dim(0), in = x.dim(1), out = w.dim(0);
        if (b != null && (b.rank() != 1 || b.dim(0) != out)) {
            throw new IllegalArgumentException("linear: bias b must have shape [" + out + "] for weight w " + w.shape() + ", got " + b.shape());
        }
        float[] y = TensorScope.resultArray(rows * out);
        Gemm.multiply(false, true, rows, out, in, x.data(), 0, w.data(), 0, y, 0, false);
        if (b != null) {
            float[] bias = b.data();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) y[r * out + j] += bias[j];
            }
        }
        return Autograd.record(Tensor.wrap(y, rows, out), "linear", g -> {
            // dx [N, in] += g [N, out] w [out, in]
            if (x.requiresGrad()) Gemm.multiply(false, false, rows, in, out, g, 0, w.data(), 0, x.gradData(), 0, true);
            // dw [out, in] += g^T [out, N] x [N, in]
            if (w.requiresGrad()) Gemm.multiply(true, false, out, in, rows, g, 0, x.data(), 0, w.gradData(), 0, true);
            // db [out] += g summed over rows
            if (b != null && b.requiresGrad()) {
                float[] gb = b.gradData();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < out; j++) gb[j] += g[r * out + j];
                }
            }
        }, x, w, b);
    }
}
