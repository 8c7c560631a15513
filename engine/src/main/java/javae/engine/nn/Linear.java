package javae.engine.nn;

import javae.engine.Ops;
import javae.engine.Rng;
import javae.engine.Tensor;

/** A fully connected layer, as {@code torch.nn.Linear}: x [N, in] to x w^T + b [N, out]. */
public final class Linear extends Layer {
    private final Tensor weight; // [out, in]
    private final Tensor bias;   // [out]

    /** A layer with PyTorch's default initialisation drawn from {@code rng} (weight first, then bias). */
    public Linear(int inFeatures, int outFeatures, Rng rng) {
        if (inFeatures <= 0 || outFeatures <= 0) throw new IllegalArgumentException("Linear: features must be positive, got in " + inFeatures + ", out " + outFeatures);
        weight = registerParameter("weight", Init.defaultWeight(rng, outFeatures, inFeatures));
        bias = registerParameter("bias", Init.defaultBias(rng, inFeatures, outFeatures));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.linear(x, weight, bias);
    }

    /** The live weight [out, in]. */
    public Tensor weight() {
        return weight;
    }

    /** The live bias [out]. */
    public Tensor bias() {
        return bias;
    }
}
