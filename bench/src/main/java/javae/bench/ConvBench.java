package javae.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javae.engine.Rng;
import javae.engine.kernels.ConvKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every convolution and transposed convolution of the report's VAE at batch 64, through the
 * {@link ConvKernels} facade: forward alone (also with the ReLU the model fuses into it), the input
 * and the weight gradient alone, and forward plus backward (input, weight and bias gradients, as
 * PyTorch's {@code layer(x).backward(g)} computes them in {@code bench/peers/torch_vae.py}).
 *
 * <p>The fast path is the default; the scalar reference runs in the same benchmark with
 * {@code -jvmArgsAppend -Djavae.conv=reference} (give it fewer iterations: it is slow). Threads come
 * from {@code -Djavae.threads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBench {
    private static final int BATCH = 64;

    @Param({"conv1", "conv2", "conv3", "conv4", "conv5", "tconv1", "tconv2", "tconv3", "tconv4", "tconv5"})
    public String layer;

    /** The convolution that carries the layer, in conv terms: a transposed layer runs its conv backwards. */
    private boolean transposed;
    private int channels, height, width, outChannels, kernel, stride, padding, outH, outW;
    private float[] x, w, b, y, dy, dx, dw, db;

    @Setup(Level.Trial)
    public void setUp() {
        // name: transposed, in channels, out channels, kernel, stride, padding, input size (as in torch_vae.py)
        int[] spec = switch (layer) {
            case "conv1" -> new int[] {0, 3, 32, 4, 2, 1, 64};
            case "conv2" -> new int[] {0, 32, 32, 4, 2, 1, 32};
            case "conv3" -> new int[] {0, 32, 64, 4, 2, 1, 16};
            case "conv4" -> new int[] {0, 64, 64, 4, 2, 1, 8};
            case "conv5" -> new int[] {0, 64, 256, 4, 1, 0, 4};
            case "tconv1" -> new int[] {1, 256, 64, 4, 1, 0, 1};
            case "tconv2" -> new int[] {1, 64, 64, 4, 2, 1, 4};
            case "tconv3" -> new int[] {1, 64, 32, 4, 2, 1, 8};
            case "tconv4" -> new int[] {1, 32, 32, 4, 2, 1, 16};
            case "tconv5" -> new int[] {1, 32, 3, 4, 2, 1, 32};
            default -> throw new IllegalArgumentException("unknown layer " + layer);
        };
        transposed = spec[0] == 1;
        int in = spec[1], out = spec[2], size = spec[6];
        kernel = spec[3];
        stride = spec[4];
        padding = spec[5];
        int outSize = transposed ? (size - 1) * stride - 2 * padding + kernel : ConvKernels.outputSize(size, kernel, stride, padding);
        // The underlying convolution: for a transposed layer its input is the layer's output.
        channels = transposed ? out : in;
        outChannels = transposed ? in : out;
        height = width = transposed ? outSize : size;
        outH = outW = transposed ? size : outSize;
        Rng rng = new Rng(42);
        int convInput = BATCH * channels * height * width, convOutput = BATCH * outChannels * outH * outW;
        w = gaussian(rng, outChannels * channels * kernel * kernel);
        dw = new float[w.length];
        b = gaussian(rng, out);
        db = new float[out];
        x = gaussian(rng, transposed ? convOutput : convInput); // the layer's input
        y = new float[transposed ? convInput : convOutput];     // the layer's output
        dy = gaussian(rng, y.length);
        dx = new float[x.length];
    }

    /** The layer's forward: y = layer(x). */
    @Benchmark
    public float[] forward() {
        return layerForward(false);
    }

    /** The layer's forward with its ReLU, one op as the model runs conv1-conv5 and tconv1-tconv4: y = max(0, layer(x)). */
    @Benchmark
    public float[] forwardRelu() {
        return layerForward(true);
    }

    /** Writes y over its old values, as the ops do into a recycled array. */
    private float[] layerForward(boolean relu) {
        if (transposed) ConvKernels.backwardData(x, w, b, relu, y, false, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        else ConvKernels.forward(x, w, b, relu, y, false, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        return y;
    }

    /** The layer's forward and backward: y = layer(x), then dx, dw and db from dy. */
    @Benchmark
    public float[] forwardBackward() {
        forward();
        Arrays.fill(dw, 0f);
        Arrays.fill(db, 0f);
        // the three gradients at once, as the conv2d and convTranspose2d ops compute them (dx, a first contribution, written)
        if (transposed) {
            ConvKernels.forwardAndBackwardWeight(dy, w, dx, false, x, dw, db, null, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        } else {
            ConvKernels.backwardDataAndWeight(x, dy, w, dx, false, dw, db, null, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        }
        return dw;
    }

    /** The layer's input gradient alone: dx from dy (conv's backward-data, or a transposed layer's conv forward). */
    @Benchmark
    public float[] inputGradient() {
        if (transposed) ConvKernels.forward(dy, w, null, false, dx, false, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        else ConvKernels.backwardData(dy, w, null, false, dx, false, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        return dx;
    }

    /** The layer's weight gradient alone: dw from its input and dy. */
    @Benchmark
    public float[] weightGradient() {
        Arrays.fill(dw, 0f);
        if (transposed) ConvKernels.backwardWeight(dy, x, dw, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        else ConvKernels.backwardWeight(x, dy, dw, BATCH, channels, height, width, outChannels, kernel, kernel, stride, padding);
        return dw;
    }

    private static float[] gaussian(Rng rng, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = (float) rng.nextGaussian();
        return values;
    }
}
