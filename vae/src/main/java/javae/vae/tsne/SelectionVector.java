package javae.vae.tsne;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scan of {@link PairwiseDistances#nearest} on the Vector API: once a row's k best candidates
 * are known, almost every further distance is larger than the worst of them, so the row is
 * skipped a vector at a time until a distance below the threshold turns up. Only loaded when the
 * incubator module is present.
 */
final class SelectionVector {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SelectionVector() {}

    /**
     * An index e in [from, to] such that every value in [from, e) is at least {@code threshold}:
     * the start of the first whole vector holding a smaller value, else the start of the partial
     * vector at the end, else {@code to}. The caller checks the values from e on one by one.
     */
    static int skipAtLeast(float[] values, int from, int to, float threshold) {
        int e = from;
        for (; e + SPECIES.length() <= to; e += SPECIES.length()) {
            if (FloatVector.fromArray(SPECIES, values, e).compare(VectorOperators.LT, threshold).anyTrue()) return e;
        }
        return e;
    }
}
