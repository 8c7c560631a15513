package javae.engine;

import javae.engine.kernels.ElementwiseKernels;

/**
 * Elementwise functions of one tensor: neg, exp, log, sqrt, square, pow. Each computes its result
 * and, beside it, the backward closure that adds {@code g * f'(x)} into the input's gradient,
 * reusing the saved result where f' is easiest written through it (exp, sqrt). exp and log run on
 * {@link ElementwiseKernels}.
 */
final class Elementwise {
    private Elementwise() {}

    /** out = -a; da -= g. */
    static Tensor neg(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = -x[i];
        return Autograd.record(Tensor.wrap(out, a.shape()), "neg", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] -= g[i];
        }, a);
    }

    /** out = e^a; da += g * out. */
    static Tensor exp(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        ElementwiseKernels.exp(x, out);
        return Autograd.record(Tensor.wrap(out, a.shape()), "exp", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += g[i] * out[i];
        }, a);
    }

    /** out = ln a (NaN below 0, -infinity at 0, as in PyTorch); da += g / a. */
    static Tensor log(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        ElementwiseKernels.log(x, out);
        return Autograd.record(Tensor.wrap(out, a.shape()), "log", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += g[i] / x[i];
        }, a);
    }

    /** out = sqrt(a); da += g / (2 out). */
    static Tensor sqrt(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.sqrt(x[i]);
        return Autograd.record(Tensor.wrap(out, a.shape()), "sqrt", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += g[i] / (2f * out[i]);
        }, a);
    }

    /** out = a^2; da += 2 g a. */
    static Tensor square(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = x[i] * x[i];
        return Autograd.record(Tensor.wrap(out, a.shape()), "square", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += 2f * g[i] * x[i];
        }, a);
    }

    /** out = a^p; da += g p a^(p-1), nothing when p = 0 (a constant, even at a = 0 where a^-1 is infinite). */
    static Tensor pow(Tensor a, float p) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.pow(x[i], p);
        return Autograd.record(Tensor.wrap(out, a.shape()), "pow", g -> {
            float[] ga = a.gradData();
            if (p == 0f) return;
            for (int i = 0; i < g.length; i++) ga[i] += g[i] * p * (float) Math.pow(x[i], p - 1f);
        }, a);
    }
}
