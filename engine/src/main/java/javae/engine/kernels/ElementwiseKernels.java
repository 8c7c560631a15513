package javae.engine.kernels;

import java.util.Arrays;

/**
 * Elementwise functions and the sum, the loops of activations and of the VAE's loss, on float
 * arrays. Each runs on the Vector API ({@code ElementwiseVector}) when {@link VectorSupport} allows
 * it, and otherwise on the scalar loops of {@code ElementwiseReference}, which define the results.
 * The backward kernels ADD into their gradient array.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    private static final boolean VECTOR = VectorSupport.enabled();
    /** tanh over at least this many floats runs in parallel chunks. */
    private static final int PARALLEL_TANH = 1 << 17;

    /** out = max(x, 0), 0 where x is NaN. */
    public static void relu(float[] x, float[] out) {
        requireSameLength("relu", x, out);
        relu(x, out, 0, x.length);
    }

    /** relu over the index range [from, to) only; x and out may be the same array. */
    static void relu(float[] x, float[] out, int from, int to) {
        if (VECTOR) ElementwiseVector.relu(x, out, from, to);
        else ElementwiseReference.relu(x, out, from, to);
    }

    /** gx += g where x > 0: relu's backward, with x relu's input. */
    public static void reluBackward(float[] x, float[] g, float[] gx) {
        requireSameLength("reluBackward", x, g);
        requireSameLength("reluBackward", x, gx);
        if (VECTOR) ElementwiseVector.reluBackward(x, g, gx);
        else ElementwiseReference.reluBackward(x, g, gx, 0, x.length);
    }

    /**
     * g = 0 where y <= 0 (or NaN), unchanged where y > 0: relu's backward done in place on the output
     * gradient g, from relu's output y (positive exactly where relu's input was).
     */
    static void reluBackwardInPlace(float[] y, float[] g) {
        requireSameLength("reluBackwardInPlace", y, g);
        reluBackwardInPlace(y, g, 0, y.length);
    }

    /** reluBackwardInPlace over the index range [from, to) only: one group of images of a layer's output. */
    static void reluBackwardInPlace(float[] y, float[] g, int from, int to) {
        if (VECTOR) ElementwiseVector.reluBackwardInPlace(y, g, from, to);
        else ElementwiseReference.reluBackwardInPlace(y, g, from, to);
    }

    /** out = log(1 + e^x), in a form that never overflows. */
    public static void softplus(float[] x, float[] out) {
        requireSameLength("softplus", x, out);
        if (VECTOR) ElementwiseVector.softplus(x, out);
        else ElementwiseReference.softplus(x, out, 0, x.length);
    }

    /** out = 1 / (1 + e^-x), in a form that never overflows. */
    public static void sigmoid(float[] x, float[] out) {
        requireSameLength("sigmoid", x, out);
        if (VECTOR) ElementwiseVector.sigmoid(x, out);
        else ElementwiseReference.sigmoid(x, out, 0, x.length);
    }

    /** gx += g sigmoid(x): softplus' backward, with x softplus' input. */
    public static void softplusBackward(float[] x, float[] g, float[] gx) {
        requireSameLength("softplusBackward", x, g);
        requireSameLength("softplusBackward", x, gx);
        if (VECTOR) ElementwiseVector.softplusBackward(x, g, gx);
        else ElementwiseReference.softplusBackward(x, g, gx, 0, x.length);
    }

    /**
     * out = tanh(x). A long x is cut into chunks that run in parallel: at about 1 ns an element,
     * tanh is bound by arithmetic, not memory (the VAE's output, 786,432 floats, took 0.9 ms on one
     * thread). Chunks are whole vectors but the last, so the bits are those of one pass.
     */
    public static void tanh(float[] x, float[] out) {
        requireSameLength("tanh", x, out);
        Parallel.forEachChunk(x.length, PARALLEL_TANH, (from, to) -> {
            if (VECTOR) ElementwiseVector.tanh(x, out, from, to);
            else ElementwiseReference.tanh(x, out, from, to);
        });
    }

    /** x = 0 everywhere; a long x in parallel chunks, since one thread alone does not fill memory as fast as two. */
    public static void zero(float[] x) {
        Parallel.forEachChunk(x.length, Parallel.MIN_CHUNKED_LENGTH, (from, to) -> Arrays.fill(x, from, to, 0f));
    }

    /** out = e^x. */
    public static void exp(float[] x, float[] out) {
        requireSameLength("exp", x, out);
        if (VECTOR) ElementwiseVector.exp(x, out);
        else ElementwiseReference.exp(x, out, 0, x.length);
    }

    /** out = ln x: NaN below 0, -infinity at 0. */
    public static void log(float[] x, float[] out) {
        requireSameLength("log", x, out);
        if (VECTOR) ElementwiseVector.log(x, out);
        else ElementwiseReference.log(x, out, 0, x.length);
    }

    /** The sum of x[offset, offset + length), accumulated with double precision between short float blocks. */
    public static double sum(float[] x, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > x.length) {
            throw new IllegalArgumentException("sum: range [" + offset + ", " + offset + " + " + length + ") is outside an array of length " + x.length);
        }
        return VECTOR ? ElementwiseVector.sum(x, offset, offset + length) : ElementwiseReference.sum(x, offset, offset + length);
    }

    /**
     * The sum of (a_i - b_i)^2 over [offset, offset + length) of both arrays, accumulated as
     * {@link #sum}: the squared distance between two images, in one pass.
     */
    public static double squaredDistance(float[] a, float[] b, int offset, int length) {
        requireSameLength("squaredDistance", a, b);
        if (offset < 0 || length < 0 || offset + length > a.length) {
            throw new IllegalArgumentException("squaredDistance: range [" + offset + ", " + offset + " + " + length + ") is outside arrays of length " + a.length);
        }
        return VECTOR ? ElementwiseVector.squaredDistance(a, b, offset, offset + length)
                : ElementwiseReference.squaredDistance(a, b, offset, offset + length);
    }

    private static void requireSameLength(String kernel, float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(kernel + ": arrays of lengths " + a.length + " and " + b.length + " differ");
    }
}
