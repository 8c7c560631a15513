package javae.vae.gmm;

import javae.engine.Autograd;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.nn.Activations;
import javae.engine.nn.Layer;
import javae.engine.nn.Linear;
import javae.engine.nn.Module;
import javae.engine.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected variational autoencoder for low-dimensional real vectors (Kingma and Welling,
 * 2014): a Gaussian encoder q(z | x) = N(mu(x), diag sigma^2(x)), a standard normal prior p(z) and a
 * Gaussian decoder p(x | z) = N(m(z), diag s^2). The decoder variances s^2 are either learned
 * parameters, one per data dimension, so the model finds its own noise level, or fixed.
 */
public final class GmmVae extends Module {
    private static final float LOG_TWO_PI = (float) Math.log(2 * Math.PI);

    private final int dim;
    private final int latent;
    private final Sequential encoder;          // x [B, D] -> h [B, H_last]
    private final Linear encoderHead;          // h -> [B, 2Z]: posterior mean, then log variance
    private final Sequential decoder;          // z [B, Z] -> m(z) [B, D]
    private final Tensor decoderLogVariance;   // [D] log s^2, a parameter when learned

    /** The posterior q(z | x) of a batch: means and log variances, each [B, Z]. */
    public record Posterior(Tensor mean, Tensor logVariance) {}

    /**
     * A model for {@code dim}-dimensional data with the given hidden layer sizes (the decoder
     * mirrors the encoder) and {@code latent} latent dimensions; weights drawn from {@code rng}.
     * {@code decoderVariance} is the fixed s^2, or NaN to learn it (starting from 1).
     */
    public GmmVae(int dim, int[] hidden, int latent, double decoderVariance, Rng rng) {
        if (dim < 1 || latent < 1 || hidden.length == 0) {
            throw new IllegalArgumentException("GmmVae: dim " + dim + ", latent " + latent + " and " + hidden.length + " hidden layers must all be positive");
        }
        this.dim = dim;
        this.latent = latent;
        encoder = registerModule("encoder", mlp(dim, hidden, rng));
        encoderHead = registerModule("encoderHead", new Linear(hidden[hidden.length - 1], 2 * latent, rng));
        int[] reversed = new int[hidden.length];
        for (int i = 0; i < hidden.length; i++) reversed[i] = hidden[hidden.length - 1 - i];
        List<Layer> layers = new ArrayList<>(mlp(latent, reversed, rng).layers());
        layers.add(new Linear(reversed[reversed.length - 1], dim, rng));
        decoder = registerModule("decoder", new Sequential(layers.toArray(new Layer[0])));
        if (Double.isNaN(decoderVariance)) {
            decoderLogVariance = registerParameter("decoderLogVariance", Tensor.zeros(dim));
        } else if (decoderVariance > 0) {
            decoderLogVariance = Tensor.full((float) Math.log(decoderVariance), dim);
        } else {
            throw new IllegalArgumentException("GmmVae: decoder variance must be positive or NaN (learned), got " + decoderVariance);
        }
    }

    /** Linear + ReLU for each hidden size. */
    private static Sequential mlp(int in, int[] hidden, Rng rng) {
        List<Layer> layers = new ArrayList<>();
        for (int size : hidden) {
            if (size < 1) throw new IllegalArgumentException("GmmVae: hidden sizes must be positive, got " + size);
            layers.add(new Linear(in, size, rng));
            layers.add(new Activations.ReLU());
            in = size;
        }
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /** q(z | x) for a batch x [B, D]. */
    public Posterior encode(Tensor x) {
        Tensor stats = encoderHead.forward(encoder.forward(x)); // [B, 2Z]
        return new Posterior(stats.slice(1, 0, latent), stats.slice(1, latent, 2 * latent));
    }

    /** The decoder mean m(z) [B, D] for z [B, Z]. */
    public Tensor decode(Tensor z) {
        return decoder.forward(z);
    }

    /**
     * The negative evidence lower bound averaged over the batch x [B, D], with the KL term weighted
     * by {@code beta} (KL warm-up: beta grows from 0 to 1 early in training):
     * E_q[-log p(x | z)] + beta KL(q(z | x) || N(0, I)), one reparameterised sample z per point.
     */
    public Tensor loss(Tensor x, float beta, Rng rng) {
        int batch = x.dim(0);
        Posterior q = encode(x);
        // z = mu + sigma * eps, eps ~ N(0, I): the noise is outside the graph, gradients reach mu and sigma
        Tensor z = q.mean().add(q.logVariance().mul(0.5f).exp().mul(Tensor.randn(rng, batch, latent)));
        Tensor residual = x.sub(decode(z));
        // -log N(x; m, s^2) = 0.5 * sum_d ((x - m)^2 / s^2 + log s^2 + log 2 pi)
        Tensor reconstruction = residual.square().div(decoderLogVariance.exp()).add(decoderLogVariance)
                .add(LOG_TWO_PI).sum().mul(0.5f / batch);
        // KL(N(mu, sigma^2) || N(0, 1)) = 0.5 * sum_z (mu^2 + sigma^2 - 1 - log sigma^2)
        Tensor kl = q.mean().square().add(q.logVariance().exp()).sub(1f).sub(q.logVariance()).sum().mul(0.5f / batch);
        return reconstruction.add(kl.mul(beta));
    }

    /** Posterior means [N][Z] of the rows of {@code x} [N][D], without recording a graph. */
    public double[][] latentMeans(double[][] x) {
        try (var scope = Autograd.noGrad()) {
            return toRows(encode(toTensor(x)).mean());
        }
    }

    /** Decodes the latent points {@code z} [N][Z] and adds the decoder noise: samples of p(x | z). */
    public double[][] decodeWithNoise(double[][] z, Rng rng) {
        try (var scope = Autograd.noGrad()) {
            double[][] x = toRows(decode(toTensor(z)));
            float[] logVariance = decoderLogVariance.data();
            for (double[] row : x) {
                for (int d = 0; d < dim; d++) row[d] += Math.exp(0.5 * logVariance[d]) * rng.nextGaussian();
            }
            return x;
        }
    }

    /** {@code n} samples of the model: z from the prior N(0, I), then x from p(x | z). */
    public double[][] generate(int n, Rng rng) {
        double[][] z = new double[n][latent];
        for (double[] row : z) for (int c = 0; c < latent; c++) row[c] = rng.nextGaussian();
        return decodeWithNoise(z, rng);
    }

    public int dim() { return dim; }
    public int latent() { return latent; }

    /** The learned decoder standard deviations s, one per data dimension. */
    public double[] decoderStd() {
        double[] s = new double[dim];
        for (int d = 0; d < dim; d++) s[d] = Math.exp(0.5 * decoderLogVariance.data()[d]);
        return s;
    }

    static Tensor toTensor(double[][] rows) {
        int n = rows.length, d = rows[0].length;
        float[] data = new float[n * d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) data[i * d + c] = (float) rows[i][c];
        return Tensor.wrap(data, n, d);
    }

    static double[][] toRows(Tensor t) {
        int n = t.dim(0), d = t.dim(1);
        float[] data = t.data();
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) rows[i][c] = data[i * d + c];
        return rows;
    }
}
