package javae.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.optim.Adam;
import javae.vae.model.ConvVae;
import javae.vae.model.VaeConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Adam update of all the parameters of the report's VAE (24 tensors, 796,135 floats), with
 * fixed gradients, as a training step ends. Adam's loop is plain Java that the JIT compiler
 * vectorises (superword); its scalar baseline is the same benchmark with
 * {@code -jvmArgsAppend "--add-modules jdk.incubator.vector -XX:-UseSuperWord"} (a -jvmArgsAppend on
 * the command line replaces the benchmark's own). The score is microseconds per update.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AdamBench {
    private Adam adam;

    @Setup(Level.Trial)
    public void setUp() {
        ConvVae model = new ConvVae(VaeConfig.faces(VaeConfig.DEFAULT_DIM_Z, VaeConfig.DEFAULT_VAR_X), new Rng(1));
        Map<String, Tensor> parameters = model.namedParameters();
        Rng rng = new Rng(2);
        for (Tensor p : parameters.values()) p.accumulateGrad(Tensor.randn(rng, p.shape().toArray()).data());
        adam = new Adam(parameters, 1e-3);
    }

    /** Returns the optimizer, whose parameters the update changed, so the update cannot be optimised away. */
    @Benchmark
    public Adam step() {
        adam.step();
        return adam;
    }
}
