package javae.engine.nn;

import javae.engine.Tensor;

/** A module that maps one tensor to one tensor, the kind {@link Sequential} chains. */
public abstract class Layer extends Module {
    /** Applies the layer to {@code x}, recording the graph for backward. */
    public abstract Tensor forward(Tensor x);
}
