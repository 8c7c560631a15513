package javae.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javae.engine.Tensor;

/**
 * Layers applied one after the other, as {@code torch.nn.Sequential}: the i-th layer is named
 * {@code "i"}, so its parameters are {@code 0.weight}, {@code 2.bias}, ... (layers without
 * parameters, such as activations, still take their number).
 */
public final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    /** The layers in the order {@link #forward} applies them, registered as "0", "1", ... */
    public Sequential(Layer... layers) {
        for (Layer layer : layers) this.layers.add(registerModule(Integer.toString(this.layers.size()), layer));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Layer layer : layers) h = layer.forward(h);
        return h;
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }
}
