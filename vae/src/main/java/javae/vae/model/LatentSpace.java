package javae.vae.model;

/**
 * Walks in the latent space, on plain {@code float[]} points of length dim_z: straight lines,
 * great circles, attribute directions and single-axis traversals. The decoder turns each point into
 * an image.
 */
public final class LatentSpace {
    private LatentSpace() {}

    /** {@code steps} points from a to b inclusive, evenly spaced on the straight line between them. */
    public static float[][] linear(float[] a, float[] b, int steps) {
        checkSteps(a, b, steps);
        float[][] path = new float[steps][a.length];
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            for (int j = 0; j < a.length; j++) path[s][j] = (float) ((1 - t) * a[j] + t * b[j]);
        }
        return path;
    }

    /**
     * {@code steps} points from a to b inclusive along spherical linear interpolation (slerp): the
     * angle between the two points is swept at constant speed, so the points keep a typical norm
     * of a Gaussian sample instead of shrinking towards the origin halfway. Falls back to the
     * straight line when a and b point the same way.
     */
    public static float[][] slerp(float[] a, float[] b, int steps) {
        checkSteps(a, b, steps);
        double normA = norm(a), normB = norm(b);
        double cos = dot(a, b) / (normA * normB);
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        if (normA == 0 || normB == 0 || Math.sin(omega) < 1e-6) return linear(a, b, steps);
        float[][] path = new float[steps][a.length];
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            double wa = Math.sin((1 - t) * omega) / Math.sin(omega), wb = Math.sin(t * omega) / Math.sin(omega);
            for (int j = 0; j < a.length; j++) path[s][j] = (float) (wa * a[j] + wb * b[j]);
        }
        return path;
    }

    /**
     * The attribute vector: the mean of the latent points of examples with the attribute minus the
     * mean of those without. Adding it to a face's latent point adds the attribute (a smile, glasses).
     *
     * @param points [count][dimZ] latent means
     * @param has    whether each example has the attribute
     */
    public static float[] attributeVector(float[][] points, boolean[] has) {
        int dimZ = points[0].length, with = 0, without = 0;
        double[] sumWith = new double[dimZ], sumWithout = new double[dimZ];
        for (int i = 0; i < points.length; i++) {
            double[] sum = has[i] ? sumWith : sumWithout;
            if (has[i]) with++; else without++;
            for (int j = 0; j < dimZ; j++) sum[j] += points[i][j];
        }
        if (with == 0 || without == 0) {
            throw new IllegalArgumentException("attribute vector: needs examples with and without the attribute, got " + with + " with and " + without + " without");
        }
        float[] vector = new float[dimZ];
        for (int j = 0; j < dimZ; j++) vector[j] = (float) (sumWith[j] / with - sumWithout[j] / without);
        return vector;
    }

    /** {@code point + scale * direction}. */
    public static float[] move(float[] point, float[] direction, float scale) {
        float[] moved = new float[point.length];
        for (int j = 0; j < point.length; j++) moved[j] = point[j] + scale * direction[j];
        return moved;
    }

    /** {@code steps} copies of {@code point} whose coordinate {@code axis} runs evenly from {@code from} to {@code to}. */
    public static float[][] traversal(float[] point, int axis, float from, float to, int steps) {
        if (steps < 2) throw new IllegalArgumentException("traversal: needs at least 2 steps, got " + steps);
        float[][] path = new float[steps][];
        for (int s = 0; s < steps; s++) {
            path[s] = point.clone();
            path[s][axis] = from + (to - from) * s / (steps - 1);
        }
        return path;
    }

    private static void checkSteps(float[] a, float[] b, int steps) {
        if (a.length != b.length) throw new IllegalArgumentException("interpolation: points of length " + a.length + " and " + b.length);
        if (steps < 2) throw new IllegalArgumentException("interpolation: needs at least 2 steps, got " + steps);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += (double) a[j] * b[j];
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
