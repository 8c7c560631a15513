package javae.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javae.engine.kernels.Gemm;
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
 * The baseline for {@link GemmBenchmark}: the same calls with the Vector API switched off
 * ({@code -Djavae.vector=false}), so {@link Gemm#multiply} runs the scalar reference triple loop.
 * Only the smaller sizes: the reference takes seconds at 1024.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Djavae.vector=false"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ReferenceGemmBenchmark {
    @Param({"64", "128", "256"})
    public int size;

    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
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
}
