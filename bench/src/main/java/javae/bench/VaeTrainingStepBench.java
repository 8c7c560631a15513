package javae.bench;

import java.util.concurrent.TimeUnit;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.TensorScope;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole training step of the report's VAE (64x64x3, dim_z 50, var_x 0.1): forward, -ELBO,
 * backward and Adam's update, on a batch of 64 fixed images with fixed noise, as
 * {@code bench/peers/torch_vae.py} times PyTorch's. Images per second = batch / step time.
 * Threads come from {@code -Djavae.threads}; {@code -Djavae.conv=reference} gives the scalar baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class VaeTrainingStepBench {
    @Param({"64"})
    public int batch;

    private ConvVae model;
    private Adam adam;
    private Tensor images, noise;

    @Setup(Level.Trial)
    public void setUp() {
        VaeConfig config = VaeConfig.faces(VaeConfig.DEFAULT_DIM_Z, VaeConfig.DEFAULT_VAR_X);
        model = new ConvVae(config, new Rng(1));
        adam = new Adam(model.namedParameters(), 1e-3);
        Rng rng = new Rng(2);
        images = Tensor.uniform(rng, -1f, 1f, batch, 3, 64, 64);
        noise = Tensor.randn(rng, batch, config.dimZ());
    }

    /** Returns the loss so the step cannot be optimised away. In a scope, as the trainer runs it. */
    @Benchmark
    public float trainingStep() {
        try (TensorScope step = TensorScope.open()) {
            ConvVae.Elbo elbo = model.elbo(images, noise);
            adam.zeroGrad();
            elbo.loss().backward();
            adam.step();
            return elbo.loss().item();
        }
    }
}
