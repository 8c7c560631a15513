package javae.engine;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import javae.engine.kernels.ElementwiseKernels;

/**
 * The gradient arrays of intermediate results, recycled. Such a gradient lives only from the moment
 * the first op that used the result adds into it until the result's own backward has run
 * ({@link Autograd#backward}); then it is handed back here, and serves the next node of the same
 * size, later in the same backward pass or in the next training step's.
 *
 * <p>Why: a fresh array is zeroed by the thread that allocates it, over memory no longer in cache
 * (0.8 ms for one of the VAE's 8 MB activations, against 0.34 ms to refill one still in use), while
 * the kernels' other threads wait. A recycled array is zeroed in parallel chunks instead.
 *
 * <p>The arrays belong to the thread that runs the backward pass, and only arrays large enough to be
 * worth it are kept, up to {@link #MAX_KEPT_FLOATS} in all.
 */
final class GradientBuffers {
    /** Arrays shorter than this are cheaper to allocate than to look up. */
    private static final int MIN_LENGTH = 1 << 14;
    /** At most this many floats wait here per thread (128 MB); arrays beyond it are left to the garbage collector. */
    private static final long MAX_KEPT_FLOATS = 1L << 25;

    private static final ThreadLocal<GradientBuffers> OF_THREAD = ThreadLocal.withInitial(GradientBuffers::new);

    private final Map<Integer, ArrayDeque<float[]>> freeByLength = new HashMap<>();
    private long keptFloats;

    private GradientBuffers() {}

    /** A zeroed array of the given length: a recycled one when this thread has one, else a new one. */
    static float[] zeros(int length) {
        if (length < MIN_LENGTH) return new float[length];
        GradientBuffers buffers = OF_THREAD.get();
        ArrayDeque<float[]> free = buffers.freeByLength.get(length);
        float[] array = free == null ? null : free.poll();
        if (array == null) return new float[length];
        buffers.keptFloats -= length;
        ElementwiseKernels.zero(array);
        return array;
    }

    /** Takes back an array from {@link #zeros} that nothing reads or writes any more. */
    static void recycle(float[] array) {
        if (array.length < MIN_LENGTH) return;
        GradientBuffers buffers = OF_THREAD.get();
        if (buffers.keptFloats + array.length > MAX_KEPT_FLOATS) return;
        buffers.keptFloats += array.length;
        buffers.freeByLength.computeIfAbsent(array.length, length -> new ArrayDeque<>()).push(array);
    }
}
