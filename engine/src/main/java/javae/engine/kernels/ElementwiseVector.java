package javae.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} on the Vector API: each loop runs whole vectors up to
 * {@code SPECIES.loopBound(n)} and hands the remaining elements to {@link ElementwiseReference}
 * (no masked loads: they are slow on JDK 17 and 21). Exponentials and logarithms are the Vector
 * API's float lanewise EXP, LOG, LOG1P and TANH, accurate to about one float ulp, where the reference
 * rounds a double result once; the two agree to a few ulps.
 *
 * <p>Is the lanewise EXP worth it on JDK 17? Measured, on this project's machine (AMD Zen 5, JDK 17.0.15,
 * 512-bit species, n = 786432 floats, thread CPU time per element, best of 7, while other jobs shared
 * the 2 cores, so absolute figures are rough): vector against scalar reference, in ns per element,
 * relu 0.10 / 5.8, relu backward 0.20 / 5.7, softplus 0.75 / 18.7, its backward 0.53 / 16.4,
 * tanh 0.54 / 38.3, exp 0.28 / 15.0, log 0.25 / 16.8, sum 0.048 / 0.67. HotSpot compiles the
 * transcendental lanewise operations to its SVML stubs (libjsvml, present in both JDK 17 and 25 here),
 * so every kernel takes the vector path. One trap, found while measuring: the operator must be a
 * constant at the call site. Passed through a helper's parameter, {@code lanewise(op)} is not
 * intrinsified and falls back to per-lane scalar code, 100 to 300 times slower (78 ns per element for
 * exp); so each loop below names its operator.
 */
final class ElementwiseVector {
    private ElementwiseVector() {}

    /** The width {@link VectorSupport} chose for all kernels ({@code javae.vector.bits}), as GEMM uses it. */
    private static final VectorSpecies<Float> SPECIES = GemmVector.SPECIES;
    /** The sum adds this many elements in float lanes before moving the block's total into double. */
    private static final int SUM_BLOCK = 1024;

    /** out = max(x, 0), and 0 where x is NaN (a compare, not max, which would keep the NaN). */
    static void relu(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        ElementwiseReference.relu(x, out, bound, n);
    }

    /** gx += g where x > 0. */
    static void reluBackward(float[] x, float[] g, float[] gx) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(SPECIES, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(SPECIES, gx, i).lanewise(VectorOperators.ADD, FloatVector.fromArray(SPECIES, g, i), positive).intoArray(gx, i);
        }
        ElementwiseReference.reluBackward(x, g, gx, bound, n);
    }

    /** out = max(x, 0) + log1p(e^-|x|), the reference's overflow-free form. */
    static void softplus(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            FloatVector tail = v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            v.max(0f).add(tail).intoArray(out, i);
        }
        ElementwiseReference.softplus(x, out, bound, n);
    }

    /** out = 1 / (1 + e^-x). */
    static void sigmoid(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) sigmoid(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
        ElementwiseReference.sigmoid(x, out, bound, n);
    }

    /** gx += g sigmoid(x). */
    static void softplusBackward(float[] x, float[] g, float[] gx) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector sigmoid = sigmoid(FloatVector.fromArray(SPECIES, x, i));
            FloatVector.fromArray(SPECIES, g, i).fma(sigmoid, FloatVector.fromArray(SPECIES, gx, i)).intoArray(gx, i);
        }
        ElementwiseReference.softplusBackward(x, g, gx, bound, n);
    }

    /** sigmoid(v) = (v >= 0 ? 1 : e) / (1 + e) with e = e^-|v| <= 1: the reference's overflow-free form. */
    private static FloatVector sigmoid(FloatVector v) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
        return e.blend(one, v.compare(VectorOperators.GE, 0f)).div(one.add(e));
    }

    /** out = tanh(x). */
    static void tanh(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        ElementwiseReference.tanh(x, out, bound, n);
    }

    /** out = e^x. */
    static void exp(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.EXP).intoArray(out, i);
        }
        ElementwiseReference.exp(x, out, bound, n);
    }

    /** out = ln x. */
    static void log(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, i).lanewise(VectorOperators.LOG).intoArray(out, i);
        }
        ElementwiseReference.log(x, out, bound, n);
    }

    /**
     * The sum of x[from, to): float lanes within blocks of {@link #SUM_BLOCK} elements (each lane
     * adds only a few dozen numbers, so little is lost), the block totals in double.
     */
    static double sum(float[] x, int from, int to) {
        double total = 0;
        for (int start = from; start < to; start += SUM_BLOCK) {
            int end = Math.min(to, start + SUM_BLOCK), bound = start + SPECIES.loopBound(end - start);
            FloatVector lanes = FloatVector.zero(SPECIES);
            for (int i = start; i < bound; i += SPECIES.length()) lanes = lanes.add(FloatVector.fromArray(SPECIES, x, i));
            total += lanes.reduceLanes(VectorOperators.ADD) + ElementwiseReference.sum(x, bound, end);
        }
        return total;
    }
}
