package javae.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Function;

/**
 * Finite-difference gradient checks. The scalar tested is {@code L = sum(f(inputs) * R)} with a
 * fixed random {@code R}, so every output element contributes; the analytic gradient comes from
 * {@code backward(R)}, the numerical one from central differences
 * {@code (L(x + eps) - L(x - eps)) / (2 eps)}, both accumulated in double.
 */
public final class GradCheck {
    /** Step for central differences: large enough that float32 rounding stays small beside it. */
    public static final double EPS = 1e-2;
    /** Accept when |analytic - numeric| <= ATOL + RTOL * |numeric|. */
    public static final double ATOL = 2e-3, RTOL = 2e-2;

    private GradCheck() {}

    /** Checks d/d(input) of f for every input that requires a gradient; fails naming the worst element. */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, EPS, ATOL, RTOL, f, inputs);
    }

    public static void check(String name, double eps, double atol, double rtol, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) t.zeroGrad();
        Tensor out = f.apply(inputs);
        Tensor projection = Tensor.uniform(new Rng(1234), -1f, 1f, out.shape().toArray());
        out.backward(projection);
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            if (!x.requiresGrad()) continue;
            if (x.grad() == null) fail(name + ": input " + k + " requires a gradient but received none");
            float[] analytic = x.grad().toArray();
            float[] values = x.data();
            double worst = 0;
            String report = null;
            for (int i = 0; i < values.length; i++) {
                float saved = values[i];
                values[i] = (float) (saved + eps);
                double plus = projected(f, inputs, projection);
                values[i] = (float) (saved - eps);
                double minus = projected(f, inputs, projection);
                values[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(analytic[i] - numeric);
                double excess = err - (atol + rtol * Math.abs(numeric));
                if (excess > worst) {
                    worst = excess;
                    report = String.format("%s: d/d(input %d)[%d] analytic %.6g vs numeric %.6g (|diff| %.3g, tolerance %.1g + %.1g*|numeric|)",
                            name, k, i, analytic[i], numeric, err, atol, rtol);
                }
            }
            if (report != null) fail(report);
        }
    }

    private static double projected(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor projection) {
        try (var scope = Autograd.noGrad()) {
            float[] out = f.apply(inputs).data();
            float[] r = projection.data();
            double sum = 0;
            for (int i = 0; i < out.length; i++) sum += (double) out[i] * r[i];
            return sum;
        }
    }
}
