package javae.engine.nn;

import javae.engine.Ops;
import javae.engine.Rng;
import javae.engine.Tensor;

/**
 * A transposed 2-D convolution with a square kernel, as {@code torch.nn.ConvTranspose2d}:
 * x [N, in, H, W] to [N, out, (H - 1) s - 2p + k + op, (W - 1) s - 2p + k + op];
 * weight [in, out, k, k] (PyTorch's layout, in before out), bias [out].
 */
public final class ConvTranspose2d extends Layer {
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Tensor weight; // [in, out, k, k]
    private final Tensor bias;   // [out]

    /**
     * A layer with PyTorch's default initialisation drawn from {@code rng} (weight first, then bias);
     * as in PyTorch the fan-in comes from the weight's dimension 1, here out * k * k.
     */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: bad arguments in " + inChannels + ", out " + outChannels + ", kernel " + kernel
                    + ", stride " + stride + ", padding " + padding + ", output padding " + outputPadding + " (must be below the stride)");
        }
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        weight = registerParameter("weight", Init.defaultWeight(rng, inChannels, outChannels, kernel, kernel));
        bias = registerParameter("bias", Init.defaultBias(rng, Init.fanIn(weight.shape()), outChannels));
    }

    /** Without output padding. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernel, stride, padding, 0, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.convTranspose2d(x, weight, bias, stride, padding, outputPadding);
    }

    /** {@code forward(x).relu()} as one op ({@link Ops#convTranspose2dRelu}): the same values and gradients, faster. */
    public Tensor forwardRelu(Tensor x) {
        return Ops.convTranspose2dRelu(x, weight, bias, stride, padding, outputPadding);
    }

    /** The live weight [in, out, k, k]. */
    public Tensor weight() {
        return weight;
    }

    /** The live bias [out]. */
    public Tensor bias() {
        return bias;
    }
}
