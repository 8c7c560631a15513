package javae.vae.tsne;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SparseAttraction#attraction}, the sparse attractive forces, on the Vector API: a row of
 * P a vector of entries at a time, the neighbours' coordinates gathered by column index, a scalar
 * tail for the rest of the row; lanes added in a fixed order ({@link RepulsionVector#sumLanes}).
 * Only loaded when the incubator module is present.
 */
final class AttractionVector {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private AttractionVector() {}

    static void accumulate(int[] rowStart, int[] cols, float[] vals, float[] yx, float[] yy,
                           int from, int to, double[] outX, double[] outY) {
        float[] lanesBuffer = new float[SPECIES.length()];
        for (int i = from; i < to; i++) row(rowStart, cols, vals, yx, yy, i, outX, outY, lanesBuffer);
    }

    /**
     * One row per call: the JIT compiler compiles a method that is called often once, while a
     * loop over a whole tile inside one call was compiled again for each loop it entered by (on-stack
     * replacement), tens of milliseconds each, with the thread waiting in a cold run.
     */
    private static void row(int[] rowStart, int[] cols, float[] vals, float[] yx, float[] yy,
                            int i, double[] outX, double[] outY, float[] lanesBuffer) {
        int lanes = SPECIES.length();
        int start = rowStart[i], end = rowStart[i + 1];
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector xi = FloatVector.broadcast(SPECIES, yx[i]);
        FloatVector yi = FloatVector.broadcast(SPECIES, yy[i]);
        FloatVector ax = FloatVector.zero(SPECIES), ay = ax;
        int e = start;
        for (; e + lanes <= end; e += lanes) {
            FloatVector dx = xi.sub(FloatVector.fromArray(SPECIES, yx, 0, cols, e));
            FloatVector dy = yi.sub(FloatVector.fromArray(SPECIES, yy, 0, cols, e));
            FloatVector w = FloatVector.fromArray(SPECIES, vals, e).div(dx.fma(dx, dy.fma(dy, one)));
            ax = dx.fma(w, ax);
            ay = dy.fma(w, ay);
        }
        SparseAttraction.finishRow(cols, vals, yx, yy, i, e, end,
                RepulsionVector.sumLanes(ax, lanesBuffer), RepulsionVector.sumLanes(ay, lanesBuffer), outX, outY);
    }
}
