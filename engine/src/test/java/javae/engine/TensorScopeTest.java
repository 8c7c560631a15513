package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import javae.engine.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * {@link TensorScope}: results made inside are released when it closes, their arrays serve the next
 * scope's ops, and training in scopes gives the bits of training without. The images are [4, 8, 32, 32],
 * 32K floats, long enough for their arrays to be recycled.
 */
class TensorScopeTest {

    /** A small convolutional autoencoder's parameters: conv 8 -> 16 (k4 s2 p1) with ReLU, transposed conv back to 8. */
    private static Map<String, Tensor> parameters(long seed) {
        Rng rng = new Rng(seed);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("conv.weight", Tensor.randn(rng, 16, 8, 4, 4).mul(0.1f).detach().requiresGrad(true));
        p.put("conv.bias", Tensor.zeros(16).requiresGrad(true));
        p.put("tconv.weight", Tensor.randn(rng, 16, 8, 4, 4).mul(0.1f).detach().requiresGrad(true));
        p.put("tconv.bias", Tensor.zeros(8).requiresGrad(true));
        return p;
    }

    /** The reconstruction error of x through the autoencoder: every op kind whose result a scope recycles. */
    private static Tensor loss(Map<String, Tensor> p, Tensor x) {
        Tensor h = Ops.conv2dRelu(x, p.get("conv.weight"), p.get("conv.bias"), 2, 1);                  // [4, 16, 16, 16]
        Tensor y = Ops.convTranspose2d(h, p.get("tconv.weight"), p.get("tconv.bias"), 2, 1, 0).tanh(); // [4, 8, 32, 32]
        return y.squaredDistance(x).mean();
    }

    private static Tensor images(long seed) {
        return Tensor.uniform(new Rng(seed), -1f, 1f, 4, 8, 32, 32);
    }

    @Test
    void stepsInScopesGiveTheBitsOfStepsWithout() {
        Map<String, Tensor> plain = parameters(1), scoped = parameters(1);
        Adam plainAdam = new Adam(plain, 1e-2), scopedAdam = new Adam(scoped, 1e-2);
        for (int step = 0; step < 4; step++) {
            Tensor x = images(10 + step);
            Tensor plainLoss = loss(plain, x);
            plainAdam.zeroGrad();
            plainLoss.backward();
            plainAdam.step();
            float scopedValue;
            try (TensorScope scope = TensorScope.open()) {
                Tensor scopedLoss = loss(scoped, x);
                scopedAdam.zeroGrad();
                scopedLoss.backward();
                scopedAdam.step();
                scopedValue = scopedLoss.item();
            }
            assertEquals(Float.floatToIntBits(plainLoss.item()), Float.floatToIntBits(scopedValue), "loss at step " + step);
        }
        for (String name : plain.keySet()) assertArrayEquals(plain.get(name).data(), scoped.get(name).data(), name);
    }

    @Test
    void resultsAndTheirViewsAreReleasedWhenTheScopeCloses() {
        Tensor x = images(2);
        Tensor kept = x.mul(2f);
        Tensor result, view;
        try (TensorScope scope = TensorScope.open()) {
            result = x.mul(3f);
            view = result.reshape(4, -1);
            assertEquals(3f * x.get(0, 0, 0, 0), result.get(0, 0, 0, 0)); // readable while the scope is open
        }
        for (Tensor released : new Tensor[] {result, view}) {
            var e = assertThrows(IllegalStateException.class, released::data);
            assertTrue(e.getMessage().contains("TensorScope") && e.getMessage().contains(released.shape().toString()), e.getMessage());
            assertEquals(x.size(), released.size()); // the shape stays
        }
        assertEquals(2f * x.get(1, 2, 3, 4), kept.get(1, 2, 3, 4)); // made before the scope: untouched
        assertEquals(x.size(), x.data().length);                   // an input made with randn/uniform: untouched
    }

    @Test
    void theNextScopeGetsTheSameArraysBackAndWritesThemAnew() {
        Tensor a = images(3), b = images(4);
        float[] first;
        try (TensorScope scope = TensorScope.open()) {
            first = a.tanh().data();
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor again = b.tanh();
            assertSame(first, again.data(), "the closed scope's array serves the next result of its length");
            assertArrayEquals(b.tanh().data(), again.data()); // outside any scope: a new array, the same values
        }
        assertNotSame(first, b.tanh().data());
    }

    @Test
    void anInnerScopeReleasesOnlyWhatWasMadeInIt() {
        Tensor x = images(5);
        try (TensorScope outer = TensorScope.open()) {
            Tensor outerResult = x.exp();
            Tensor innerView, innerResult;
            try (TensorScope inner = TensorScope.open()) {
                innerResult = outerResult.mul(2f);
                innerView = outerResult.reshape(-1); // a view of the outer scope's array lives as long as it
            }
            assertThrows(IllegalStateException.class, innerResult::data);
            assertEquals(outerResult.get(0, 0, 0, 0), innerView.get(0));
        }
    }

    @Test
    void scopesCloseInnermostFirstOnTheirOwnThread() throws InterruptedException {
        TensorScope outer = TensorScope.open();
        TensorScope inner = TensorScope.open();
        assertThrows(IllegalStateException.class, outer::close);
        Throwable[] fromOtherThread = new Throwable[1];
        Thread other = new Thread(() -> fromOtherThread[0] = assertThrows(IllegalStateException.class, inner::close));
        other.start();
        other.join();
        assertTrue(fromOtherThread[0].getMessage().contains("thread"), fromOtherThread[0].getMessage());
        inner.close();
        outer.close();
        outer.close(); // a second close does nothing
    }

    @Test
    void backwardFromAReleasedLossThrows() {
        Map<String, Tensor> p = parameters(6);
        Tensor loss;
        try (TensorScope scope = TensorScope.open()) {
            loss = loss(p, images(7));
        }
        assertThrows(IllegalStateException.class, loss::backward);
    }
}
