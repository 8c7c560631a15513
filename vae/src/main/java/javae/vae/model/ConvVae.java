package javae.vae.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javae.engine.Ops;
import javae.engine.Rng;
import javae.engine.Tensor;

/**
 * The report's convolutional variational autoencoder.
 *
 * <p>Encoder q(z|x): four convolutions (kernel 4, stride 2, padding 1, ReLU) halve a 64x64 image down
 * to 4x4 while the channels grow 3 -> 32 -> 32 -> 64 -> 64; a fifth (kernel 4, stride 1, no padding,
 * ReLU) reduces the 4x4 map to 256 values; a linear layer gives 2 dim_z outputs. The first dim_z are
 * the posterior mean, the variance is softplus(0.5 * the last dim_z).
 *
 * <p>Decoder p(x|z): a linear layer dim_z -> 256 with ReLU, seen as a 256x1x1 map; a transposed
 * convolution (kernel 4, stride 1) grows it to 64x4x4, then four (kernel 4, stride 2, padding 1)
 * double it back to the image, channels 64 -> 64 -> 32 -> 32 -> 3, ReLU between and tanh at the end:
 * the mean mu_theta(z) of a Gaussian with variance var_x around the image, in [-1, 1].
 *
 * <p>Smaller images drop the first stride-2 layers (32x32: one fewer), the rest is unchanged.
 * Parameters are named as a PyTorch module with the same layers would name them: {@code conv1.weight},
 * ..., {@code fc_enc.weight}, {@code fc_dec.weight}, {@code tconv1.weight}, ... (see
 * src-test-data/generate/vae_parity.py), so state dicts move between the two unchanged.
 */
public final class ConvVae {
    private static final int KERNEL = 4;
    /** Output channels of the stride-2 encoder layers for 64x64 images; smaller images drop the first ones. */
    private static final int[] STRIDED_WIDTHS = {32, 32, 64, 64};
    /** The width of the layer between the convolutions and the latent space. */
    private static final int HIDDEN = 256;

    private final VaeConfig config;
    /** Every parameter by its PyTorch state_dict name, in state_dict order. */
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();

    /** The posterior q(z|x) = N(mean, diag(variance)) of each example: both [N, dimZ]. */
    public record Posterior(Tensor mean, Tensor variance) {}

    /**
     * The terms of the evidence lower bound, each a scalar averaged over the batch; each image's
     * terms are sums over all its pixels and all latent dimensions.
     *
     * @param loss           -ELBO = kl - reconstruction, what training minimises
     * @param reconstruction E_q[log p(x|z)], estimated with one sample of z per image
     * @param kl             KL(q(z|x) || N(0, I))
     */
    public record Elbo(Tensor loss, Tensor reconstruction, Tensor kl) {}

    /** A model with PyTorch's default initialisation, drawn from {@code rng} layer by layer. */
    public ConvVae(VaeConfig config, Rng rng) {
        this.config = config;
        int[] channels = encoderChannels(config);
        int strided = config.stridedLayers();
        // Encoder: conv1..conv{strided} halve the image, the last conv maps 4x4 to 1x1.
        for (int i = 0; i <= strided; i++) {
            addConv("conv" + (i + 1), channels[i], channels[i + 1], rng);
        }
        addLinear("fc_enc", HIDDEN, 2 * config.dimZ(), rng);
        // Decoder: the encoder's channels in reverse.
        addLinear("fc_dec", config.dimZ(), HIDDEN, rng);
        for (int i = 0; i <= strided; i++) {
            int in = channels[channels.length - 1 - i], out = channels[channels.length - 2 - i];
            addTransposedConv("tconv" + (i + 1), in, out, rng);
        }
    }

    /** [C, 32, 32, 64, 64, 256] for 64x64 images: the channels from the image to the hidden layer. */
    private static int[] encoderChannels(VaeConfig config) {
        int strided = config.stridedLayers();
        int[] channels = new int[strided + 2];
        channels[0] = config.channels();
        for (int i = 0; i < strided; i++) channels[i + 1] = STRIDED_WIDTHS[STRIDED_WIDTHS.length - strided + i];
        channels[strided + 1] = HIDDEN;
        return channels;
    }

    public VaeConfig config() {
        return config;
    }

    // ---- The three steps of a VAE: encode, sample, decode --------------------------------------

    /** q(z|x) for images x [N, C, S, S] in [-1, 1]. */
    public Posterior encode(Tensor x) {
        checkImages(x);
        int strided = config.stridedLayers();
        Tensor h = x;
        for (int i = 1; i <= strided; i++) {
            h = conv(h, "conv" + i, 2, 1).relu();           // [N, c_i, S / 2^i, S / 2^i]
        }
        h = conv(h, "conv" + (strided + 1), 1, 0).relu();   // [N, 256, 1, 1]
        Tensor out = linear(h.flatten(1), "fc_enc");       // [N, 2 dimZ]
        int dimZ = config.dimZ();
        Tensor mean = out.slice(1, 0, dimZ);                              // [N, dimZ]
        Tensor variance = out.slice(1, dimZ, 2 * dimZ).mul(0.5f).softplus(); // [N, dimZ], positive
        return new Posterior(mean, variance);
    }

    /** mu_theta(z): the decoded images [N, C, S, S] in [-1, 1] for latent points z [N, dimZ]. */
    public Tensor decode(Tensor z) {
        if (z.rank() != 2 || z.dim(1) != config.dimZ()) {
            throw new IllegalArgumentException("decode: latent points must be [N, " + config.dimZ() + "], got " + z.shape());
        }
        int strided = config.stridedLayers();
        Tensor h = linear(z, "fc_dec").relu().reshape(z.dim(0), HIDDEN, 1, 1); // [N, 256, 1, 1]
        h = transposedConv(h, "tconv1", 1, 0);                                 // [N, 64, 4, 4]
        for (int i = 2; i <= strided + 1; i++) {
            h = transposedConv(h.relu(), "tconv" + i, 2, 1);                  // doubles the side
        }
        return h.tanh();                                                       // [N, C, S, S]
    }

    /**
     * The ELBO of images x [N, C, S, S], with the posterior sampled by the reparameterisation
     * trick from {@code noise} [N, dimZ] of standard normal values; differentiable in every parameter.
     */
    public Elbo elbo(Tensor x, Tensor noise) {
        Posterior q = encode(x);
        Tensor z = Gaussian.reparameterise(q.mean(), q.variance(), noise);      // [N, dimZ]
        Tensor decoded = decode(z);                                             // [N, C, S, S]
        Tensor varX = Tensor.scalar(config.varX());
        Tensor reconstruction = Gaussian.logLikelihood(x, decoded, varX).mean();
        Tensor kl = Gaussian.klToStandardNormal(q.mean(), q.variance()).mean();
        return new Elbo(kl.sub(reconstruction), reconstruction, kl);
    }

    // ---- Parameters ----------------------------------------------------------------------------

    /** Every parameter by name, in PyTorch state_dict order; the tensors are live (training updates them). */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The total number of trainable values. */
    public long parameterCount() {
        long count = 0;
        for (Tensor p : parameters.values()) count += p.size();
        return count;
    }

    /**
     * Copies values into the parameters: {@code state} must hold exactly this model's names and
     * shapes (a state dict of another architecture is refused, naming the first difference).
     */
    public void loadStateDict(Map<String, Tensor> state) {
        for (String name : state.keySet()) {
            if (!parameters.containsKey(name)) throw new IllegalArgumentException("unexpected parameter " + name + " (not in a " + describe() + ")");
        }
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            Tensor source = state.get(e.getKey());
            if (source == null) throw new IllegalArgumentException("missing parameter " + e.getKey() + " for a " + describe());
            if (!source.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + source.shape() + ", a " + describe() + " needs " + e.getValue().shape());
            }
        }
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            float[] values = state.get(e.getKey()).data();
            System.arraycopy(values, 0, e.getValue().data(), 0, values.length);
        }
    }

    /** For messages: "VAE for 3x64x64 images with dim_z 50". */
    public String describe() {
        return "VAE for " + config.channels() + "x" + config.imageSize() + "x" + config.imageSize() + " images with dim_z " + config.dimZ();
    }

    private void checkImages(Tensor x) {
        int s = config.imageSize();
        if (x.rank() != 4 || x.dim(1) != config.channels() || x.dim(2) != s || x.dim(3) != s) {
            throw new IllegalArgumentException("encode: images must be [N, " + config.channels() + ", " + s + ", " + s + "], got " + x.shape());
        }
    }

    // ---- Layers: a weight and a bias each, initialised as PyTorch does ------------------------

    private Tensor conv(Tensor x, String layer, int stride, int padding) {
        return Ops.conv2d(x, parameters.get(layer + ".weight"), parameters.get(layer + ".bias"), stride, padding);
    }

    private Tensor transposedConv(Tensor x, String layer, int stride, int padding) {
        return Ops.convTranspose2d(x, parameters.get(layer + ".weight"), parameters.get(layer + ".bias"), stride, padding, 0);
    }

    private Tensor linear(Tensor x, String layer) {
        return Ops.linear(x, parameters.get(layer + ".weight"), parameters.get(layer + ".bias"));
    }

    /** Conv2d weight [out, in, k, k]; PyTorch's fan-in is in * k * k. */
    private void addConv(String layer, int in, int out, Rng rng) {
        addLayer(layer, new int[] {out, in, KERNEL, KERNEL}, out, in * KERNEL * KERNEL, rng);
    }

    /** ConvTranspose2d weight [in, out, k, k]; PyTorch computes its fan-in from dimension 1: out * k * k. */
    private void addTransposedConv(String layer, int in, int out, Rng rng) {
        addLayer(layer, new int[] {in, out, KERNEL, KERNEL}, out, out * KERNEL * KERNEL, rng);
    }

    /** Linear weight [out, in]. */
    private void addLinear(String layer, int in, int out, Rng rng) {
        addLayer(layer, new int[] {out, in}, out, in, rng);
    }

    /**
     * PyTorch's default initialisation (kaiming_uniform with a = sqrt(5)) comes down to
     * uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for the weight and for the bias alike.
     */
    private void addLayer(String layer, int[] weightShape, int biasSize, int fanIn, Rng rng) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        parameters.put(layer + ".weight", Tensor.uniform(rng, -bound, bound, weightShape).requiresGrad(true));
        parameters.put(layer + ".bias", Tensor.uniform(rng, -bound, bound, biasSize).requiresGrad(true));
    }
}
