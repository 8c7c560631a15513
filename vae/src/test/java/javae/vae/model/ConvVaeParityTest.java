package javae.vae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.io.Npy;
import javae.engine.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * javae's ConvVae against the same model in PyTorch (src-test-data/generate/vae_parity.py): from
 * the same initial weights, batches and reparameterisation noise, 20 Adam steps give the same
 * loss, reconstruction term and KL within 1e-4 relative.
 */
class ConvVaeParityTest {
    private static final long SEED = 2024;
    private static final int DIM_Z = 8, STEPS = 20, BATCH = 4;
    private static final double TOLERANCE = 1e-4;

    private static Path golden(String name) {
        return Path.of(System.getProperty("javae.testdata", "src-test-data"), "vae_parity", name);
    }

    @Test
    void twentyAdamStepsMatchPyTorch() throws IOException {
        ConvVae vae = new ConvVae(VaeConfig.faces(DIM_Z, 0.1f), new Rng(SEED));

        // The initial weights are the same draws from Rng(SEED) on both sides; the sums confirm it.
        float[] initSums = Npy.read(golden("init_sums.npy")).data();
        List<Tensor> parameters = vae.parameters();
        assertEquals(initSums.length, parameters.size(), "parameter count");
        for (int i = 0; i < parameters.size(); i++) {
            double sum = 0;
            for (float v : parameters.get(i).data()) sum += v;
            assertEquals(initSums[i], sum, 1e-4 * Math.max(1, Math.abs(sum)), "initial sum of parameter " + i);
        }

        Tensor batches = Npy.read(golden("batches.npy"));   // uint8 [4, 4, 3, 64, 64]
        Tensor noise = Npy.read(golden("noise.npy"));       // [20, 4, DIM_Z]
        Tensor expected = Npy.read(golden("losses.npy"));   // [20, 3]: loss, reconstruction, kl
        int imageValues = BATCH * 3 * 64 * 64, distinct = batches.dim(0);

        Adam adam = new Adam(vae.namedParameters(), 1e-3);
        double worst = 0;
        String worstAt = "";
        for (int step = 0; step < STEPS; step++) {
            int b = step % distinct;
            float[] x = new float[imageValues];
            for (int i = 0; i < imageValues; i++) x[i] = batches.data()[b * imageValues + i] / 127.5f - 1f;
            float[] eps = Arrays.copyOfRange(noise.data(), step * BATCH * DIM_Z, (step + 1) * BATCH * DIM_Z);
            ConvVae.Elbo elbo = vae.elbo(Tensor.wrap(x, BATCH, 3, 64, 64), Tensor.wrap(eps, BATCH, DIM_Z));
            double[] ours = {elbo.loss().item(), elbo.reconstruction().item(), elbo.kl().item()};
            for (int term = 0; term < 3; term++) {
                double theirs = expected.data()[step * 3 + term];
                double relative = Math.abs(ours[term] - theirs) / Math.abs(theirs);
                if (relative > worst) {
                    worst = relative;
                    worstAt = "step " + step + " term " + term + ": javae " + ours[term] + ", PyTorch " + theirs;
                }
            }
            adam.zeroGrad();
            elbo.loss().backward();
            adam.step();
        }
        assertTrue(worst <= TOLERANCE, "largest relative difference " + worst + " at " + worstAt);
        // The run must have learned something, or matching would prove little.
        assertTrue(expected.data()[(STEPS - 1) * 3] < expected.data()[0], "PyTorch's loss should fall over 20 steps");
    }
}
