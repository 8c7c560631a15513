package javae.vae.tsne;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link QuadTree#accumulate}, the Barnes-Hut force kernel, on the Vector API: for one point at a
 * time, a full vector of interaction-list entries per step, lane-wise sums reduced at the end (in
 * the same lane order every time, so the bits do not depend on threads). Only loaded when the
 * incubator module is present ({@link javae.engine.kernels.VectorSupport}).
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
        float[] lx = list.x, ly = list.y, lm = list.mass;
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        for (int s = from; s < to; s++) {
            FloatVector sx = FloatVector.broadcast(SPECIES, px[s]);
            FloatVector sy = FloatVector.broadcast(SPECIES, py[s]);
            FloatVector q = FloatVector.zero(SPECIES), ax = q, ay = q;
            for (int e = 0; e < bound; e += lanes) {
                FloatVector dx = sx.sub(FloatVector.fromArray(SPECIES, lx, e));
                FloatVector dy = sy.sub(FloatVector.fromArray(SPECIES, ly, e));
                FloatVector kernel = one.div(dx.fma(dx, dy.fma(dy, one)));
                FloatVector mq = FloatVector.fromArray(SPECIES, lm, e).mul(kernel);
                FloatVector force = mq.mul(kernel);
                q = q.add(mq);
                ax = dx.fma(force, ax);
                ay = dy.fma(force, ay);
            }
            sumQ[s] = q.reduceLanes(VectorOperators.ADD);
            forceX[s] = ax.reduceLanes(VectorOperators.ADD);
            forceY[s] = ay.reduceLanes(VectorOperators.ADD);
        }
    }
}
