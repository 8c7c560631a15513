package javae.engine.nn;

import javae.engine.Rng;
import javae.engine.Shape;
import javae.engine.Tensor;

/**
 * PyTorch's default initialisation of layer parameters, drawn from a seeded {@link Rng}.
 *
 * <p>{@code Linear}, {@code Conv2d} and {@code ConvTranspose2d} reset their weight with
 * {@code kaiming_uniform_(w, a=sqrt(5))}: uniform in [-bound, bound] with
 * bound = gain * sqrt(3 / fan_in) and gain = sqrt(2 / (1 + a^2)) = sqrt(1/3), which is exactly
 * 1 / sqrt(fan_in). Their bias is uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)] with the weight's fan-in.
 */
public final class Init {
    private Init() {}

    /**
     * The fan-in as PyTorch's {@code _calculate_fan_in_and_fan_out} computes it: dimension 1 times the
     * receptive field (the product of dimensions 2 and on). For Linear [out, in] that is in, for Conv2d
     * [out, in, kh, kw] in * kh * kw, and for ConvTranspose2d [in, out, kh, kw] it is out * kh * kw.
     */
    public static int fanIn(Shape weight) {
        if (weight.rank() < 2) throw new IllegalArgumentException("fanIn: weight of shape " + weight + " needs at least 2 dimensions");
        int fan = weight.dim(1);
        for (int i = 2; i < weight.rank(); i++) fan *= weight.dim(i);
        return fan;
    }

    /** kaiming_uniform with a = sqrt(5): uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)) for the given weight shape. */
    public static Tensor defaultWeight(Rng rng, int... shape) {
        return uniformBound(rng, fanIn(Shape.of(shape)), shape);
    }

    /** The bias of a layer whose weight has fan-in {@code fanIn}: uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    public static Tensor defaultBias(Rng rng, int fanIn, int size) {
        return uniformBound(rng, fanIn, size);
    }

    private static Tensor uniformBound(Rng rng, int fanIn, int... shape) {
        if (fanIn <= 0) throw new IllegalArgumentException("init: fan-in must be positive, got " + fanIn + " for shape " + Shape.of(shape));
        float bound = (float) (1 / Math.sqrt(fanIn));
        return Tensor.uniform(rng, -bound, bound, shape);
    }
}
