package javae.bench;

import java.util.concurrent.TimeUnit;
import javae.engine.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The machine's ceiling: independent chains of fused multiply-adds that never touch memory, on
 * 512-bit and on 256-bit vectors, on 1 or 2 threads. Twelve chains hide the FMA latency (4 cycles on
 * two pipes needs at least 8 in flight). Every other result is printed as a share of this one
 * (see {@link Summary}). FLOPs per call: threads x 2 x CHAINS x lanes x STEPS.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PeakFmaBenchmark {
    static final int CHAINS = 12;
    /** About 2 ms a call: long enough that waking the pool's second thread (tens of microseconds) does not count. */
    static final int STEPS = 1_000_000;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

    @Param({"1", "2"})
    public int threads;

    /** Per-thread results, so the chains' values are consumed and no thread's work is dead code. */
    private final float[] sums = new float[2];

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
    }

    @Benchmark
    public float fma512() {
        Parallel.forEach(threads, t -> sums[t] = chains512(0.999f + t * 1e-4f));
        return sums[0] + sums[threads - 1];
    }

    @Benchmark
    public float fma256() {
        Parallel.forEach(threads, t -> sums[t] = chains256(0.999f + t * 1e-4f));
        return sums[0] + sums[threads - 1];
    }

    /** FLOPs of one call of the named method: a multiply and an add per lane per FMA. */
    static double flops(String method, int threads) {
        int lanes = method.equals("fma512") ? S512.length() : S256.length();
        return threads * 2.0 * CHAINS * lanes * STEPS;
    }

    private static float chains512(float scale) {
        FloatVector x = FloatVector.broadcast(S512, scale), y = FloatVector.broadcast(S512, 1e-3f);
        FloatVector a0 = FloatVector.broadcast(S512, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static float chains256(float scale) {
        FloatVector x = FloatVector.broadcast(S256, scale), y = FloatVector.broadcast(S256, 1e-3f);
        FloatVector a0 = FloatVector.broadcast(S256, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
