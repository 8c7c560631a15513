package javae.engine;

/**
 * Elementwise arithmetic with NumPy broadcasting: add, sub, mul, div, and their scalar forms.
 * Each op computes its result and, beside it, the backward closure that adds into its inputs'
 * gradients; where an input was broadcast, the gradient is summed over the repeated elements.
 */
final class Arithmetic {
    private Arithmetic() {}

    /** out = a + b; da += g, db += g. */
    static Tensor add(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of("add", a.shape(), b.shape());
        float[] x = a.data(), y = b.data();
        float[] out = TensorScope.resultArray(bc.out.size());
        for (int i = 0; i < out.length; i++) out[i] = x[Broadcast.at(bc.indexA, i)] + y[Broadcast.at(bc.indexB, i)];
        return Autograd.record(Tensor.wrap(out, bc.out), "add", g -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradData();
                for (int i = 0; i < g.length; i++) ga[Broadcast.at(bc.indexA, i)] += g[i];
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradData();
                for (int i = 0; i < g.length; i++) gb[Broadcast.at(bc.indexB, i)] += g[i];
            }
        }, a, b);
    }

    /** out = a - b; da += g, db -= g. */
    static Tensor sub(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of("sub", a.shape(), b.shape());
        float[] x = a.data(), y = b.data();
        float[] out = TensorScope.resultArray(bc.out.size());
        for (int i = 0; i < out.length; i++) out[i] = x[Broadcast.at(bc.indexA, i)] - y[Broadcast.at(bc.indexB, i)];
        return Autograd.record(Tensor.wrap(out, bc.out), "sub", g -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradData();
                for (int i = 0; i < g.length; i++) ga[Broadcast.at(bc.indexA, i)] += g[i];
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradData();
                for (int i = 0; i < g.length; i++) gb[Broadcast.at(bc.indexB, i)] -= g[i];
            }
        }, a, b);
    }

    /** out = a * b; da += g * b, db += g * a. */
    static Tensor mul(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of("mul", a.shape(), b.shape());
        float[] x = a.data(), y = b.data();
        float[] out = TensorScope.resultArray(bc.out.size());
        for (int i = 0; i < out.length; i++) out[i] = x[Broadcast.at(bc.indexA, i)] * y[Broadcast.at(bc.indexB, i)];
        return Autograd.record(Tensor.wrap(out, bc.out), "mul", g -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradData();
                for (int i = 0; i < g.length; i++) ga[Broadcast.at(bc.indexA, i)] += g[i] * y[Broadcast.at(bc.indexB, i)];
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradData();
                for (int i = 0; i < g.length; i++) gb[Broadcast.at(bc.indexB, i)] += g[i] * x[Broadcast.at(bc.indexA, i)];
            }
        }, a, b);
    }

    /** out = a / b; da += g / b, db -= g * a / b^2 = g * out / b. */
    static Tensor div(Tensor a, Tensor b) {
        Broadcast bc = Broadcast.of("div", a.shape(), b.shape());
        float[] x = a.data(), y = b.data();
        float[] out = TensorScope.resultArray(bc.out.size());
        for (int i = 0; i < out.length; i++) out[i] = x[Broadcast.at(bc.indexA, i)] / y[Broadcast.at(bc.indexB, i)];
        return Autograd.record(Tensor.wrap(out, bc.out), "div", g -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradData();
                for (int i = 0; i < g.length; i++) ga[Broadcast.at(bc.indexA, i)] += g[i] / y[Broadcast.at(bc.indexB, i)];
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradData();
                for (int i = 0; i < g.length; i++) gb[Broadcast.at(bc.indexB, i)] -= g[i] * out[i] / y[Broadcast.at(bc.indexB, i)];
            }
        }, a, b);
    }

    /** out = a + s; da += g. */
    static Tensor addScalar(Tensor a, float s) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = x[i] + s;
        return Autograd.record(Tensor.wrap(out, a.shape()), "add_scalar", g -> a.accumulateGrad(g), a);
    }

    /** out = a * s; da += g * s. */
    static Tensor mulScalar(Tensor a, float s) {
        float[] x = a.data();
        float[] out = TensorScope.resultArray(x.length);
        for (int i = 0; i < out.length; i++) out[i] = x[i] * s;
        return Autograd.record(Tensor.wrap(out, a.shape()), "mul_scalar", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < g.length; i++) ga[i] += g[i] * s;
        }, a);
    }
}
