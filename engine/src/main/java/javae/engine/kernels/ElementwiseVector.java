package javae.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernels} on the Vector API: each loop runs whole vectors up to
 * {@code SPECIES.loopBound(n)} and hands the remaining elements to {@link ElementwiseReference}
 * (no masked loads: they are slow on JDK 17 and 21). Exponentials, logarithms and tanh come from
 * {@link VectorMath}, polynomials built from IEEE-exact operations, accurate to about two float
 * ulps, where the reference rounds a double result once; the two agree to a few ulps.
 *
 * <p>Not the Vector API's lanewise EXP, LOG, LOG1P and TANH: HotSpot compiles those to its SVML
 * stubs but interprets them lane by lane with other rounding, so results changed bits with JIT
 * timing, which broke bit-exact resume.
 *
 * <p>Each loop below must compile into one method with all of {@link VectorMath} inlined: a vector
 * passed to a call C2 did not inline is boxed, and every operation then runs the Vector API's Java
 * fallback, up to hundreds of times slower. Check with {@code -XX:+UnlockDiagnosticVMOptions
 * -XX:+PrintInlining} after any change here. Measured in ElementwiseBench (n = 786432, 512-bit
 * species, microseconds per call, JMH averages on the project's 2-core machine under a load of 12, so
 * several times the quiet figures), when VectorMath took its species as a parameter and was not
 * inlined, then inlined: JDK 25.0.3 tanh 910158 / 5223, softplus 516032 / 4232, exp 8162 / 2717,
 * log 73614 / 1885; JDK 17.0.15 tanh 1063833 / 5261, softplus 1072875 / 7886, exp 859404 / 3262,
 * log 437790 / 1584. relu, its backward and the sum, which never called VectorMath, did not change.
 */
final class ElementwiseVector {
    private ElementwiseVector() {}

    /** The width {@link VectorSupport} chose for all kernels ({@code javae.vector.bits}), as GEMM uses it. */
    private static final VectorSpecies<Float> SPECIES = VectorMath.SPECIES;
    /** The sum adds this many elements in float lanes before moving the block's total into double. */
    private static final int SUM_BLOCK = 1024;
    /** Softplus' two passes run over blocks this long (a multiple of any vector length), which stay in the L1 cache. */
    private static final int PASS_BLOCK = 1024;

    /** out = max(x, 0) over [from, to), and 0 where x is NaN (a compare, not max, which would keep the NaN). */
    static void relu(float[] x, float[] out, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int i = from; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        ElementwiseReference.relu(x, out, bound, to);
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

    /** g = 0 where y <= 0 (or NaN), unchanged where y > 0. */
    static void reluBackwardInPlace(float[] y, float[] g, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int i = from; i < bound; i += SPECIES.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, g, i), positive).intoArray(g, i);
        }
        ElementwiseReference.reluBackwardInPlace(y, g, bound, to);
    }

    /**
     * out = max(x, 0) + log1p(e^-|x|), the reference's overflow-free form, in two passes over each
     * block of {@link #PASS_BLOCK} elements: e^-|x| into a scratch block, then the rest. exp and
     * log1p in one loop would exceed what C2 inlines into one compilation (see {@link VectorMath}).
     */
    static void softplus(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        float[] expOfNegativeAbs = new float[Math.min(bound, PASS_BLOCK)];
        for (int start = 0; start < bound; start += PASS_BLOCK) {
            int end = Math.min(bound, start + PASS_BLOCK);
            expOfNegativeAbs(x, start, end, expOfNegativeAbs);
            softplusFromExp(x, expOfNegativeAbs, start, end, out);
        }
        ElementwiseReference.softplus(x, out, bound, n);
    }

    /** e[i - from] = e^-|x[i]| for i in [from, to), whole vectors. */
    private static void expOfNegativeAbs(float[] x, int from, int to, float[] e) {
        for (int i = from; i < to; i += SPECIES.length()) {
            VectorMath.exp(FloatVector.fromArray(SPECIES, x, i).abs().neg()).intoArray(e, i - from);
        }
    }

    /** out[i] = max(x[i], 0) + log1p(e[i - from]) for i in [from, to), whole vectors. */
    private static void softplusFromExp(float[] x, float[] e, int from, int to, float[] out) {
        for (int i = from; i < to; i += SPECIES.length()) {
            FloatVector tail = VectorMath.log1p(FloatVector.fromArray(SPECIES, e, i - from));
            FloatVector.fromArray(SPECIES, x, i).max(0f).add(tail).intoArray(out, i);
        }
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
        FloatVector e = VectorMath.exp(v.abs().neg());
        return e.blend(one, v.compare(VectorOperators.GE, 0f)).div(one.add(e));
    }

    /** out = tanh(x) over [from, to). */
    static void tanh(float[] x, float[] out, int from, int to) {
        int bound = from + SPECIES.loopBound(to - from);
        for (int i = from; i < bound; i += SPECIES.length()) {
            VectorMath.tanh(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
        }
        ElementwiseReference.tanh(x, out, bound, to);
    }

    /** out = e^x. */
    static void exp(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            VectorMath.exp(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
        }
        ElementwiseReference.exp(x, out, bound, n);
    }

    /** out = ln x. */
    static void log(float[] x, float[] out) {
        int n = x.length, bound = SPECIES.loopBound(n);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            VectorMath.log(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
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
            if (bound == start) { // shorter than a vector (a bias gradient over 1x1 outputs, say): no lanes to add
                total += ElementwiseReference.sum(x, start, end);
                continue;
            }
            FloatVector lanes = FloatVector.zero(SPECIES);
            for (int i = start; i < bound; i += SPECIES.length()) lanes = lanes.add(FloatVector.fromArray(SPECIES, x, i));
            // Lanes added in index order, not by reduceLanes: its order is unspecified and differs
            // between interpreted and compiled code, so a run's bits would depend on JIT timing.
            float blockSum = 0f;
            for (int lane = 0; lane < SPECIES.length(); lane++) blockSum += lanes.lane(lane);
            total += blockSum + ElementwiseReference.sum(x, bound, end);
        }
        return total;
    }

    /**
     * {@link ElementwiseReference#squaredDistance}, accumulated as {@link #sum}: float lanes within
     * blocks, block totals in double. Each square is added with an FMA, not rounded first as in the
     * reference, so the two agree to rounding, not to the bit.
     */
    static double squaredDistance(float[] a, float[] b, int from, int to) {
        double total = 0;
        for (int start = from; start < to; start += SUM_BLOCK) {
            int end = Math.min(to, start + SUM_BLOCK), bound = start + SPECIES.loopBound(end - start);
            FloatVector lanes = FloatVector.zero(SPECIES);
            for (int i = start; i < bound; i += SPECIES.length()) {
                FloatVector difference = FloatVector.fromArray(SPECIES, a, i).sub(FloatVector.fromArray(SPECIES, b, i));
                lanes = difference.fma(difference, lanes);
            }
            float blockSum = 0f;
            for (int lane = 0; lane < SPECIES.length(); lane++) blockSum += lanes.lane(lane); // index order, as in sum
            total += blockSum + ElementwiseReference.squaredDistance(a, b, bound, end);
        }
        return total;
    }
}
