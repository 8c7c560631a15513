package javae.engine.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import javae.engine.Shape;
import javae.engine.Tensor;

/**
 * Updates named parameters from their gradients, as a {@code torch.optim} optimizer does.
 *
 * <p>Each parameter may carry buffers (Adam's moments, SGD's momentum), created at its first
 * update, as PyTorch creates its per-parameter state lazily. {@link #stateDict()} exposes them as
 * {@code <parameter name>.<buffer name>} (e.g. {@code conv1.weight.exp_avg}) so that a checkpoint
 * can save them and {@link #loadStateDict} restore them: the resumed run continues bit for bit.
 */
public abstract class Optimizer {
    private final Map<String, Tensor> parameters;
    /** Per parameter name, its buffers by buffer name; absent until the parameter's first update. */
    private final Map<String, Map<String, Tensor>> state = new LinkedHashMap<>();

    /** An optimizer of {@code parameters} (e.g. a module's {@code namedParameters()}), kept in their order. */
    protected Optimizer(Map<String, Tensor> parameters) {
        if (parameters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
            if (!p.getValue().requiresGrad()) throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + p.getKey() + " does not require a gradient");
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The parameters, by name, live. */
    public final Map<String, Tensor> parameters() {
        return parameters;
    }

    /** Zeroes the gradient of every parameter, before the next backward. */
    public final void zeroGrad() {
        for (Tensor p : parameters.values()) p.zeroGrad();
    }

    /** One update of every parameter that has a gradient; one without (unused by the loss so far) is skipped, as in PyTorch. */
    public final void step() {
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
            Tensor grad = p.getValue().grad();
            if (grad == null) continue;
            update(p.getValue().data(), grad.data(), state.computeIfAbsent(p.getKey(), name -> new LinkedHashMap<>()), p.getValue().shape());
        }
    }

    /**
     * Updates one parameter in place from its gradient. {@code buffers} is empty at the parameter's
     * first update, and the implementation fills it with the buffers {@link #bufferShapes} names.
     */
    protected abstract void update(float[] parameter, float[] grad, Map<String, Tensor> buffers, Shape shape);

    /** The buffers kept for a parameter of shape {@code parameter}, by name, with their shapes. */
    protected abstract Map<String, Shape> bufferShapes(Shape parameter);

    /** A copy of every buffer, keyed {@code <parameter name>.<buffer name>}, in parameter order. */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        for (String name : parameters.keySet()) {
            Map<String, Tensor> buffers = state.get(name);
            if (buffers == null) continue;
            for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
                copy.put(name + "." + b.getKey(), Tensor.of(b.getValue().data(), b.getValue().shape().toArray()));
            }
        }
        return copy;
    }

    /**
     * Replaces the state with a copy of {@code saved} (as {@link #stateDict()} wrote it). Each
     * parameter must have all of its buffers or none (not updated yet), with the right shapes;
     * otherwise nothing changes and the message names the offending keys.
     */
    public final void loadStateDict(Map<String, Tensor> saved) {
        TreeSet<String> unexpected = new TreeSet<>(saved.keySet());
        Map<String, Map<String, Tensor>> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
            Map<String, Shape> expected = bufferShapes(p.getValue().shape());
            Map<String, Tensor> buffers = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> b : expected.entrySet()) {
                String key = p.getKey() + "." + b.getKey();
                Tensor value = saved.get(key);
                if (value == null) continue;
                unexpected.remove(key);
                if (!value.shape().equals(b.getValue())) {
                    throw new IllegalArgumentException(name() + ".loadStateDict: " + key + " has shape " + value.shape() + ", expected " + b.getValue());
                }
                buffers.put(b.getKey(), Tensor.of(value.data(), value.shape().toArray()));
            }
            if (!buffers.isEmpty() && buffers.size() != expected.size()) {
                throw new IllegalArgumentException(name() + ".loadStateDict: parameter " + p.getKey() + " has buffers " + buffers.keySet() + ", needs all of " + expected.keySet());
            }
            if (!buffers.isEmpty()) loaded.put(p.getKey(), buffers);
        }
        if (!unexpected.isEmpty()) throw new IllegalArgumentException(name() + ".loadStateDict: unexpected keys " + unexpected);
        state.clear();
        state.putAll(loaded);
    }

    private String name() {
        return getClass().getSimpleName();
    }
}
