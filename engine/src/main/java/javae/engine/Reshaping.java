package javae.engine;

import java.util.Arrays;

/**
 * Ops that move values without computing new ones: reshape and flatten (a new shape over the same
 * storage), slice (a block along one axis) and concat (blocks joined along one axis). Their
 * backward passes move the gradient back to where each value came from.
 *
 * <p>Slice and concat see a row-major tensor around {@code axis} as [outer, dim(axis), inner]:
 * {@code outer} is the product of the dimensions before the axis, {@code inner} of those after it,
 * so each of the {@code outer} rows holds one contiguous block of {@code dim(axis) * inner} values.
 */
final class Reshaping {
    private Reshaping() {}

    /** The same storage under a new shape of equal size (one dimension may be -1, inferred); da += g unchanged. */
    static Tensor reshape(Tensor a, int... dims) {
        Shape shape = Shape.of(inferDimension(a.shape(), dims));
        return Autograd.record(Tensor.wrap(a.data(), shape), "reshape", a::accumulateGrad, a);
    }

    /** The dimensions from {@code startAxis} on merged into one: [N, C, H, W] flattened from 1 is [N, C*H*W]. */
    static Tensor flatten(Tensor a, int startAxis) {
        int start = a.shape().normalizeAxis("flatten", startAxis);
        int[] dims = Arrays.copyOf(a.shape().toArray(), start + 1);
        dims[start] = -1;
        return reshape(a, dims);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}; the gradient goes back to those positions. */
    static Tensor slice(Tensor a, int axis, int start, int end) {
        Shape in = a.shape();
        int ax = in.normalizeAxis("slice", axis);
        int length = in.dim(ax);
        if (start < 0 || end > length || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for axis " + axis + " of shape " + in);
        }
        int outer = outer(in, ax), inner = inner(in, ax);
        int[] dims = in.toArray();
        dims[ax] = end - start;
        Shape outShape = Shape.of(dims);
        int block = (end - start) * inner; // contiguous values taken from each outer row
        float[] x = a.data();
        float[] out = TensorScope.resultArray(outShape.size());
        for (int o = 0; o < outer; o++) System.arraycopy(x, (o * length + start) * inner, out, o * block, block);
        return Autograd.record(Tensor.wrap(out, outShape), "slice", g -> {
            float[] ga = a.gradData();
            for (int o = 0; o < outer; o++) {
                int from = (o * length + start) * inner;
                for (int i = 0; i < block; i++) ga[from + i] += g[o * block + i];
            }
        }, a);
    }

    /** The parts joined along {@code axis}; every other dimension must agree. Each part gets its block of the gradient back. */
    static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: needs at least one tensor");
        Shape first = parts[0].shape();
        int ax = first.normalizeAxis("concat", axis);
        int[] dims = first.toArray();
        dims[ax] = 0;
        for (Tensor part : parts) {
            Shape s = part.shape();
            boolean agrees = s.rank() == first.rank();
            for (int d = 0; agrees && d < s.rank(); d++) agrees = d == ax || s.dim(d) == first.dim(d);
            if (!agrees) {
                throw new IllegalArgumentException("concat: shapes " + shapesOf(parts) + " differ outside axis " + axis);
            }
            dims[ax] += s.dim(ax);
        }
        Shape outShape = Shape.of(dims);
        int outer = outer(first, ax), inner = inner(first, ax);
        int outRow = dims[ax] * inner; // values in one outer row of the result
        int[] blocks = new int[parts.length]; // values in one outer row of each part
        int[] offsets = new int[parts.length]; // where each part's block starts within a result row
        for (int p = 0; p < parts.length; p++) {
            blocks[p] = parts[p].dim(ax) * inner;
            offsets[p] = p == 0 ? 0 : offsets[p - 1] + blocks[p - 1];
        }
        float[] out = TensorScope.resultArray(outShape.size());
        for (int p = 0; p < parts.length; p++) {
            for (int o = 0; o < outer; o++) System.arraycopy(parts[p].data(), o * blocks[p], out, o * outRow + offsets[p], blocks[p]);
        }
        return Autograd.record(Tensor.wrap(out, outShape), "concat", g -> {
            for (int p = 0; p < parts.length; p++) {
                if (!parts[p].requiresGrad()) continue;
                float[] gp = parts[p].gradData();
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < blocks[p]; i++) gp[o * blocks[p] + i] += g[o * outRow + offsets[p] + i];
                }
            }
        }, parts);
    }

    /** The product of the dimensions before {@code axis}. */
    private static int outer(Shape shape, int axis) {
        int outer = 1;
        for (int d = 0; d < axis; d++) outer *= shape.dim(d);
        return outer;
    }

    /** The product of the dimensions after {@code axis}. */
    private static int inner(Shape shape, int axis) {
        int inner = 1;
        for (int d = axis + 1; d < shape.rank(); d++) inner *= shape.dim(d);
        return inner;
    }

    /** {@code dims} with a -1 replaced by the length that makes the size equal {@code from}'s. */
    private static int[] inferDimension(Shape from, int[] dims) {
        int[] resolved = dims.clone();
        int unknown = -1; // the axis given as -1, if any
        long known = 1; // the product of the other dimensions
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] == -1 && unknown < 0) {
                unknown = d;
            } else if (dims[d] < 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + from + " to " + Arrays.toString(dims) + ": only one dimension may be -1 and none below it");
            } else {
                known *= dims[d];
            }
        }
        boolean fits = unknown >= 0 ? known > 0 && from.size() % known == 0 : known == from.size();
        if (!fits) {
            throw new IllegalArgumentException("reshape: cannot reshape " + from + " (" + from.size() + " elements) to " + Arrays.toString(dims));
        }
        if (unknown >= 0) resolved[unknown] = (int) (from.size() / known);
        return resolved;
    }

    private static String shapesOf(Tensor[] parts) {
        StringBuilder s = new StringBuilder();
        for (Tensor part : parts) s.append(s.length() == 0 ? "" : ", ").append(part.shape());
        return s.toString();
    }
}
