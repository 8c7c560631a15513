package javae.vae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.Rng;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;

/** The model's layers, shapes and ELBO. */
class ConvVaeTest {

    @Test
    void parametersAreNamedAndShapedAsThePyTorchModule() {
        ConvVae vae = new ConvVae(VaeConfig.faces(50, 0.1f), new Rng(1));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
                "conv4.weight", "conv4.bias", "conv5.weight", "conv5.bias", "fc_enc.weight", "fc_enc.bias",
                "fc_dec.weight", "fc_dec.bias", "tconv1.weight", "tconv1.bias", "tconv2.weight", "tconv2.bias",
                "tconv3.weight", "tconv3.bias", "tconv4.weight", "tconv4.bias", "tconv5.weight", "tconv5.bias"),
                List.copyOf(vae.namedParameters().keySet()));
        assertArrayEquals(new int[] {32, 3, 4, 4}, shape(vae, "conv1.weight"));
        assertArrayEquals(new int[] {256, 64, 4, 4}, shape(vae, "conv5.weight"));
        assertArrayEquals(new int[] {100, 256}, shape(vae, "fc_enc.weight"));
        assertArrayEquals(new int[] {256, 50}, shape(vae, "fc_dec.weight"));
        assertArrayEquals(new int[] {256, 64, 4, 4}, shape(vae, "tconv1.weight"));
        assertArrayEquals(new int[] {32, 3, 4, 4}, shape(vae, "tconv5.weight"));
    }

    @Test
    void fashionMnistDropsOneStridedLayer() {
        ConvVae vae = new ConvVae(VaeConfig.fashionMnist(8, 0.1f), new Rng(2));
        assertTrue(vae.namedParameters().containsKey("conv4.weight"));
        assertTrue(!vae.namedParameters().containsKey("conv5.weight"));
        assertArrayEquals(new int[] {32, 1, 4, 4}, shape(vae, "conv1.weight"));
        assertArrayEquals(new int[] {64, 32, 4, 4}, shape(vae, "conv2.weight"));
        assertArrayEquals(new int[] {256, 64, 4, 4}, shape(vae, "conv4.weight"));
        assertArrayEquals(new int[] {32, 1, 4, 4}, shape(vae, "tconv4.weight"));
    }

    @Test
    void encodeAndDecodeKeepTheImageShape() {
        ConvVae vae = new ConvVae(VaeConfig.fashionMnist(6, 0.1f), new Rng(3));
        Tensor x = Tensor.uniform(new Rng(4), -1, 1, 2, 1, 32, 32);
        ConvVae.Posterior q = vae.encode(x);
        assertArrayEquals(new int[] {2, 6}, q.mean().shape().toArray());
        for (float v : q.variance().data()) assertTrue(v > 0, "variance must be positive, got " + v);
        Tensor decoded = vae.decode(q.mean());
        assertArrayEquals(new int[] {2, 1, 32, 32}, decoded.shape().toArray());
        for (float v : decoded.data()) assertTrue(v >= -1 && v <= 1, "tanh output out of range: " + v);
    }

    @Test
    void elboOfTheAllZeroModelMatchesHandComputation() {
        // With every parameter zero the encoder gives mean 0 and variance softplus(0) = log 2 and the
        // decoder gives tanh(0) = 0 for every pixel. So, per image:
        //   reconstruction = sum_pixels -0.5 (log(2 pi var_x) + x^2 / var_x)
        //   kl = dimZ * 0.5 (log 2 - 1 - log(log 2))
        VaeConfig config = new VaeConfig(1, 8, 3, 0.1f);
        ConvVae vae = new ConvVae(config, new Rng(5));
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        vae.namedParameters().forEach((name, p) -> zeros.put(name, Tensor.zeros(p.shape())));
        vae.loadStateDict(zeros);
        Tensor x = Tensor.uniform(new Rng(6), -1, 1, 2, 1, 8, 8);
        ConvVae.Elbo elbo = vae.elbo(x, Tensor.randn(new Rng(7), 2, 3));

        double reconstruction = 0;
        for (float v : x.data()) reconstruction += -0.5 * (Math.log(2 * Math.PI * 0.1) + v * v / 0.1);
        reconstruction /= 2;
        double kl = 3 * 0.5 * (Math.log(2) - 1 - Math.log(Math.log(2)));
        assertEquals(reconstruction, elbo.reconstruction().item(), 1e-3);
        assertEquals(kl, elbo.kl().item(), 1e-5);
        assertEquals(kl - reconstruction, elbo.loss().item(), 1e-3);
    }

    @Test
    void aStateDictOfAnotherArchitectureIsRefusedNamingTheParameter() {
        ConvVae faces = new ConvVae(VaeConfig.faces(4, 0.1f), new Rng(8));
        ConvVae small = new ConvVae(VaeConfig.faces(8, 0.1f), new Rng(9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> faces.loadStateDict(small.stateDict()));
        assertTrue(e.getMessage().contains("fc_enc.weight"), e.getMessage());
    }

    private static int[] shape(ConvVae vae, String name) {
        return vae.namedParameters().get(name).shape().toArray();
    }
}
