package javae.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A stretch of code, typically one training step, whose op results are not needed once it ends:
 * closing the scope takes their arrays back, and the ops of the next step get those arrays again
 * instead of new ones.
 *
 * <pre>{@code
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor loss = model.loss(batch);
 *     loss.backward();
 *     optimizer.step();
 *     lossValue = loss.item();   // read what you need before the scope closes
 * }
 * }</pre>
 *
 * <p>Why: Java zeroes every new array on the thread that allocates it, and a training step of the
 * report's VAE makes about 30 MB of results, whose zeroing the kernels' other threads would wait
 * for. Most ops write every element of their result, so a recycled array needs no zeroing at all.
 *
 * <p>When the scope closes, every tensor that holds one of the scope's arrays (an op's result, or a
 * view of one made by reshape or detach) is released: reading its values throws an
 * IllegalStateException. Nothing else is touched: parameters, tensors made by {@link Tensor#of},
 * {@link Tensor#randn} and the like, and the gradients of leaves stay as they are. Scopes nest; each
 * belongs to the thread that opened it and is closed there, innermost first. Without an open scope,
 * ops allocate new arrays, as always.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope enclosing;
    private final Thread owner = Thread.currentThread();
    /** The arrays handed out to ops while this scope was the innermost one (small ones are new, and not recycled). */
    private final Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The tensors that hold one of them. */
    private final List<Tensor> holders = new ArrayList<>();
    private boolean closed;

    private TensorScope(TensorScope enclosing) {
        this.enclosing = enclosing;
    }

    /** Opens a scope on this thread, inside the current one if any; close it with try-with-resources. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** Releases the tensors that hold this scope's arrays and takes the arrays back. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("a TensorScope must be closed on the thread that opened it (" + owner.getName() + ")");
        if (CURRENT.get() != this) throw new IllegalStateException("a TensorScope must be closed innermost first: a scope opened inside it is still open");
        closed = true;
        CURRENT.set(enclosing);
        for (Tensor holder : holders) holder.release();
        for (float[] array : arrays) RecycledArrays.recycle(array);
    }

    /**
     * An array of {@code length} floats for an op's result that the op writes in full: inside a scope,
     * a recycled one whose old values are still there; otherwise a new one.
     */
    static float[] resultArray(int length) {
        TensorScope scope = CURRENT.get();
        if (scope == null) return new float[length];
        float[] array = RecycledArrays.toOverwrite(length);
        scope.arrays.add(array);
        return array;
    }

    /** Called for every new tensor: if its storage belongs to an open scope of this thread, that scope releases it on closing. */
    static void adopt(Tensor tensor, float[] storage) {
        for (TensorScope scope = CURRENT.get(); scope != null; scope = scope.enclosing) {
            if (scope.arrays.contains(storage)) {
                scope.holders.add(tensor);
                return;
            }
        }
    }
}
