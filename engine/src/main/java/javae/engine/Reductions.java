package javae.engine;

import java.util.Arrays;
import javae.engine.kernels.ElementwiseKernels;
import javae.engine.kernels.Parallel;

/**
 * Sums and means, over all elements or along chosen axes. Reducing is broadcasting read
 * backwards: the reduced shape, with the summed axes kept as length 1, broadcasts back to the
 * input's shape, and {@link Broadcast} gives, for every input element, the output element it
 * belongs to. The forward adds each input into its output; the backward hands each output's
 * gradient back to all of its inputs.
 */
final class Reductions {
    private Reductions() {}

    /** The sum of all elements, shape []. */
    static Tensor sumAll(Tensor a) {
        return sum(a, false); // no axes: all of them
    }

    /** The mean of all elements, shape []. */
    static Tensor meanAll(Tensor a) {
        return mean(a, false);
    }

    /**
     * out = a summed along {@code axes} (negative count from the end; none given means all);
     * da += g, broadcast back over the summed axes.
     */
    static Tensor sum(Tensor a, boolean keepDims, int... axes) {
        Shape in = a.shape();
        boolean[] reduced = reducedAxes("sum", in, axes);
        int[] kept = in.toArray();
        for (int axis = 0; axis < kept.length; axis++) if (reduced[axis]) kept[axis] = 1;
        Shape keptShape = Shape.of(kept);
        Shape outShape = keepDims ? keptShape : dropAxes(in, reduced);
        float[] x = a.data();
        float[] out = TensorScope.resultArray(keptShape.size());
        if (reducesTrailingAxes(reduced)) {
            // each output sums one contiguous run of the input (all of it, or e.g. an image's pixels)
            int run = out.length == 0 ? 0 : x.length / out.length;
            for (int j = 0; j < out.length; j++) out[j] = (float) ElementwiseKernels.sum(x, j * run, run);
            return Autograd.record(Tensor.wrap(out, outShape), "sum", g -> {
                float[] ga = a.gradData();
                for (int j = 0; j < g.length; j++) {
                    for (int i = j * run; i < (j + 1) * run; i++) ga[i] += g[j];
                }
            }, a);
        }
        int[] outputOf = Broadcast.mapOf(keptShape, in); // input element -> output element
        double[] total = new double[out.length]; // accumulate in double: long sums lose digits in float
        for (int i = 0; i < x.length; i++) total[Broadcast.at(outputOf, i)] += x[i];
        for (int j = 0; j < out.length; j++) out[j] = (float) total[j];
        return Autograd.record(Tensor.wrap(out, outShape), "sum", g -> {
            float[] ga = a.gradData();
            for (int i = 0; i < ga.length; i++) ga[i] += g[Broadcast.at(outputOf, i)];
        }, a);
    }

    /**
     * out[n] = sum_i (a[n, i] - b[n, i])^2 over all axes but the first, a and b of one shape
     * [N, ...]; da[n, i] += 2 (a - b) g[n], db[n, i] -= 2 (a - b) g[n]. The same as
     * {@code a.sub(b).square().sum(false, 1, ..)}, in one pass each way instead of three, with no
     * [N, ...] intermediate and its gradient: a VAE's reconstruction error over every pixel.
     */
    static Tensor squaredDistance(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape()) || a.rank() < 1) {
            throw new IllegalArgumentException("squaredDistance: shapes " + a.shape() + " and " + b.shape() + " must be equal, with a first axis");
        }
        int rows = a.shape().dim(0);
        int run = rows == 0 ? 0 : a.size() / rows; // the values of one row, contiguous
        float[] x = a.data(), y = b.data();
        float[] out = TensorScope.resultArray(rows);                                                        // [N]
        long size = (long) rows * run; // rows are independent: many long ones (images) go in parallel
        Parallel.forEach(rows, size, Parallel.MIN_CHUNKED_LENGTH, n -> out[n] = (float) ElementwiseKernels.squaredDistance(x, y, n * run, run));
        return Autograd.record(Tensor.wrap(out, rows), "squaredDistance", g -> {
            float[] ga = a.requiresGrad() ? a.gradData() : null; // null: no gradient wanted
            float[] gb = b.requiresGrad() ? b.gradData() : null;
            Parallel.forEach(rows, size, Parallel.MIN_CHUNKED_LENGTH, n -> {
                float twiceG = 2 * g[n];
                if (ga != null) for (int i = n * run; i < (n + 1) * run; i++) ga[i] += twiceG * (x[i] - y[i]);
                if (gb != null) for (int i = n * run; i < (n + 1) * run; i++) gb[i] -= twiceG * (x[i] - y[i]);
            });
        }, a, b);
    }

    /** The sum along {@code axes} divided by the number of elements summed into each output. */
    static Tensor mean(Tensor a, boolean keepDims, int... axes) {
        Shape in = a.shape();
        boolean[] reduced = reducedAxes("mean", in, axes);
        int count = 1;
        for (int axis = 0; axis < reduced.length; axis++) if (reduced[axis]) count *= in.dim(axis);
        return sum(a, keepDims, axes).mul(1f / count);
    }

    /** Which axes of {@code shape} are reduced; all of them when {@code axes} is empty. */
    private static boolean[] reducedAxes(String op, Shape shape, int[] axes) {
        boolean[] reduced = new boolean[shape.rank()];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (int axis : axes) {
            int a = shape.normalizeAxis(op, axis);
            if (reduced[a]) throw new IllegalArgumentException(op + ": axis " + axis + " given twice in " + Arrays.toString(axes) + " for shape " + shape);
            reduced[a] = true;
        }
        return reduced;
    }

    /** True when the reduced axes are the last ones, so every output element sums a contiguous run. */
    private static boolean reducesTrailingAxes(boolean[] reduced) {
        int axis = reduced.length;
        while (axis > 0 && reduced[axis - 1]) axis--;
        for (int kept = 0; kept < axis; kept++) if (reduced[kept]) return false;
        return true;
    }

    private static Shape dropAxes(Shape shape, boolean[] dropped) {
        int[] dims = new int[shape.rank()];
        int rank = 0;
        for (int axis = 0; axis < dims.length; axis++) if (!dropped[axis]) dims[rank++] = shape.dim(axis);
        return Shape.of(Arrays.copyOf(dims, rank));
    }
}
