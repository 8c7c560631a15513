package javae.engine;

/**
 * NumPy broadcasting of two shapes: align them at the right; each pair of dimensions must be equal
 * or one of them 1, which is then repeated. For every element of the result, {@link #indexA} and
 * {@link #indexB} give the flat index of the input element it reads; a backward pass sums the
 * result's gradient back through the same maps.
 */
final class Broadcast {
    /**
     * The map of an input with a single element: every result element reads element 0, so no
     * array of the result's size is built (a scalar variance over a batch of images is common).
     */
    static final int[] SINGLE_ELEMENT = new int[0];

    final Shape out;
    /** Null when the input already has the result's shape (index i reads element i); {@link #SINGLE_ELEMENT} for one element. */
    final int[] indexA, indexB;

    private Broadcast(Shape out, int[] indexA, int[] indexB) {
        this.out = out;
        this.indexA = indexA;
        this.indexB = indexB;
    }

    static Broadcast of(String op, Shape a, Shape b) {
        Shape out = resultShape(op, a, b);
        return new Broadcast(out, mapOf(a, out), mapOf(b, out));
    }

    /** The index map of {@code in} broadcast to {@code out}, in its cheapest form. */
    static int[] mapOf(Shape in, Shape out) {
        if (in.equals(out)) return null;
        return in.size() == 1 ? SINGLE_ELEMENT : indexMap(in, out);
    }

    static Shape resultShape(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " cannot be broadcast together");
            }
            dims[i] = da == 1 ? db : da;
        }
        return Shape.of(dims);
    }

    /** For each element of {@code out}, the flat index of the element of {@code in} broadcast to it. */
    private static int[] indexMap(Shape in, Shape out) {
        int rank = out.rank();
        int offset = rank - in.rank();
        int[] inStrides = in.strides();
        // Stride 0 along the dimensions the input repeats, so moving along them reads the same element.
        int[] stride = new int[rank];
        for (int i = offset; i < rank; i++) stride[i] = in.dim(i - offset) == 1 ? 0 : inStrides[i - offset];
        int[] map = new int[out.size()];
        int[] counter = new int[rank];
        int index = 0;
        for (int k = 0; k < map.length; k++) {
            map[k] = index;
            // Advance the multi-index like an odometer, updating the input offset incrementally.
            for (int axis = rank - 1; axis >= 0; axis--) {
                index += stride[axis];
                if (++counter[axis] < out.dim(axis)) break;
                index -= stride[axis] * counter[axis];
                counter[axis] = 0;
            }
        }
        return map;
    }

    /** The flat index of the input element that result element {@code i} reads through {@code map}. */
    static int at(int[] map, int i) {
        if (map == null) return i;
        return map == SINGLE_ELEMENT ? 0 : map[i];
    }
}
