package javae.vae.tsne;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link QuadTree#accumulate}, the Barnes-Hut force kernel, on the Vector API: for one point at a
 * time, a full vector of interaction-list entries per step, lane-wise sums added up at the end.
 * The lanes are added in index order by {@link #sumLanes}, not by {@code reduceLanes}, whose order
 * is unspecified and differs between the interpreter and compiled code: with it, the same run gave
 * different bits depending on when the JIT compiler stepped in. Only loaded when the incubator
 * module is present ({@link javae.engine.kernels.VectorSupport}).
 */
final class RepulsionVector {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private RepulsionVector() {}

    static void accumulate(float[] px, float[] py, int from, int to, QuadTree.InteractionList list,
                           float[] forceX, float[] forceY, float[] sumQ) {
        int lanes = SPECIES.length();
        int bound = (list.size + lanes - 1) / lanes * lanes;
        // Entries past the end become zero masses: a whole last vector contributes nothing extra.
        Arrays.fill(list.mass, list.size, bound, 0f);
        float[] lanesBuffer = new float[lanes];
        for (int s = from; s < to; s++) point(px[s], py[s], bound, list, s, forceX, forceY, sumQ, lanesBuffer);
    }

    /** One point per call, for the JIT compiler's sake, as {@link AttractionVector}'s rows. */
    private static void point(float x, float y, int bound, QuadTree.InteractionList list, int s,
                              float[] forceX, float[] forceY, float[] sumQ, float[] lanesBuffer) {
        float[] lx = list.x, ly = list.y, lm = list.mass;
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        FloatVector sx = FloatVector.broadcast(SPECIES, x);
        FloatVector sy = FloatVector.broadcast(SPECIES, y);
        FloatVector q = FloatVector.zero(SPECIES), ax = q, ay = q;
        for (int e = 0; e < bound; e += SPECIES.length()) {
            FloatVector dx = sx.sub(FloatVector.fromArray(SPECIES, lx, e));
            FloatVector dy = sy.sub(FloatVector.fromArray(SPECIES, ly, e));
            FloatVector kernel = one.div(dx.fma(dx, dy.fma(dy, one)));
            FloatVector mq = FloatVector.fromArray(SPECIES, lm, e).mul(kernel);
            FloatVector force = mq.mul(kernel);
            q = q.add(mq);
            ax = dx.fma(force, ax);
            ay = dy.fma(force, ay);
        }
        sumQ[s] = sumLanes(q, lanesBuffer);
        forceX[s] = sumLanes(ax, lanesBuffer);
        forceY[s] = sumLanes(ay, lanesBuffer);
    }

    /** The lanes of {@code v} added in index order: the same bits whether interpreted or compiled. */
    static float sumLanes(FloatVector v, float[] buffer) {
        v.intoArray(buffer, 0);
        float sum = 0;
        for (float lane : buffer) sum += lane;
        return sum;
    }
}
