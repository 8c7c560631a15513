package javae.vae.tsne;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SparseAttraction#attraction}, the sparse attractive forces, on the Vector API: a row of
 * P a vector of entries at a time, the neighbours' coordinates gathered by column index, a scalar
 * tail for the rest of the row; lanes added in a fixed order ({@link RepulsionVector#sumLanes}).
 * A neighbour's x and y are gathered together, as one 64-bit pair, and then split into a vector of
 * x and one of y: half as many gathered elements as two float gathers, which dominate this loop.
 * Only loaded when the incubator module is present.
 */
final class AttractionVector {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** (x, y) pairs as 64-bit lanes, half as many as SPECIES has floats. */
    private static final VectorSpecies<Long> PAIRS = VectorSpecies.of(long.class, SPECIES.vectorShape());
    /** Lane l of two vectors of pairs [x0 y0 x1 y1 ...][...] back to back: x_l (EVEN) and y_l (ODD). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, l -> 2 * l);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(SPECIES, l -> 2 * l + 1);

    private AttractionVector() {}

    /**
     * The same as {@link SparseAttraction#attraction}; {@code pairs} [N] holds each point's float x
     * in its low 32 bits and float y in its high 32 bits ({@link SparseAttraction#pair}).
     */
    static void accumulate(int[] rowStart, int[] cols, float[] vals, float[] yx, float[] yy, long[] pairs,
                           int from, int to, double[] outX, double[] outY) {
        int lanes = SPECIES.length(), half = PAIRS.length();
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        float[] lanesBuffer = new float[lanes];
        for (int i = from; i < to; i++) {
            int start = rowStart[i], end = rowStart[i + 1];
            FloatVector xi = FloatVector.broadcast(SPECIES, yx[i]);
            FloatVector yi = FloatVector.broadcast(SPECIES, yy[i]);
            FloatVector ax = FloatVector.zero(SPECIES), ay = ax;
            int e = start;
            for (; e + lanes <= end; e += lanes) {
                FloatVector low = LongVector.fromArray(PAIRS, pairs, 0, cols, e).reinterpretAsFloats();
                FloatVector high = LongVector.fromArray(PAIRS, pairs, 0, cols, e + half).reinterpretAsFloats();
                FloatVector dx = xi.sub(low.rearrange(EVEN, high));
                FloatVector dy = yi.sub(low.rearrange(ODD, high));
                FloatVector w = FloatVector.fromArray(SPECIES, vals, e).div(dx.fma(dx, dy.fma(dy, one)));
                ax = dx.fma(w, ax);
                ay = dy.fma(w, ay);
            }
            float sx = RepulsionVector.sumLanes(ax, lanesBuffer), sy = RepulsionVector.sumLanes(ay, lanesBuffer);
            for (; e < end; e++) {
                int j = cols[e];
                float dx = yx[i] - yx[j], dy = yy[i] - yy[j];
                float w = vals[e] / (1 + dx * dx + dy * dy);
                sx += w * dx;
                sy += w * dy;
            }
            outX[i] = sx;
            outY[i] = sy;
        }
    }
}
