package javae.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;

class SgdTest {

    private static void setGradient(Tensor p, float... g) {
        p.zeroGrad();
        p.accumulateGrad(g);
    }

    @Test
    void momentumStepsByHand() {
        Tensor p = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        Sgd sgd = new Sgd(Map.of("w", p), 0.1, 0.9, 0);
        // Step 1: buf = g = {1, -1}; p = {1, 2} - 0.1 * {1, -1} = {0.9, 2.1}.
        setGradient(p, 1f, -1f);
        sgd.step();
        assertArrayEquals(new float[] {0.9f, 2.1f}, p.data(), 1e-7f);
        // Step 2: buf = 0.9 * {1, -1} + {2, 0} = {2.9, -0.9}; p = {0.9, 2.1} - 0.1 * buf = {0.61, 2.19}.
        setGradient(p, 2f, 0f);
        sgd.step();
        assertArrayEquals(new float[] {0.61f, 2.19f}, p.data(), 1e-6f);
        assertEquals(List.of("w.momentum_buffer"), List.copyOf(sgd.stateDict().keySet()));
        assertArrayEquals(new float[] {2.9f, -0.9f}, sgd.stateDict().get("w.momentum_buffer").data(), 1e-6f);
    }

    @Test
    void plainStepWithWeightDecayAndNoState() {
        Tensor p = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Sgd sgd = new Sgd(Map.of("w", p), 0.5, 0, 0.1);
        // g' = g + 0.1 * p = 1 + 0.2 = 1.2; p = 2 - 0.5 * 1.2 = 1.4.
        setGradient(p, 1f);
        sgd.step();
        assertEquals(1.4f, p.data()[0], 1e-6f);
        assertTrue(sgd.stateDict().isEmpty(), "no momentum, no buffer");
    }

    @Test
    void restoredMomentumContinuesBitForBit() {
        Tensor a = Tensor.of(new float[] {1f, -1f}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {1f, -1f}, 2).requiresGrad(true);
        Sgd first = new Sgd(Map.of("w", a), 0.05, 0.8, 0.01);
        setGradient(a, 0.3f, 0.7f);
        first.step();
        System.arraycopy(a.data(), 0, b.data(), 0, 2);
        Sgd resumed = new Sgd(Map.of("w", b), 0.05, 0.8, 0.01);
        resumed.loadStateDict(first.stateDict());
        setGradient(a, -0.2f, 0.4f);
        first.step();
        setGradient(b, -0.2f, 0.4f);
        resumed.step();
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void refusesBadArguments() {
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Map.of("p", p), -0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Map.of("p", p), 0.1, -0.5, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> new Sgd(Map.of("p", p), 0.1, 0.9, 0).loadStateDict(Map.of("p.momentum_buffer", Tensor.zeros(2))));
        assertTrue(e.getMessage().contains("p.momentum_buffer has shape [2], expected [1]"), e.getMessage());
    }
}
