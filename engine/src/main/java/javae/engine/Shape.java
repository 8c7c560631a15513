package javae.engine;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major): an image batch is {@code [N, C, H, W]}.
 * Immutable; a rank-0 shape {@code []} describes a scalar with one element.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long count = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            count *= d;
            if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        }
        this.dims = dims;
        this.size = (int) count;
    }

    /** A shape with these dimensions (copied). */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The length of dimension {@code axis}; negative axes count from the end, as in NumPy. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** The number of elements: the product of the dimensions (1 for a scalar). */
    public int size() {
        return size;
    }

    /** A copy of the dimensions. */
    public int[] toArray() {
        return dims.clone();
    }

    /** Maps a possibly negative axis to {@code 0..rank-1}, or throws naming the shape. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        return a;
    }

    /** As {@link #normalizeAxis(int)}, for ops: the message starts with the op's name. */
    int normalizeAxis(String op, int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) throw new IllegalArgumentException(op + ": axis " + axis + " out of range for shape " + this);
        return a;
    }

    /** Row-major strides: how far apart in the flat array two neighbours along each axis are. */
    public int[] strides() {
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= dims[i];
        }
        return strides;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
