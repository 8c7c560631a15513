package javae.engine;

import javae.engine.kernels.ElementwiseKernels;
import javae.engine.kernels.Parallel;

/**
 * The activation functions: relu, leakyRelu, sigmoid, tanh, softplus. Each computes its result
 * and, beside it, the backward closure that adds {@code g * f'(x)} into the input's gradient.
 * relu, sigmoid, tanh and softplus run on {@link ElementwiseKernels} (vectorised where the Vector
 * API is available); sigmoid and softplus are arranged there so that no exponential ever overflows,
 * whatever the input.
 */
final class Activations {
    private Activations() {}

    /** out = max(0, a); da += g where a > 0. */
    static Tensor relu(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        ElementwiseKernels.relu(x, out);
        return Autograd.record(Tensor.wrap(out, a.shape()), "relu", g -> ElementwiseKernels.reluBackward(x, g, a.gradData()), a);
    }

    /** out = a where a > 0, slope * a elsewhere; da += g or slope * g. */
    static Tensor leakyRelu(Tensor a, float slope) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = x[i] > 0f ? x[i] : slope * x[i];
        return Autograd.record(Tensor.wrap(out, a.shape()), "leakyRelu", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += x[i] > 0f ? g[i] : slope * g[i];
        }, a);
    }

    /** out = 1 / (1 + e^-a); da += g out (1 - out). */
    static Tensor sigmoid(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        ElementwiseKernels.sigmoid(x, out);
        return Autograd.record(Tensor.wrap(out, a.shape()), "sigmoid", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += g[i] * out[i] * (1f - out[i]);
        }, a);
    }

    /** out = tanh(a); da += g (1 - out^2). */
    static Tensor tanh(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        ElementwiseKernels.tanh(x, out);
        return Autograd.record(Tensor.wrap(out, a.shape()), "tanh", g -> {
            float[] ga = a.gradData();
            // as long as the forward (the VAE's output), so in parallel chunks as well
            Parallel.forEachChunk(g.length, Parallel.MIN_CHUNKED_LENGTH, (from, to) -> {
                for (int i = from; i < to; i++) ga[i] += g[i] * (1f - out[i] * out[i]);
            });
        }, a);
    }

    /**
     * out = log(1 + e^a); da += g sigmoid(a).
     *
     * <p>Written naively, e^a overflows for a above about 88 in float (709 in double) and the
     * result becomes infinity. Instead split off the larger of log(1) and log(e^a), as a max-subtracted
     * log-sum-exp does: log(1 + e^a) = max(a, 0) + log(1 + e^-|a|). Now the exponent is never
     * positive, so e^-|a| lies in [0, 1], and log1p keeps full precision when it is tiny
     * (for a = -40, 1 + e^-40 rounds to 1 even in double and log would give 0; log1p gives 4.2e-18).
     */
    static Tensor softplus(Tensor a) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        ElementwiseKernels.softplus(x, out);
        return Autograd.record(Tensor.wrap(out, a.shape()), "softplus", g -> ElementwiseKernels.softplusBackward(x, g, a.gradData()), a);
    }
}
