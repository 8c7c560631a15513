package javae.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javae.engine.kernels.Gemm;
import javae.engine.kernels.Parallel;
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
 * The GEMMs that the report's encoder convolutions become through im2col, at batch 64.
 *
 * <p>With the batch's patches as columns, a convolution with weights W [Cout, Cin*kh*kw] is
 * <pre>
 *   forward          Y  [Cout, B*Ho*Wo]      = W   * col                    M = Cout,       N = B*Ho*Wo,  K = Cin*kh*kw
 *   backward-data    dcol [Cin*kh*kw, B*Ho*Wo] = W^T * dY  (transA)        M = Cin*kh*kw,  N = B*Ho*Wo,  K = Cout
 *   backward-weight  dW [Cout, Cin*kh*kw]    = dY  * col^T (transB)         M = Cout,       N = Cin*kh*kw, K = B*Ho*Wo
 * </pre>
 * The decoder's transposed convolutions are the mirror image: a transposed convolution's forward
 * is its twin convolution's backward-data and the other way round, so these shapes cover them too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VaeGemmBenchmark {
    static final int BATCH = 64;

    /** The report's encoder: name, in, out channels, kernel, stride, padding, input size (square). */
    enum Layer {
        conv1(3, 32, 4, 2, 1, 64),
        conv2(32, 32, 4, 2, 1, 32),
        conv3(32, 64, 4, 2, 1, 16),
        conv4(64, 64, 4, 2, 1, 8),
        conv5(64, 256, 4, 1, 0, 4);

        final int in, out, kernel, stride, padding, size;

        Layer(int in, int out, int kernel, int stride, int padding, int size) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
            this.size = size;
        }

        int outputSize() {
            return (size + 2 * padding - kernel) / stride + 1;
        }

        /** {M, N, K, transA, transB} of one pass, as in the class comment. */
        int[] gemm(String pass) {
            int patch = in * kernel * kernel;
            int columns = BATCH * outputSize() * outputSize();
            switch (pass) {
                case "forward": return new int[] {out, columns, patch, 0, 0};
                case "backwardData": return new int[] {patch, columns, out, 1, 0};
                case "backwardWeight": return new int[] {out, patch, columns, 0, 1};
                default: throw new IllegalArgumentException("unknown pass " + pass);
            }
        }
    }

    @Param({"conv1", "conv2", "conv3", "conv4", "conv5"})
    public String layer;

    @Param({"forward", "backwardData", "backwardWeight"})
    public String pass;

    @Param({"1", "2"})
    public int threads;

    private int m, n, k;
    private boolean transA, transB;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        int[] shape = Layer.valueOf(layer).gemm(pass);
        m = shape[0];
        n = shape[1];
        k = shape[2];
        transA = shape[3] == 1;
        transB = shape[4] == 1;
        SplittableRandom random = new SplittableRandom(42);
        a = Matrices.random(random, m * k);
        b = Matrices.random(random, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] multiply() {
        Gemm.multiply(transA, transB, m, n, k, a, 0, b, 0, c, 0, false);
        return c;
    }

    static double flops(String layer, String pass) {
        int[] shape = Layer.valueOf(layer).gemm(pass);
        return 2.0 * shape[0] * shape[1] * shape[2];
    }
}
