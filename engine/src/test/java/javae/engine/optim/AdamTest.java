package javae.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.Rng;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** Sets the gradient of the quadratic 0.5 * sum(c * p^2): c * p. */
    private static void quadraticGradient(Tensor p, float c) {
        p.zeroGrad();
        float[] g = new float[p.size()];
        for (int i = 0; i < g.length; i++) g[i] = c * p.data()[i];
        p.accumulateGrad(g);
    }

    private static Map<String, Tensor> params(Tensor... tensors) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < tensors.length; i++) named.put("p" + i, tensors[i].requiresGrad(true));
        return named;
    }

    @Test
    void firstStepByHand() {
        // At step 1 the bias corrections undo the moments' decay: m_hat = g, v_hat = g^2,
        // so p1 = p0 - lr * g / (|g| + eps).
        Tensor p = Tensor.of(new float[] {1f, -2f, 0.5f}, 3);
        Adam adam = new Adam(params(p), 0.1);
        quadraticGradient(p, 3f); // g = {3, -6, 1.5}
        adam.step();
        double[] g = {3, -6, 1.5}, p0 = {1, -2, 0.5};
        for (int i = 0; i < 3; i++) assertEquals(p0[i] - 0.1 * g[i] / (Math.abs(g[i]) + 1e-8), p.data()[i], 1e-7);
    }

    @Test
    void secondStepByHand() {
        Tensor p = Tensor.of(new float[] {1f}, 1);
        Adam adam = new Adam(params(p), 0.01);
        double lr = 0.01, b1 = 0.9, b2 = 0.999, x = 1, m = 0, v = 0;
        for (int t = 1; t <= 2; t++) {
            quadraticGradient(p, 2f);
            adam.step();
            double g = 2 * x;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            x -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + 1e-8);
            assertEquals(x, p.data()[0], 1e-6, "step " + t);
        }
    }

    /** A scheduler's change of the learning rate: the next step takes the new rate, the moments carry on. */
    @Test
    void aNewLearningRateTakesEffectAtTheNextStep() {
        Tensor p = Tensor.of(new float[] {1f}, 1);
        Adam adam = new Adam(params(p), 0.01);
        double[] rates = {0.01, 0.002, 0.05};
        double b1 = 0.9, b2 = 0.999, x = 1, m = 0, v = 0;
        for (int t = 1; t <= 3; t++) {
            adam.setLearningRate(rates[t - 1]);
            assertEquals(rates[t - 1], adam.learningRate());
            quadraticGradient(p, 2f);
            adam.step();
            double g = 2 * x;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            x -= rates[t - 1] * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + 1e-8);
            assertEquals(x, p.data()[0], 1e-6, "step " + t);
        }
    }

    @Test
    void weightDecayIsAddedToTheGradient() {
        // g' = g + wd * p: with g = 0 the step still moves p towards zero by lr.
        Tensor p = Tensor.of(new float[] {2f, -3f}, 2);
        Adam adam = new Adam(params(p), 0.05, 0.9, 0.999, 1e-8, 0.5);
        p.accumulateGrad(new float[2]);
        adam.step();
        assertArrayEquals(new float[] {1.95f, -2.95f}, p.data(), 1e-6f);
    }

    @Test
    void convergesOnAQuadratic() {
        Tensor p = Tensor.randn(new Rng(31), 10);
        Adam adam = new Adam(params(p), 0.05);
        for (int step = 0; step < 400; step++) {
            quadraticGradient(p, 1f);
            adam.step();
        }
        for (float v : p.data()) assertEquals(0f, v, 1e-2f);
    }

    @Test
    void aLargeParameterUpdatedInParallelChunksMatchesSmallOnes() {
        // 100,003 elements go through Parallel.forEachChunk; the same values as 1,000-element
        // parameters go through one serial loop: the same bits, over three steps.
        int size = 100_003, piece = 1_000;
        Tensor large = Tensor.randn(new Rng(33), size);
        Tensor[] pieces = new Tensor[(size + piece - 1) / piece];
        for (int k = 0; k < pieces.length; k++) {
            int from = k * piece, length = Math.min(piece, size - from);
            pieces[k] = Tensor.of(Arrays.copyOfRange(large.data(), from, from + length), length);
        }
        Adam onLarge = new Adam(params(large), 1e-2), onPieces = new Adam(params(pieces), 1e-2);
        for (int step = 0; step < 3; step++) {
            quadraticGradient(large, 0.7f);
            for (Tensor p : pieces) quadraticGradient(p, 0.7f);
            onLarge.step();
            onPieces.step();
        }
        for (int k = 0; k < pieces.length; k++) {
            float[] expected = pieces[k].data();
            float[] actual = Arrays.copyOfRange(large.data(), k * piece, k * piece + expected.length);
            assertArrayEquals(expected, actual, 0f, "elements " + k * piece + ".. of the large parameter");
        }
    }

    @Test
    void stateExposesStepAndMoments() {
        Tensor p = Tensor.of(new float[] {1f, -1f}, 2);
        Adam adam = new Adam(params(p), 0.1);
        assertTrue(adam.stateDict().isEmpty(), "no state before the first step");
        quadraticGradient(p, 1f);
        adam.step();
        Map<String, Tensor> state = adam.stateDict();
        assertEquals(List.of("p0.step", "p0.exp_avg", "p0.exp_avg_sq"), List.copyOf(state.keySet()));
        assertEquals(1f, state.get("p0.step").item());
        assertArrayEquals(new float[] {0.1f, -0.1f}, state.get("p0.exp_avg").data(), 1e-7f);
        assertArrayEquals(new float[] {0.001f, 0.001f}, state.get("p0.exp_avg_sq").data(), 1e-9f);
    }

    @Test
    void restoredStateContinuesBitForBit() {
        Tensor a = Tensor.randn(new Rng(32), 5);
        Tensor b = Tensor.of(a.data(), 5);
        Adam first = new Adam(params(a), 0.01);
        for (int step = 0; step < 3; step++) {
            quadraticGradient(a, 1.5f);
            first.step();
        }
        // "Checkpoint": copy the weights and the optimizer state into a fresh pair.
        System.arraycopy(a.data(), 0, b.data(), 0, 5);
        Adam resumed = new Adam(params(b), 0.01);
        resumed.loadStateDict(first.stateDict());
        for (int step = 0; step < 4; step++) {
            quadraticGradient(a, 1.5f);
            first.step();
            quadraticGradient(b, 1.5f);
            resumed.step();
        }
        assertArrayEquals(a.data(), b.data());
        assertEquals(7f, resumed.stateDict().get("p0.step").item());
    }

    @Test
    void loadStateDictRefusesIncompleteOrMisshapenState() {
        Tensor p = Tensor.zeros(3);
        Adam adam = new Adam(params(p), 0.1);
        Map<String, Tensor> partial = Map.of("p0.step", Tensor.scalar(1f), "p0.exp_avg", Tensor.zeros(3));
        var e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(partial));
        assertTrue(e.getMessage().contains("p0") && e.getMessage().contains("exp_avg_sq"), e.getMessage());
        Map<String, Tensor> misshapen = Map.of("p0.step", Tensor.scalar(1f), "p0.exp_avg", Tensor.zeros(4), "p0.exp_avg_sq", Tensor.zeros(3));
        e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(misshapen));
        assertTrue(e.getMessage().contains("p0.exp_avg has shape [4], expected [3]"), e.getMessage());
        Map<String, Tensor> unexpected = Map.of("p9.step", Tensor.scalar(1f));
        e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(unexpected));
        assertTrue(e.getMessage().contains("unexpected keys [p9.step]"), e.getMessage());
        assertTrue(adam.stateDict().isEmpty(), "failed loads leave the state as it was");
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor used = Tensor.of(new float[] {1f}, 1);
        Tensor unused = Tensor.of(new float[] {5f}, 1);
        Adam adam = new Adam(params(used, unused), 0.1);
        quadraticGradient(used, 1f);
        adam.step();
        assertEquals(5f, unused.data()[0]);
        assertNull(adam.stateDict().get("p1.step"));
        assertEquals(0.9f, used.data()[0], 1e-6f);
    }

    @Test
    void refusesBadArguments() {
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("p", Tensor.zeros(1)), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("p", p), -1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("p", p), 0.1, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of("p", p), Double.NaN));
        Adam adam = new Adam(Map.of("p", p), 0.1);
        assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(-1e-3));
        assertThrows(IllegalArgumentException.class, () -> adam.setLearningRate(Double.NaN));
        assertEquals(0.1, adam.learningRate(), "a refused rate leaves the old one");
    }
}
