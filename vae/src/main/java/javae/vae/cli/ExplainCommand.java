package javae.vae.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javae.engine.Autograd;
import javae.engine.Ops;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.optim.Adam;
import javae.vae.model.ConvVae;
import javae.vae.model.Gaussian;
import javae.vae.model.VaeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code javae explain}: one training step of a small {@link ConvVae}, with every number printed.
 *
 * <p>It walks the forward pass layer by layer with the model's own parameters and the same ops
 * ({@link Ops#conv2d}, {@link Ops#convTranspose2d}, {@link Ops#linear}, the {@link Gaussian}
 * formulas), printing each intermediate shape, and checks that the walk's loss equals
 * {@link ConvVae#elbo}'s. Then it runs {@code backward()}, compares one gradient with a central
 * finite difference, and takes one {@link Adam} step, showing the update of that parameter by hand
 * beside the optimizer's. GUIDE.md follows the same path in prose.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "One training step of a small convolutional VAE with every intermediate shape, the ELBO's terms, "
                + "a finite-difference check of one gradient and one Adam update printed (a few seconds). See GUIDE.md.")
final class ExplainCommand implements Callable<Integer> {
    /** The finite-difference step: large enough that float32 rounding of the loss stays small beside it. */
    static final float FINITE_DIFFERENCE_STEP = 1e-2f;
    /** The relative difference under which the analytic and numeric gradients are said to agree. */
    static final double AGREEMENT = 1e-2;
    /** Adam's step size, as in the report. */
    private static final float LEARNING_RATE = 1e-3f;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights, the images and the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "16", description = "Image side: 8, 16, 32 or 64 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "2", description = "Images in the batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--dim-z", defaultValue = "4", description = "Latent dimensions (default: ${DEFAULT-VALUE}).")
    int dimZ;

    @Mixin ThreadsOption threads = new ThreadsOption();

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() {
        threads.apply();
        if (batch < 1) throw new UserInputException("--batch must be at least 1, got " + batch);
        out = spec.commandLine().getOut();
        VaeConfig config = new VaeConfig(3, size, dimZ, VaeConfig.DEFAULT_VAR_X);
        Rng rng = new Rng(seed);
        ConvVae model = new ConvVae(config, rng.split());
        Map<String, Tensor> parameters = model.namedParameters();
        Tensor x = Tensor.uniform(rng.split(), -1f, 1f, batch, 3, size, size);
        Tensor noise = Tensor.randn(rng.split(), batch, dimZ);

        out.printf("javae explain: one training step of the convolutional VAE (seed %d)%n%n", seed);
        out.printf("1. The model (vae/.../model/ConvVae.java): %s, %,d parameters%n", model.describe(), model.parameterCount());
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) row(p.getKey(), p.getValue(), "");
        out.printf("%n2. A batch of images x, pixels uniform in [-1, 1], and standard normal noise eps%n");
        row("x", x, "");
        row("eps", noise, "");

        Walk walked = walk(model, x, noise);
        double walkedLoss = walked.loss();

        ConvVae.Elbo elbo = model.elbo(x, noise);
        double loss = elbo.loss().item();
        out.printf("%n6. The ELBO's terms (ConvVae.elbo, Gaussian.java): per image, averaged over the batch%n");
        out.printf("   reconstruction = E_q[log p(x|z)] = sum_i -0.5 (log(2 pi var_x) + (x_i - mu_i)^2 / var_x) = %s%n", number(elbo.reconstruction().item()));
        out.printf("   kl = KL(q(z|x) || N(0, I)) = 0.5 sum_j (v_j + m_j^2 - 1 - log v_j)                   = %s%n", number(elbo.kl().item()));
        out.printf("   loss = -ELBO = kl - reconstruction                                                = %s%n", number(loss));
        out.printf("   the layer-by-layer walk above gives loss %s: %s%n", number(walkedLoss),
                walkedLoss == loss ? "the same number, bit for bit" : "DIFFERENT, difference " + (walkedLoss - loss));

        String checkedName = checkedParameter(config);
        Tensor checked = parameters.get(checkedName);
        model.zeroGrad();
        elbo.loss().backward();
        float analytic = checked.grad().data()[0];
        out.printf("%n7. backward() (Autograd.backward): topological order, then the chain rule from the loss to every parameter%n");
        for (String name : new String[] {"conv1.weight", "fc_enc.bias", checkedName}) {
            Tensor grad = parameters.get(name).grad();
            out.printf("   d loss / d %-14s %-18s first values %s%n", name, grad.shape(), values(grad, 3));
        }

        double numeric = finiteDifference(model, checked, x, noise);
        double relative = relativeDifference(analytic, numeric);
        out.printf("%n8. Finite-difference check of d loss / d %s[0] (the bias of the decoded image's red channel)%n", checkedName);
        out.printf("   numeric  (loss(p + h) - loss(p - h)) / 2h, h = %s: %s%n", FINITE_DIFFERENCE_STEP, number(numeric));
        out.printf("   analytic (backward):                            %s%n", number(analytic));
        out.printf("   by hand, the chain rule through tanh and the Gaussian: (1/N) sum over the channel's pixels%n");
        out.printf("     of (mu - x) / var_x * (1 - mu^2):             %s%n", number(biasGradientByHand(x, walked.decoded(), model.config().varX(), 0)));
        out.printf("   numeric vs analytic: relative difference %.2e, %s%n", relative,
                relative < AGREEMENT ? "they agree (below " + AGREEMENT + ")" : "they DISAGREE (above " + AGREEMENT + ")");

        adamStep(model, checkedName, checked, x, noise, loss);
        return relative < AGREEMENT ? 0 : Main.EXIT_FAILURE;
    }

    /** What the layer-by-layer walk computed: the loss and the decoded mean mu_theta(z) [N, C, S, S]. */
    private record Walk(double loss, Tensor decoded) {}

    /**
     * The forward pass of {@link ConvVae#elbo}, op by op with the model's parameters, printing each
     * shape; returns the loss, which must equal the model's. The strides follow ConvVae: kernel 4,
     * stride 2 and padding 1 for the layers that halve (or double) the side, stride 1 and no
     * padding between 4x4 and 1x1.
     */
    private Walk walk(ConvVae model, Tensor x, Tensor noise) {
        Map<String, Tensor> p = model.namedParameters();
        int layers = model.config().stridedLayers() + 1;
        try (var scope = Autograd.noGrad()) {
            out.printf("%n3. Encoder q(z|x) (ConvVae.encode): convolutions with ReLU (Ops.conv2d, kernel 4)%n");
            Tensor h = x;
            row("x", h, "");
            for (int i = 1; i <= layers; i++) {
                boolean halves = i < layers;
                int stride = halves ? 2 : 1, padding = halves ? 1 : 0;
                h = Ops.conv2d(h, p.get("conv" + i + ".weight"), p.get("conv" + i + ".bias"), stride, padding).relu();
                row("conv" + i + " s" + stride + " p" + padding + ", relu", h, halves ? "side halves" : "4x4 -> 1x1");
            }
            h = h.flatten(1);
            row("flatten(1)", h, "");
            Tensor encoded = Ops.linear(h, p.get("fc_enc.weight"), p.get("fc_enc.bias"));
            row("fc_enc (Ops.linear)", encoded, "2 dim_z outputs");
            int dimZ = model.config().dimZ();
            Tensor mean = encoded.slice(1, 0, dimZ);
            Tensor variance = encoded.slice(1, dimZ, 2 * dimZ).mul(0.5f).softplus();
            row("mean = first dim_z", mean, "mean[0] " + values(mean, dimZ));
            row("var = softplus(0.5 rest)", variance, "var[0]  " + values(variance, dimZ));

            out.printf("%n4. Reparameterisation (Gaussian.reparameterise): z = mean + sqrt(var) * eps, differentiable in mean and var%n");
            Tensor z = Gaussian.reparameterise(mean, variance, noise);
            row("z", z, "z[0]    " + values(z, dimZ));

            out.printf("%n5. Decoder p(x|z) (ConvVae.decode): transposed convolutions (Ops.convTranspose2d, kernel 4)%n");
            h = Ops.linear(z, p.get("fc_dec.weight"), p.get("fc_dec.bias")).relu();
            row("fc_dec, relu", h, "");
            h = h.reshape(h.dim(0), h.dim(1), 1, 1);
            row("reshape", h, "a 1x1 map");
            for (int i = 1; i <= layers; i++) {
                boolean doubles = i > 1;
                int stride = doubles ? 2 : 1, padding = doubles ? 1 : 0;
                if (doubles) h = h.relu();
                h = Ops.convTranspose2d(h, p.get("tconv" + i + ".weight"), p.get("tconv" + i + ".bias"), stride, padding, 0);
                row((doubles ? "relu, " : "") + "tconv" + i + " s" + stride + " p" + padding, h, doubles ? "side doubles" : "1x1 -> 4x4");
            }
            Tensor decoded = h.tanh();
            row("tanh = mu_theta(z)", decoded, "the decoded mean, in [-1, 1]");

            Tensor reconstruction = Gaussian.logLikelihood(x, decoded, Tensor.scalar(model.config().varX())).mean();
            Tensor kl = Gaussian.klToStandardNormal(mean, variance).mean();
            return new Walk(kl.sub(reconstruction).item(), decoded);
        }
    }

    /**
     * d loss / d b_c for the last decoder layer's bias, written out: b_c adds to every pixel of
     * channel c before the tanh, so with mu = tanh(a), d mu / d a = 1 - mu^2, and the loss
     * -(1/N) sum log N(x; mu, var_x) has d loss / d mu = (mu - x) / (N var_x).
     */
    static double biasGradientByHand(Tensor x, Tensor decoded, float varX, int channel) {
        int batch = x.dim(0), channels = x.dim(1), pixels = x.dim(2) * x.dim(3);
        float[] xs = x.data(), mu = decoded.data();
        double sum = 0;
        for (int n = 0; n < batch; n++) {
            for (int i = (n * channels + channel) * pixels, end = i + pixels; i < end; i++) {
                sum += (mu[i] - xs[i]) / varX * (1 - (double) mu[i] * mu[i]);
            }
        }
        return sum / batch;
    }

    /** The central difference of the loss in element 0 of {@code parameter}, with the same batch and noise. */
    private static double finiteDifference(ConvVae model, Tensor parameter, Tensor x, Tensor noise) {
        float[] values = parameter.data();
        float original = values[0];
        try (var scope = Autograd.noGrad()) {
            values[0] = original + FINITE_DIFFERENCE_STEP;
            double plus = model.elbo(x, noise).loss().item();
            values[0] = original - FINITE_DIFFERENCE_STEP;
            double minus = model.elbo(x, noise).loss().item();
            return (plus - minus) / (2.0 * FINITE_DIFFERENCE_STEP);
        } finally {
            values[0] = original;
        }
    }

    /** One Adam step on the gradients backward() left, with the checked parameter's update worked by hand. */
    private void adamStep(ConvVae model, String name, Tensor parameter, Tensor x, Tensor noise, double lossBefore) {
        float p = parameter.data()[0];
        float g = parameter.grad().data()[0];
        double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        double m = (1 - beta1) * g;            // from m = 0
        double v = (1 - beta2) * g * g;        // from v = 0
        double mHat = m / (1 - beta1), vHat = v / (1 - beta2);
        double byHand = p - LEARNING_RATE * mHat / (Math.sqrt(vHat) + eps);
        new Adam(model.namedParameters(), LEARNING_RATE).step();
        out.printf(Locale.ROOT, "%n9. One Adam step (optim/Adam.java, lr %s, beta1 %s, beta2 %s, eps %.0e) on every parameter; for %s[0]:%n",
                LEARNING_RATE, beta1, beta2, eps, name);
        out.printf("   g = %s   m = (1 - beta1) g = %s   v = (1 - beta2) g^2 = %s%n", number(g), number(m), number(v));
        out.printf("   p - lr * (m / (1 - beta1)) / (sqrt(v / (1 - beta2)) + eps) = %s %s %s = %s by hand; Adam.step gave %s%n",
                number(p), byHand < p ? "-" : "+", number(Math.abs(byHand - p)), number(byHand), number(parameter.data()[0]));
        out.printf("   at the first step the update is lr times the gradient's sign, whatever its size%n");
        double lossAfter;
        try (var scope = Autograd.noGrad()) {
            lossAfter = model.elbo(x, noise).loss().item();
        }
        out.printf("   loss on the same batch and noise: %s before, %s after the step%n", number(lossBefore), number(lossAfter));
    }

    /**
     * The parameter whose gradient is checked and whose update is shown: the last decoder layer's
     * bias. Its gradient is large beside the float32 rounding of the loss (a few units in the last
     * place of a sum over every pixel), and only tanh lies between it and the loss, so the central
     * difference meets no ReLU kink.
     */
    static String checkedParameter(VaeConfig config) {
        return "tconv" + (config.stridedLayers() + 1) + ".bias";
    }

    /** |a - b| relative to the larger magnitude (0 when both are 0). */
    static double relativeDifference(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    private void row(String what, Tensor t, String note) {
        out.println(String.format("   %-26s %-18s %s", what, t.shape(), note).stripTrailing());
        out.flush();
    }

    /** The first {@code count} values of a tensor, to 4 significant digits. */
    private static String values(Tensor t, int count) {
        float[] first = Arrays.copyOf(t.data(), Math.min(count, t.size()));
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < first.length; i++) text.append(i == 0 ? "" : ", ").append(number(first[i]));
        return text.append(t.size() > count ? ", ...]" : "]").toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
