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
 * {@link Gemm#multiply} on square matrices, C = A * B with n x n operands: 2 n^3 FLOPs per call.
 * The vector width follows {@code javae.vector.bits}; compare widths with
 * {@code -jvmArgsAppend -Djavae.vector.bits=256}. {@link ReferenceGemmBenchmark} is the scalar baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {
    @Param({"64", "128", "256", "512", "1024"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        SplittableRandom random = new SplittableRandom(42);
        a = Matrices.random(random, size * size);
        b = Matrices.random(random, size * size);
        c = new float[size * size];
    }

    @Benchmark
    public float[] multiply() {
        Gemm.multiply(false, false, size, size, size, a, 0, b, 0, c, 0, false);
        return c;
    }

    static double flops(int size) {
        return 2.0 * size * size * size;
    }
}
