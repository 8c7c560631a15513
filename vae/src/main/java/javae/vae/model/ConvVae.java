package javae.vae.model;

import java.util.ArrayList;
import java.util.List;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.nn.Conv2d;
import javae.engine.nn.ConvTranspose2d;
import javae.engine.nn.Linear;
import javae.engine.nn.Module;

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
 * src-test-data/generate/vae_parity.py), so state dicts move between the two unchanged
 * ({@link Module#stateDict()}, {@link Module#loadStateDict}).
 */
public final class ConvVae extends Module {
    private static final int KERNEL = 4;
    /** Output channels of the stride-2 encoder layers for 64x64 images; smaller images drop the first ones. */
    private static final int[] STRIDED_WIDTHS = {32, 32, 64, 64};
    /** The width of the layer between the convolutions and the latent space. */
    private static final int HIDDEN = 256;

    private final VaeConfig config;
    private final List<Conv2d> encoderConvs = new ArrayList<>();          // conv1 .. conv{strided + 1}
    private final Linear encoderOut;                                      // fc_enc
    private final Linear decoderIn;                                       // fc_dec
    private final List<ConvTranspose2d> decoderConvs = new ArrayList<>(); // tconv1 .. tconv{strided + 1}

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

    /** A model with PyTorch's default initialisation, drawn from {@code rng} layer by layer, weight before bias. */
    public ConvVae(VaeConfig config, Rng rng) {
        this.config = config;
        int[] channels = encoderChannels(config);
        int strided = config.stridedLayers();
        // Encoder: conv1..conv{strided} halve the image (kernel 4, stride 2, padding 1), the last conv maps 4x4 to 1x1.
        for (int i = 0; i <= strided; i++) {
            boolean halves = i < strided;
            Conv2d conv = new Conv2d(channels[i], channels[i + 1], KERNEL, halves ? 2 : 1, halves ? 1 : 0, rng);
            encoderConvs.add(registerModule("conv" + (i + 1), conv));
        }
        encoderOut = registerModule("fc_enc", new Linear(HIDDEN, 2 * config.dimZ(), rng));
        // Decoder: the encoder's channels in reverse; tconv1 maps 1x1 to 4x4, the others double the side.
        decoderIn = registerModule("fc_dec", new Linear(config.dimZ(), HIDDEN, rng));
        for (int i = 0; i <= strided; i++) {
            int in = channels[channels.length - 1 - i], out = channels[channels.length - 2 - i];
            boolean doubles = i > 0;
            ConvTranspose2d tconv = new ConvTranspose2d(in, out, KERNEL, doubles ? 2 : 1, doubles ? 1 : 0, rng);
            decoderConvs.add(registerModule("tconv" + (i + 1), tconv));
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
        Tensor h = x;
        for (Conv2d conv : encoderConvs) {
            h = conv.forwardRelu(h);            // relu(conv(h)), one op: [N, 32, S/2, S/2] ... [N, 64, 4, 4], then [N, 256, 1, 1]
        }
        Tensor out = encoderOut.forward(h.flatten(1)); // [N, 2 dimZ]
        int dimZ = config.dimZ();
        Tensor mean = out.slice(1, 0, dimZ);                                  // [N, dimZ]
        Tensor variance = out.slice(1, dimZ, 2 * dimZ).mul(0.5f).softplus(); // [N, dimZ], positive
        return new Posterior(mean, variance);
    }

    /** mu_theta(z): the decoded images [N, C, S, S] in [-1, 1] for latent points z [N, dimZ]. */
    public Tensor decode(Tensor z) {
        if (z.rank() != 2 || z.dim(1) != config.dimZ()) {
            throw new IllegalArgumentException("decode: latent points must be [N, " + config.dimZ() + "], got " + z.shape());
        }
        Tensor h = decoderIn.forward(z).relu().reshape(z.dim(0), HIDDEN, 1, 1); // [N, 256, 1, 1]
        int last = decoderConvs.size() - 1;
        for (int i = 0; i < last; i++) {
            h = decoderConvs.get(i).forwardRelu(h);                            // relu(tconv(h)), one op: [N, 64, 4, 4], then doubling
        }
        return decoderConvs.get(last).forward(h).tanh();                       // [N, C, S, S]
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

    /** For messages: "VAE for 3x64x64 images, dim_z 50, var_x 0.1". */
    public String describe() {
        return "VAE for " + config;
    }

    private void checkImages(Tensor x) {
        int s = config.imageSize();
        if (x.rank() != 4 || x.dim(1) != config.channels() || x.dim(2) != s || x.dim(3) != s) {
            throw new IllegalArgumentException("encode: images must be [N, " + config.channels() + ", " + s + ", " + s + "], got " + x.shape());
        }
    }
}
