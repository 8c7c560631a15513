package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AutogradTest {

    @Test
    void chainRuleByHand() {
        // f(a, b) = (a * b + a) at a = 2, b = 3: df/da = b + 1 = 4, df/db = a = 2.
        Tensor a = Tensor.scalar(2f).requiresGrad(true);
        Tensor b = Tensor.scalar(3f).requiresGrad(true);
        Tensor f = a.mul(b).add(a);
        assertEquals(8f, f.item());
        f.backward();
        assertEquals(4f, a.grad().item());
        assertEquals(2f, b.grad().item());
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor a = Tensor.scalar(5f).requiresGrad(true);
        a.mul(3f).backward();
        a.mul(3f).backward();
        assertEquals(6f, a.grad().item());
        a.zeroGrad();
        assertEquals(0f, a.grad().item());
    }

    @Test
    void reusedNodeReceivesBothContributions() {
        // y = x * x through one shared node: dy/dx = 2x.
        Tensor x = Tensor.of(new float[] {1.5f, -2f}, 2).requiresGrad(true);
        Tensor h = x.add(0f);
        h.mul(h).backward(Tensor.ones(2));
        assertArrayEquals(new float[] {3f, -4f}, x.grad().data());
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = Tensor.scalar(1f).requiresGrad(true);
        Tensor y;
        try (var scope = Autograd.noGrad()) {
            y = x.mul(2f);
            assertFalse(Autograd.isRecording());
        }
        assertTrue(Autograd.isRecording());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void recycledGradientArraysStartFromZero() {
        // Intermediates this long get their gradient arrays back from RecycledArrays; a second
        // and a third backward over new graphs must not see what the first left in them.
        Tensor x = Tensor.uniform(new Rng(9), -1f, 1f, 50_000).requiresGrad(true);
        for (int pass = 1; pass <= 3; pass++) {
            x.zeroGrad();
            float factor = pass;
            x.mul(2f).mul(factor).add(x.mul(3f)).sum().backward();
            float expected = 2f * factor + 3f;
            for (int i = 0; i < x.size(); i++) assertEquals(expected, x.grad().data()[i], 0f, "pass " + pass + ", element " + i);
        }
    }

    @Test
    void graphIsReleasedAfterBackward() {
        Tensor x = Tensor.scalar(1f).requiresGrad(true);
        Tensor h = x.mul(2f);
        Tensor y = h.add(1f);
        y.backward();
        assertNull(h.op(), "intermediate node keeps its inputs after backward");
        assertNull(h.grad(), "intermediate node keeps its gradient after backward");
        assertEquals(2f, x.grad().item());
    }

    @Test
    void broadcastingSumsGradientOverRepeatedElements() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor bias = Tensor.of(new float[] {10, 20, 30}, 3).requiresGrad(true);
        Tensor y = a.add(bias);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, y.data());
        y.backward(Tensor.ones(2, 3));
        assertArrayEquals(new float[] {2, 2, 2}, bias.grad().data());
    }

    @Test
    void mismatchedShapesNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void arithmeticGradientsMatchFiniteDifferences() {
        Rng rng = new Rng(7);
        Tensor a = Tensor.uniform(rng, 0.5f, 2f, 2, 1, 3).requiresGrad(true);
        Tensor b = Tensor.uniform(rng, 0.5f, 2f, 4, 1).requiresGrad(true);
        GradCheck.check("add", in -> in[0].add(in[1]), a, b);
        GradCheck.check("sub", in -> in[0].sub(in[1]), a, b);
        GradCheck.check("mul", in -> in[0].mul(in[1]), a, b);
        GradCheck.check("div", in -> in[0].div(in[1]), a, b);
        GradCheck.check("scalar", in -> in[0].mul(3f).add(1f).div(2f).sub(4f), a);
    }

    /** A one-element operand (a scalar variance, say) broadcasts without an index map; its gradient sums all elements. */
    @Test
    void singleElementOperandsBroadcastAndSumTheirGradient() {
        Rng rng = new Rng(8);
        Tensor a = Tensor.uniform(rng, 0.5f, 2f, 2, 3).requiresGrad(true);
        Tensor scalar = Tensor.uniform(rng, 0.5f, 2f).requiresGrad(true);   // shape []
        Tensor single = Tensor.uniform(rng, 0.5f, 2f, 1, 1).requiresGrad(true); // shape [1, 1]
        assertArrayEquals(new float[] {a.data()[0] / scalar.item(), a.data()[5] / scalar.item()},
                new float[] {a.div(scalar).data()[0], a.div(scalar).data()[5]});
        GradCheck.check("add scalar tensor", in -> in[0].add(in[1]), a, scalar);
        GradCheck.check("div by scalar tensor", in -> in[0].div(in[1]), a, scalar);
        GradCheck.check("scalar tensor minus", in -> in[1].sub(in[0]), a, single);
        GradCheck.check("mul by [1, 1]", in -> in[0].mul(in[1]), a, single);
    }
}
