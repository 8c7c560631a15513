package javae.engine.kernels;

/**
 * The plain loops that define {@link ElementwiseKernels}, each over the index range [from, to) so
 * the vector kernels can reuse them for their scalar tails. Exponentials and logarithms are taken
 * in double and rounded once to float.
 */
final class ElementwiseReference {
    private ElementwiseReference() {}

    /** out = max(x, 0), and 0 where x is NaN. */
    static void relu(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = x[i] > 0f ? x[i] : 0f;
    }

    /** gx += g where x > 0. */
    static void reluBackward(float[] x, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) if (x[i] > 0f) gx[i] += g[i];
    }

    /** g = 0 where y <= 0 (or NaN), unchanged where y > 0: relu's backward in place, from relu's output y. */
    static void reluBackwardInPlace(float[] y, float[] g, int from, int to) {
        for (int i = from; i < to; i++) if (!(y[i] > 0f)) g[i] = 0f;
    }

    /**
     * out = log(1 + e^x), as max(x, 0) + log1p(e^-|x|): the exponent is never positive, so nothing
     * overflows, and log1p keeps the digits that 1 + e^-|x| would round away.
     */
    static void softplus(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) (Math.max(x[i], 0.0) + Math.log1p(Math.exp(-Math.abs(x[i]))));
    }

    /** out = 1 / (1 + e^-x). */
    static void sigmoid(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) sigmoid(x[i]);
    }

    /** gx += g sigmoid(x), softplus' derivative. */
    static void softplusBackward(float[] x, float[] g, float[] gx, int from, int to) {
        for (int i = from; i < to; i++) gx[i] += g[i] * (float) sigmoid(x[i]);
    }

    /**
     * 1 / (1 + e^-x) without overflow: for x >= 0 e^-x is at most 1; for x < 0 the same value is
     * written as e^x / (1 + e^x), whose exponent is again negative.
     */
    static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** out = tanh(x). */
    static void tanh(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) Math.tanh(x[i]);
    }

    /** out = e^x. */
    static void exp(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) Math.exp(x[i]);
    }

    /** out = ln x (NaN below 0, -infinity at 0). */
    static void log(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = (float) Math.log(x[i]);
    }

    /** The sum of x[from, to), accumulated in double: long float sums lose digits. */
    static double sum(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += x[i];
        return sum;
    }

    /** The sum of (a_i - b_i)^2 over [from, to), accumulated in double. */
    static double squaredDistance(float[] a, float[] b, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            float difference = a[i] - b[i];
            sum += difference * difference;
        }
        return sum;
    }
}
