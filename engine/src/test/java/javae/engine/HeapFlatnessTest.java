package javae.engine;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javae.engine.nn.Activations;
import javae.engine.nn.Conv2d;
import javae.engine.nn.ConvTranspose2d;
import javae.engine.nn.Linear;
import javae.engine.nn.Sequential;
import javae.engine.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * A long run keeps the heap flat: 10,000 Adam steps of a tiny convolutional autoencoder on 8x8
 * images, with the heap measured after a full collection every 1,000 steps. Whatever a step
 * allocates (the autodiff graph, activations, gradients, kernel buffers) must be garbage once the
 * step is over. A control run that keeps one small tensor per step shows the measurement would see
 * a leak of that size.
 */
class HeapFlatnessTest {
    private static final int STEPS = 10_000, EVERY = 1_000, BATCH = 4;
    /** Allowed growth of the heap after collection between step 1,000 and step 10,000. */
    private static final long BOUND_BYTES = 256L << 10;

    /** The model: 8x8 -> conv 4x4x4 -> 8 -> 4x4x4 -> transposed conv 8x8; every layer kind of the VAE. */
    private static Sequential autoencoder(Rng rng) {
        return new Sequential(
                new Conv2d(1, 4, 3, 2, 1, rng), new Activations.ReLU(), new Activations.Flatten(),
                new Linear(64, 8, rng), new Activations.Tanh(), new Linear(8, 64, rng), new Activations.ReLU(),
                new Activations.Unflatten(1, 4, 4, 4), new ConvTranspose2d(4, 1, 4, 2, 1, rng), new Activations.Tanh());
    }

    @Test
    void tenThousandStepsKeepTheHeapFlat() {
        long[] heap = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> train(STEPS, null));
        StringBuilder figures = new StringBuilder("heap after GC every " + EVERY + " steps (KB):");
        for (long h : heap) figures.append(' ').append(h >> 10);
        long growth = heap[heap.length - 1] - heap[0];
        figures.append("; growth from step ").append(EVERY).append(" to ").append(STEPS).append(": ").append(growth >> 10).append(" KB");
        System.out.println(figures);
        assertTrue(growth < BOUND_BYTES, figures.toString());
    }

    /** The control: keeping each step's output (256 floats) must show as growth beyond the bound. */
    @Test
    void theMeasurementSeesALeakOfOneOutputPerStep() {
        List<Tensor> kept = new ArrayList<>();
        long[] heap = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> train(5 * EVERY, kept));
        long growth = heap[heap.length - 1] - heap[0];
        System.out.println("control, keeping one output per step: growth over " + 4 * EVERY + " steps " + (growth >> 10) + " KB");
        assertTrue(growth > BOUND_BYTES, "a leak of about 1 KB per step went unseen: " + (growth >> 10) + " KB");
    }

    /** Trains for {@code steps} steps; returns the heap used after GC at every 1,000th step. Keeps outputs in {@code leak} if given. */
    private static long[] train(int steps, List<Tensor> leak) {
        Rng rng = new Rng(101);
        Sequential model = autoencoder(rng);
        Adam adam = new Adam(model.namedParameters(), 1e-3f);
        long[] heap = new long[steps / EVERY];
        for (int step = 1; step <= steps; step++) {
            Tensor x = Tensor.randn(rng, BATCH, 1, 8, 8).tanh().detach(); // images in (-1, 1)
            Tensor y = model.forward(x);
            Tensor loss = y.sub(x).square().mean();
            adam.zeroGrad();
            loss.backward();
            adam.step();
            if (leak != null) leak.add(y.detach());
            if (step % EVERY == 0) heap[step / EVERY - 1] = usedAfterCollection();
        }
        return heap;
    }

    private static long usedAfterCollection() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
