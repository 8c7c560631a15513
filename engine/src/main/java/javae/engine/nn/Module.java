package javae.engine.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javae.engine.Tensor;

/**
 * A part of a model that owns parameters and smaller parts, as {@code torch.nn.Module}.
 *
 * <p>Subclasses register their parameters and submodules in their constructor, in the order
 * PyTorch would create them; {@link #namedParameters()} then names every parameter the way a
 * PyTorch {@code state_dict} does ({@code conv1.weight}, {@code encoder.0.bias}), so weights move
 * between the two unchanged.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a parameter (it will require a gradient) under {@code name}; returns it. */
    protected final Tensor registerParameter(String name, Tensor parameter) {
        checkNewName(name);
        parameters.put(name, parameter.requiresGrad(true));
        return parameter;
    }

    /** Registers a submodule under {@code name}: its parameters are named {@code name.<its name>}; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        if (module == this) throw new IllegalArgumentException("module: cannot register itself as " + name);
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("module: bad name \"" + name + "\" (must be non-empty, without dots)");
        if (parameters.containsKey(name) || children.containsKey(name)) throw new IllegalArgumentException("module: name " + name + " is already registered");
    }

    /**
     * Every parameter by its state_dict name, in PyTorch's order: this module's own parameters
     * first, then each submodule's, depth first. The tensors are live: training updates them.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> named = new LinkedHashMap<>();
        collect("", named);
        return named;
    }

    private void collect(String prefix, Map<String, Tensor> into) {
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) into.put(prefix + p.getKey(), p.getValue());
        for (Map.Entry<String, Module> c : children.entrySet()) c.getValue().collect(prefix + c.getKey() + ".", into);
    }

    /** Every parameter, in {@link #namedParameters()} order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The total number of trainable values. */
    public final long parameterCount() {
        long count = 0;
        for (Tensor p : namedParameters().values()) count += p.size();
        return count;
    }

    /** Zeroes the accumulated gradient of every parameter. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    /** A copy of every parameter's values by name: a snapshot that later training does not change. */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : namedParameters().entrySet()) {
            state.put(p.getKey(), Tensor.of(p.getValue().data(), p.getValue().shape().toArray()));
        }
        return state;
    }

    /**
     * Copies {@code state} into the parameters. The names must match exactly and every shape must
     * agree; otherwise nothing is copied and the message lists the missing and unexpected names,
     * or the first shape that differs.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = namedParameters();
        TreeSet<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(state.keySet());
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict for " + getClass().getSimpleName() + ": missing keys " + missing + ", unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> p : own.entrySet()) {
            Tensor source = state.get(p.getKey());
            if (!source.shape().equals(p.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict for " + getClass().getSimpleName() + ": " + p.getKey() + " has shape "
                        + source.shape() + " in the state dict, the model needs " + p.getValue().shape());
            }
        }
        for (Map.Entry<String, Tensor> p : own.entrySet()) {
            float[] values = state.get(p.getKey()).data();
            System.arraycopy(values, 0, p.getValue().data(), 0, values.length);
        }
    }
}
