package javae.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log, log1p and tanh on float vectors, built only from IEEE-exact operations (add, mul,
 * fma, div, compares, bit shifts), so they give the same bits interpreted, compiled, on any JDK.
 *
 * <p>Why not the Vector API's lanewise EXP, LOG, TANH? HotSpot compiles those to its SVML stubs
 * but interprets them with per-lane Math calls; the two round differently, so a run's bits would
 * depend on when the JIT compiler stepped in, and a training run resumed from a checkpoint would
 * drift from the uninterrupted one. The polynomials are Cephes' single-precision ones (S. Moshier),
 * accurate to about 2 float ulps.
 *
 * <p>Written to be inlined whole into the loops of {@link ElementwiseVector}: a vector that
 * crosses a call C2 did not inline is boxed into a heap object, which costs more than the math.
 * Hence three rules. Every function uses the constant {@link #SPECIES}, never a species parameter
 * (with a non-constant species the intrinsics fall back to plain Java). Every function is a leaf,
 * or calls one other function first thing: C2 stops inlining ordinary methods once a compilation
 * has parsed about 18000 nodes, and a single exp comes close. Each stays under 325 bytes of
 * bytecode, C2's limit for inlining a hot method; a loop calls at most one of them.
 */
final class VectorMath {
    private VectorMath() {}

    /** The species of all elementwise kernels; a constant, so that C2 can intrinsify every vector operation. */
    static final VectorSpecies<Float> SPECIES = GemmVector.SPECIES;

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two so that n * LN2_HI is exact for the n that occur: Cody-Waite reduction. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** e^x rounds to 0 below this (half the smallest subnormal) and overflows above the other. */
    private static final float EXP_MIN = -103.97208f, EXP_MAX = 88.72283f;
    private static final float SQRT_HALF = 0.707106781186547524f;
    /**
     * 1.5 * 2^23: adding it to a float v with |v| < 2^22 rounds v to the nearest integer, which the
     * sum's low mantissa bits then hold. Rounding and float-to-int conversion by plain arithmetic:
     * JDK 17's C2 cannot compile the Vector API's float-to-int conversion and would box every vector.
     */
    private static final float ROUNDING_MAGIC = 12582912f;
    private static final int ROUNDING_MAGIC_BITS = 0x4b400000;

    /**
     * e^x: x = n ln 2 + r with |r| <= ln2 / 2, e^r by a degree-6 polynomial, times 2^n built from
     * exponent bits in two halves, so that each factor stays a normal float for n from -150 to 128
     * and only the last multiply rounds (into a subnormal near the bottom of the range).
     */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_MIN).min(EXP_MAX);
        // n = floor(x log2(e) + 1/2): the nearest integer, less one where that lies above
        FloatVector scaled = clamped.mul(LOG2E).add(0.5f);
        FloatVector nearest = scaled.add(ROUNDING_MAGIC).sub(ROUNDING_MAGIC);
        FloatVector n = nearest.sub(FloatVector.broadcast(SPECIES, 1f), nearest.compare(VectorOperators.GT, scaled));
        FloatVector r = clamped.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f)
                .fma(r, FloatVector.broadcast(SPECIES, 8.3334519073e-3f))
                .fma(r, FloatVector.broadcast(SPECIES, 4.1665795894e-2f))
                .fma(r, FloatVector.broadcast(SPECIES, 1.6666665459e-1f))
                .fma(r, FloatVector.broadcast(SPECIES, 5.0000001201e-1f));
        FloatVector expR = p.mul(r.mul(r)).add(r).add(1f);
        // 2^half and 2^(n - half), each from the exponent bits of a float (-126 <= k <= 127)
        IntVector power = n.add(ROUNDING_MAGIC).reinterpretAsInts().sub(ROUNDING_MAGIC_BITS); // n as an int
        IntVector half = power.lanewise(VectorOperators.ASHR, 1);
        FloatVector twoToHalf = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector twoToRest = power.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = expR.mul(twoToHalf).mul(twoToRest);
        // Beyond the clamp the true value is 0 or infinity; NaN stays NaN.
        result = result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return result.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /**
     * ln x for x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln(m) by a polynomial in m - 1.
     * Zero, negative, subnormal, infinite and NaN lanes are rare; they take the scalar path.
     */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> special = x.compare(VectorOperators.LT, Float.MIN_NORMAL).or(x.compare(VectorOperators.GT, Float.MAX_VALUE)).or(x.test(VectorOperators.IS_NAN));
        IntVector bits = x.reinterpretAsInts();
        FloatVector e = ((IntVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126)).convert(VectorOperators.I2F, 0).reinterpretAsFloats();
        FloatVector m = bits.and(0x007fffff).or(0x3f000000).reinterpretAsFloats(); // in [0.5, 1)
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRT_HALF);
        e = e.sub(FloatVector.broadcast(SPECIES, 1f), small);
        m = m.add(m.blend(0f, small.not())).sub(1f); // 2m - 1 below sqrt(1/2), else m - 1
        FloatVector z = m.mul(m);
        FloatVector y = m.mul(7.0376836292e-2f).sub(1.1514610310e-1f)
                .fma(m, FloatVector.broadcast(SPECIES, 1.1676998740e-1f))
                .fma(m, FloatVector.broadcast(SPECIES, -1.2420140846e-1f))
                .fma(m, FloatVector.broadcast(SPECIES, 1.4249322787e-1f))
                .fma(m, FloatVector.broadcast(SPECIES, -1.6668057665e-1f))
                .fma(m, FloatVector.broadcast(SPECIES, 2.0000714765e-1f))
                .fma(m, FloatVector.broadcast(SPECIES, -2.4999993993e-1f))
                .fma(m, FloatVector.broadcast(SPECIES, 3.3333331174e-1f));
        y = y.mul(m).mul(z).add(e.mul(LN2_LO)).sub(z.mul(0.5f));
        FloatVector result = m.add(y).add(e.mul(LN2_HI));
        return special.anyTrue() ? withScalarLogs(x, result, special) : result;
    }

    /** {@code result} with the lanes in {@code special} replaced by Math.log of x's lanes: rare, so kept out of {@link #log}. */
    private static FloatVector withScalarLogs(FloatVector x, FloatVector result, VectorMask<Float> special) {
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            if (special.laneIsSet(lane)) result = result.withLane(lane, (float) Math.log(x.lane(lane)));
        }
        return result;
    }

    /**
     * ln(1 + u) for u >= 0, accurate even where 1 + u rounds to 1: ln(w) * u / (w - 1) with
     * w = 1 + u corrects the rounding of w (Goldberg's trick), and where w == 1 the answer is u.
     */
    static FloatVector log1p(FloatVector u) {
        FloatVector w = u.add(1f);
        FloatVector logW = log(w);
        FloatVector wMinusOne = w.sub(1f);
        VectorMask<Float> exact = wMinusOne.compare(VectorOperators.EQ, 0f);
        return logW.mul(u).div(wMinusOne.blend(1f, exact)).blend(u, exact);
    }

    /**
     * tanh x: an odd polynomial for |x| < 0.625, where 1 - 2 / (e^2|x| + 1) would cancel, and
     * that form with the sign of x beyond it (it reaches exactly 1 once e^2|x| overflows).
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector abs = x.abs();
        FloatVector expTwiceAbs = exp(abs.add(abs));
        FloatVector z = x.mul(x);
        FloatVector near = z.mul(-5.70498872745e-3f).add(2.06390887954e-2f)
                .fma(z, FloatVector.broadcast(SPECIES, -5.37397155531e-2f))
                .fma(z, FloatVector.broadcast(SPECIES, 1.33314422036e-1f))
                .fma(z, FloatVector.broadcast(SPECIES, -3.33332819422e-1f))
                .mul(z).fma(x, x);
        FloatVector far = FloatVector.broadcast(SPECIES, 1f).sub(FloatVector.broadcast(SPECIES, 2f).div(expTwiceAbs.add(1f)));
        far = far.blend(far.neg(), x.compare(VectorOperators.LT, 0f));
        return far.blend(near, abs.compare(VectorOperators.LT, 0.625f));
    }
}
