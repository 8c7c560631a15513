package javae.vae.tsne;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scan of {@link PairwiseDistances#nearest} on the Vector API: once a row's k best candidates
 * are known, almost every further distance is larger than the worst of them, so the row is
 * skipped a vector at a time until a distance below the threshold turns up. The distances are
 * expanded from dot products on the way, as {@link PairwiseDistances.Block#distance} expands one:
 * the same operations in the same order, so the same bits. Only loaded when the incubator module
 * is present.
 */
final class SelectionVector {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SelectionVector() {}

    /** Floats per vector: the skip checks whole vectors only and leaves the rest to its caller. */
    static int lanes() {
        return SPECIES.length();
    }

    /**
     * A column e in [from, to] such that max(0, normI + norms[j] - 2 dots[rowBase + j]) is at least
     * {@code threshold} for every column j in [from, e): the first smaller one in a whole vector,
     * else the start of the partial vector at the end, else {@code to}.
     */
    static int skipAtLeast(float[] dots, int rowBase, float[] norms, float normI, int from, int to, float threshold) {
        FloatVector rowNorm = FloatVector.broadcast(SPECIES, normI);
        int e = from;
        for (; e + SPECIES.length() <= to; e += SPECIES.length()) {
            FloatVector dot = FloatVector.fromArray(SPECIES, dots, rowBase + e);
            FloatVector distance = rowNorm.add(FloatVector.fromArray(SPECIES, norms, e)).sub(dot.mul(2f)).max(0f);
            VectorMask<Float> smaller = distance.compare(VectorOperators.LT, threshold);
            // straight to the smaller value: stopping at the vector's start would cost one more
            // call per value in front of it
            if (smaller.anyTrue()) return e + smaller.firstTrue();
        }
        return e;
    }
}
