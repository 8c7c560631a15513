package javae.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import javae.engine.kernels.ElementwiseKernels;

/**
 * Large float arrays handed back once nothing reads them any more, to serve again: the gradients of
 * intermediate results once their backward has run ({@link Autograd#backward}), and the results that
 * ops made inside a {@link TensorScope} once it closes.
 *
 * <p>Why: a fresh array is zeroed by the thread that allocates it, over memory no longer in cache
 * (0.8 ms for one of the VAE's 8 MB activations), while the kernels' other threads wait. A recycled
 * array is zeroed in parallel chunks (0.34 ms), or not at all when its new owner writes every element.
 *
 * <p>The arrays belong to the thread that runs the ops, and only arrays large enough to be worth it
 * are kept, up to {@link #MAX_KEPT_FLOATS} in all.
 */
final class RecycledArrays {
    /** Arrays shorter than this are cheaper to allocate than to look up. */
    static final int MIN_LENGTH = 1 << 14;
    /** At most this many floats wait here per thread (128 MB); arrays beyond it are left to the garbage collector. */
    private static final long MAX_KEPT_FLOATS = 1L << 25;

    private static final ThreadLocal<RecycledArrays> OF_THREAD = ThreadLocal.withInitial(RecycledArrays::new);

    private final Map<Integer, ArrayDeque<float[]>> freeByLength = new HashMap<>();
    private long keptFloats;

    private RecycledArrays() {}

    /** A zeroed array of the given length: a recycled one when this thread has one, else a new one. */
    static float[] zeros(int length) {
        float[] array = recycled(length);
        if (array == null) return new float[length];
        ElementwiseKernels.zero(array);
        return array;
    }

    /** An array of the given length whose values are unspecified, for an owner that writes every element. */
    static float[] toOverwrite(int length) {
        float[] array = recycled(length);
        return array == null ? new float[length] : array;
    }

    private static float[] recycled(int length) {
        if (length < MIN_LENGTH) return null;
        RecycledArrays arrays = OF_THREAD.get();
        ArrayDeque<float[]> free = arrays.freeByLength.get(length);
        float[] array = free == null ? null : free.poll();
        if (array != null) arrays.keptFloats -= length;
        return array;
    }

    /** Takes back an array that nothing reads or writes any more. */
    static void recycle(float[] array) {
        if (array.length < MIN_LENGTH) return;
        RecycledArrays arrays = OF_THREAD.get();
        if (arrays.keptFloats + array.length > MAX_KEPT_FLOATS) return;
        arrays.keptFloats += array.length;
        arrays.freeByLength.computeIfAbsent(array.length, length -> new ArrayDeque<>()).push(array);
    }
}
