package javae.vae.gmm;

import javae.engine.Rng;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class GmmExperimentTest {

    @Test
    void lossIsTheNegativeElboByHand() {
        // One point, latent 1: check reconstruction + KL against the formulas, with the posterior
        // variance driven to ~0 so the sampled z equals the mean.
        GmmVae vae = new GmmVae(2, new int[] {4}, 1, 0.25, new Rng(1));
        Tensor x = Tensor.of(new float[] {0.3f, -0.2f}, 1, 2);
        GmmVae.Posterior q = vae.encode(x);
        float mu = q.mean().item(), logVar = q.logVariance().item();
        Tensor z = Tensor.of(new float[] {mu + (float) Math.exp(0.5 * logVar) * (float) new Rng(5).nextGaussian()}, 1, 1);
        float[] m = vae.decode(z).data();
        double reconstruction = 0;
        for (int d = 0; d < 2; d++) {
            double r = x.data()[d] - m[d];
            reconstruction += 0.5 * (r * r / 0.25 + Math.log(0.25) + Math.log(2 * Math.PI));
        }
        double kl = 0.5 * (mu * mu + Math.exp(logVar) - 1 - logVar);
        assertEquals(reconstruction + 0.5 * kl, vae.loss(x, 0.5f, new Rng(5)).item(), 1e-4);
    }

    @Test
    void smallRunCoversBothModesAndWritesItsFiles(@TempDir Path out) throws Exception {
        GmmConfig config = GmmConfig.defaults().withComponents(3).withDim(2).withSamples(1000).withEvalSamples(300)
                .withHidden(32, 32).withLatent(2).withEpochs(15).withWarmupEpochs(2).withSeed(3);
        int[] epochs = new int[1];
        GmmMetrics metrics = GmmExperiment.run(config, out, e -> epochs[0] = e);
        assertEquals(15, epochs[0]);
        assertEquals(3, metrics.components());
        assertEquals(3, metrics.modesCovered());
        // A few epochs on a tiny mixture: far from the floor, but far closer than the spread of the data (~10).
        assertTrue(metrics.energyDistance() < 0.5, metrics.toJson());
        assertTrue(metrics.activeUnits() >= 1);
        assertEquals(3, metrics.tsneClusters(), metrics.toJson());
        String json = Files.readString(out.resolve("metrics.json"));
        for (String key : new String[] {"components", "modes_covered", "energy_distance", "energy_distance_floor", "energy_distance_draws",
                "mean_log_likelihood_generated", "mean_log_likelihood_real", "active_units", "tsne_clusters", "seconds"}) {
            assertTrue(json.contains("\"" + key + "\": "), key);
        }
        assertTrue(Files.size(out.resolve("gmm-real-vs-sampled.png")) > 1000);
        assertTrue(Files.size(out.resolve("gmm-latent-tsne.png")) > 1000);
    }

    @Test
    void badConfigurationIsOneClearLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GmmConfig.defaults().withComponents(0));
        assertTrue(e.getMessage().startsWith("gmm: components, dim, samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GmmConfig.defaults().withDecoderVariance(-1));
        assertEquals("gmm: decoder variance must be positive (or NaN: learned), got -1.0", e.getMessage());
    }
}
