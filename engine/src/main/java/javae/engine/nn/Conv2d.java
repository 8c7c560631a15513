package javae.engine.nn;

import javae.engine.Ops;
import javae.engine.Rng;
import javae.engine.Tensor;

/**
 * A 2-D convolution with a square kernel, as {@code torch.nn.Conv2d}: x [N, in, H, W] to
 * [N, out, (H + 2p - k) / s + 1, (W + 2p - k) / s + 1]; weight [out, in, k, k], bias [out].
 */
public final class Conv2d extends Layer {
    private final int stride;
    private final int padding;
    private final Tensor weight; // [out, in, k, k]
    private final Tensor bias;   // [out]

    /** A layer with PyTorch's default initialisation drawn from {@code rng} (weight first, then bias). */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: bad arguments in " + inChannels + ", out " + outChannels + ", kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.stride = stride;
        this.padding = padding;
        weight = registerParameter("weight", Init.defaultWeight(rng, outChannels, inChannels, kernel, kernel));
        bias = registerParameter("bias", Init.defaultBias(rng, Init.fanIn(weight.shape()), outChannels));
    }

    @Override
    public Tensor forward(Tensor x) {
        return Ops.conv2d(x, weight, bias, stride, padding);
    }

    /** {@code forward(x).relu()} as one op ({@link Ops#conv2dRelu}): the same values and gradients, faster. */
    public Tensor forwardRelu(Tensor x) {
        return Ops.conv2dRelu(x, weight, bias, stride, padding);
    }

    /** The live weight [out, in, k, k]. */
    public Tensor weight() {
        return weight;
    }

    /** The live bias [out]. */
    public Tensor bias() {
        return bias;
    }
}
