package javae.vae.model;

import javae.engine.Tensor;

/**
 * The three Gaussian formulas a VAE is made of, as differentiable functions of tensors whose first
 * axis is the batch. Every sum runs over all the other axes, so each function returns one value per
 * example: shape {@code [N]}.
 */
public final class Gaussian {
    private static final float TWO_PI = (float) (2 * Math.PI);

    private Gaussian() {}

    /**
     * The log-density of {@code x} under an independent Gaussian with the given mean and diagonal
     * variance, summed over every value of an example:
     * <pre>  log N(x; m, v) = sum_i -0.5 * (log(2 pi v_i) + (x_i - m_i)^2 / v_i)</pre>
     *
     * @param x        observations [N, ...]
     * @param mean     means, of x's shape
     * @param variance variances, of x's shape or any shape that broadcasts to it (a scalar for var_x)
     * @return the log-likelihood of each example [N]
     */
    public static Tensor logLikelihood(Tensor x, Tensor mean, Tensor variance) {
        if (variance.size() == 1) {
            // One variance for every value (var_x): it comes out of the sum, and the sum of
            // squared errors is one fused pass over the pixels, not six passes and their gradients.
            int values = x.size() / Math.max(1, x.dim(0)); // per example (none in an empty batch)
            Tensor squaredError = x.squaredDistance(mean).div(variance.reshape());   // [N]
            Tensor logNormaliser = variance.reshape().mul(TWO_PI).log().mul(values); // []
            return squaredError.add(logNormaliser).mul(-0.5f);
        }
        Tensor squaredError = x.sub(mean).square().div(variance);   // [N, ...]
        Tensor logNormaliser = variance.mul(TWO_PI).log();           // broadcasts to [N, ...]
        return squaredError.add(logNormaliser).mul(-0.5f).sum(false, nonBatchAxes(x));
    }

    /**
     * The Kullback-Leibler divergence from N(mean, diag(variance)) to the standard normal N(0, I),
     * in closed form: <pre>  KL = 0.5 * sum_j (v_j + m_j^2 - 1 - log v_j)</pre>
     *
     * @param mean     posterior means [N, dimZ]
     * @param variance posterior variances [N, dimZ], all positive
     * @return the divergence of each example [N]
     */
    public static Tensor klToStandardNormal(Tensor mean, Tensor variance) {
        Tensor perDimension = variance.add(mean.square()).sub(1f).sub(variance.log()); // [N, dimZ]
        return perDimension.mul(0.5f).sum(false, nonBatchAxes(mean));
    }

    /**
     * The reparameterisation trick: a sample of N(mean, diag(variance)) written as a
     * differentiable function of the parameters, {@code z = mean + sqrt(variance) * noise}, where
     * {@code noise} holds independent standard normal values that carry no gradient.
     *
     * @param mean     [N, dimZ]
     * @param variance [N, dimZ]
     * @param noise    [N, dimZ], standard normal
     * @return z [N, dimZ]
     */
    public static Tensor reparameterise(Tensor mean, Tensor variance, Tensor noise) {
        return mean.add(variance.sqrt().mul(noise));
    }

    private static int[] nonBatchAxes(Tensor t) {
        int[] axes = new int[t.rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        return axes;
    }
}
