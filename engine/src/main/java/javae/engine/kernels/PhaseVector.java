package javae.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The row loops of {@link ConvIm2col}'s copies on the Vector API. At stride 2, those of
 * {@link ConvIm2col#splitPhases} and {@link ConvIm2col#mergePhases}: a row's even and odd columns go
 * to two phases (split), and come back from them (merge). And the output's rows copied out of a
 * group's product ({@link #addRow}). Each method does whole vectors and returns how many elements (or
 * pairs) it did; the caller's scalar loop, which defines the result, does the rest. Copies and the
 * scalar loop's additions in its order, so the results are the scalar loop's bits.
 *
 * <p>Element by element the JIT compiles these loops to one scalar load and store per float, about
 * 0.8 ns a float on conv2's input (a sixth of that layer's forward pass on one thread); here each
 * output vector takes two shuffles and a blend, about half the time over a batch.
 */
final class PhaseVector {
    private PhaseVector() {}

    private static final VectorSpecies<Float> SPECIES = GemmVector.SPECIES;
    private static final int LANES = SPECIES.length();
    // Each output vector takes lanes from two input vectors: the same shuffle applied to both, then a
    // blend under a constant mask. (The Vector API's two-vector rearrange does the same, but on JDK 17
    // it derives the shuffle and the mask on every call and ran 2-3x slower than the scalar loop.)
    /** Lane k takes lane 2k mod LANES: the even lanes of the pair (first, second), with {@link #SECOND_HALF}. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, k -> 2 * k % LANES);
    /** Lane k takes lane (2k + 1) mod LANES: the odd lanes, likewise. */
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(SPECIES, k -> (2 * k + 1) % LANES);
    /** The lanes that come from the second vector of the pair. */
    private static final VectorMask<Float> SECOND_HALF = VectorMask.fromLong(SPECIES, -1L << (LANES / 2));
    /** Lane k takes lane k / 2: with {@link #ODD_LANES}, the low halves of (evens, odds) interleaved. */
    private static final VectorShuffle<Float> LOW_HALF = VectorShuffle.fromOp(SPECIES, k -> k / 2);
    /** Lane k takes lane LANES / 2 + k / 2: the high halves, likewise. */
    private static final VectorShuffle<Float> HIGH_HALF = VectorShuffle.fromOp(SPECIES, k -> LANES / 2 + k / 2);
    /** The lanes that come from the odd columns. */
    private static final VectorMask<Float> ODD_LANES = VectorMask.fromLong(SPECIES, 0xAAAAAAAAAAAAAAAAL);

    /**
     * phases[even + k] = x[source + 2k] and phases[odd + k] = x[source + 2k + 1] for k below the
     * returned count, the largest multiple of LANES not above {@code pairs}.
     */
    static int split(float[] x, int source, float[] phases, int even, int odd, int pairs) {
        int done = pairs - pairs % LANES;
        for (int k = 0; k < done; k += LANES) {
            FloatVector first = FloatVector.fromArray(SPECIES, x, source + 2 * k);
            FloatVector second = FloatVector.fromArray(SPECIES, x, source + 2 * k + LANES);
            first.rearrange(EVEN).blend(second.rearrange(EVEN), SECOND_HALF).intoArray(phases, even + k);
            first.rearrange(ODD).blend(second.rearrange(ODD), SECOND_HALF).intoArray(phases, odd + k);
        }
        return done;
    }

    /**
     * y[to + i] = product[from + i] + bias (a copy without bias is System.arraycopy's), or with
     * {@code accumulate} y[to + i] + product[from + i] (+ bias when {@code withBias}), for i below
     * the returned count, the largest multiple of LANES not above {@code length}: a row of a
     * convolution's output copied out of its product, with the scalar loop's additions in its order. One loop per case: a vector that merges two values
     * (`if (accumulate) row = ...`) may be boxed by C2 on JDK 17 (see GemmVector's micro-kernel).
     */
    static int addRow(float[] product, int from, float[] y, int to, int length, boolean withBias, float bias, boolean accumulate) {
        int done = length - length % LANES;
        if (!accumulate) {
            for (int i = 0; i < done; i += LANES) {
                FloatVector.fromArray(SPECIES, product, from + i).add(bias).intoArray(y, to + i);
            }
        } else if (withBias) {
            for (int i = 0; i < done; i += LANES) {
                FloatVector.fromArray(SPECIES, y, to + i).add(FloatVector.fromArray(SPECIES, product, from + i)).add(bias).intoArray(y, to + i);
            }
        } else {
            for (int i = 0; i < done; i += LANES) {
                FloatVector.fromArray(SPECIES, y, to + i).add(FloatVector.fromArray(SPECIES, product, from + i)).intoArray(y, to + i);
            }
        }
        return done;
    }

    /**
     * dx[target + 2k] (+)= phases[even + k] and dx[target + 2k + 1] (+)= phases[odd + k] for k below the
     * returned count, the largest multiple of LANES not above {@code pairs}; added into dx's values
     * when {@code accumulate}, else written over them.
     */
    static int merge(float[] phases, int even, int odd, float[] dx, int target, int pairs, boolean accumulate) {
        int done = pairs - pairs % LANES;
        for (int k = 0; k < done; k += LANES) {
            FloatVector evens = FloatVector.fromArray(SPECIES, phases, even + k);
            FloatVector odds = FloatVector.fromArray(SPECIES, phases, odd + k);
            int low = target + 2 * k, high = low + LANES;
            FloatVector lowPairs = evens.rearrange(LOW_HALF).blend(odds.rearrange(LOW_HALF), ODD_LANES);
            FloatVector highPairs = evens.rearrange(HIGH_HALF).blend(odds.rearrange(HIGH_HALF), ODD_LANES);
            if (accumulate) {
                lowPairs = FloatVector.fromArray(SPECIES, dx, low).add(lowPairs);
                highPairs = FloatVector.fromArray(SPECIES, dx, high).add(highPairs);
            }
            lowPairs.intoArray(dx, low);
            highPairs.intoArray(dx, high);
        }
        return done;
    }
}
