package javae.bench;

import java.util.concurrent.TimeUnit;
import javae.engine.Rng;
import javae.engine.kernels.ElementwiseKernels;
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
 * The elementwise kernels of {@link ElementwiseKernels} on arrays the VAE uses: 64 x 32 x 32 x 32
 * (a first-layer activation, 2M floats) and 64 x 3 x 64 x 64 (the reconstruction). The Vector API
 * path is the default; the scalar reference is the same benchmark with
 * {@code -jvmArgsAppend -Djavae.vector=false}. The score is microseconds per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
    @Param({"relu", "reluBackward", "softplus", "softplusBackward", "sigmoid", "tanh", "exp", "log", "sum"})
    public String kernel;

    @Param({"786432", "2097152"})
    public int size;

    private float[] x, positive, g, out;

    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(7);
        x = new float[size];
        positive = new float[size];
        g = new float[size];
        out = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (3 * rng.nextGaussian());
            positive[i] = (float) Math.exp(x[i]);
            g[i] = (float) rng.nextGaussian();
        }
    }

    @Benchmark
    public Object run() {
        switch (kernel) {
            case "relu" -> ElementwiseKernels.relu(x, out);
            case "reluBackward" -> ElementwiseKernels.reluBackward(x, g, out);
            case "softplus" -> ElementwiseKernels.softplus(x, out);
            case "softplusBackward" -> ElementwiseKernels.softplusBackward(x, g, out);
            case "sigmoid" -> ElementwiseKernels.sigmoid(x, out);
            case "tanh" -> ElementwiseKernels.tanh(x, out);
            case "exp" -> ElementwiseKernels.exp(x, out);
            case "log" -> ElementwiseKernels.log(positive, out);
            case "sum" -> {
                return ElementwiseKernels.sum(x, 0, size);
            }
            default -> throw new IllegalArgumentException("unknown kernel " + kernel);
        }
        return out;
    }
}
