package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationsTest {

    /** Uniform values at least 0.1 away from zero, so central differences never straddle a kink. */
    private static Tensor awayFromZero(Rng rng, int... shape) {
        Tensor t = Tensor.uniform(rng, -2f, 2f, shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) v[i] = Math.copySign(0.1f + Math.abs(v[i]), v[i]);
        return t.requiresGrad(true);
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.of(new float[] {-2f, 0f, 3f}, 3);
        assertArrayEquals(new float[] {0f, 0f, 3f}, x.relu().data());
        assertArrayEquals(new float[] {-0.2f, 0f, 3f}, x.leakyRelu(0.1f).data());
        assertEquals(0.5f, Tensor.scalar(0f).sigmoid().item());
        assertEquals(0f, Tensor.scalar(0f).tanh().item());
        assertEquals((float) Math.tanh(3), x.tanh().data()[2]);
        assertEquals((float) (1 / (1 + Math.exp(2))), x.sigmoid().data()[0], 1e-7f);
    }

    @Test
    void softplusOfZeroIsLn2WithSlopeOneHalf() {
        Tensor x = Tensor.scalar(0f).requiresGrad(true);
        Tensor y = x.softplus();
        assertEquals((float) Math.log(2), y.item());
        y.backward();
        assertEquals(0.5f, x.grad().item());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(21);
        Tensor kinked = awayFromZero(rng, 2, 1, 5);
        GradCheck.check("relu", in -> in[0].relu(), kinked);
        GradCheck.check("leakyRelu", in -> in[0].leakyRelu(0.2f), kinked);
        Tensor smooth = Tensor.uniform(rng, -4f, 4f, 1, 9).requiresGrad(true);
        GradCheck.check("sigmoid", in -> in[0].sigmoid(), smooth);
        GradCheck.check("tanh", in -> in[0].tanh(), smooth);
        GradCheck.check("softplus", in -> in[0].softplus(), smooth);
    }

    @Test
    void softplusMatchesTheDirectFormulaInTheMiddleRange() {
        // For |x| <= 15, log(1 + e^x) in double is accurate far below float precision.
        Rng rng = new Rng(22);
        Tensor x = Tensor.uniform(rng, -15f, 15f, 64).requiresGrad(true);
        Tensor y = x.softplus();
        y.backward(Tensor.ones(64));
        for (int i = 0; i < 64; i++) {
            double v = x.data()[i];
            assertEquals(Math.log(1 + Math.exp(v)), y.data()[i], 1e-6 * Math.max(1, Math.abs(v)), "softplus(" + v + ")");
            assertEquals(1 / (1 + Math.exp(-v)), x.grad().data()[i], 1e-6, "softplus'(" + v + ")");
        }
    }

    @Test
    void softplusIsFiniteAndRightAtExtremeInputs() {
        // Naively e^x overflows float beyond 88 and double beyond 709. Above 20, softplus(x) = x to
        // float precision and its slope is 1; below -104, e^x is under float's smallest value, so
        // softplus and its slope are 0 there. The slope is asserted directly rather than by GradCheck:
        // floats near 1e4 are about 1e-3 apart, so x +- 0.01 is not representable and the central
        // difference would be off by a few percent from rounding the step, not from the gradient.
        float[] inputs = {-1e4f, -400f, -350f, -300f, 300f, 350f, 400f, 1e4f};
        Tensor x = Tensor.of(inputs, inputs.length).requiresGrad(true);
        Tensor y = x.softplus();
        y.backward(Tensor.ones(inputs.length));
        for (int i = 0; i < inputs.length; i++) {
            float v = inputs[i];
            assertTrue(Float.isFinite(y.data()[i]) && Float.isFinite(x.grad().data()[i]), "softplus(" + v + ") not finite");
            assertEquals(Math.max(v, 0f), y.data()[i], "softplus(" + v + ")");
            assertEquals(v > 0 ? 1f : 0f, x.grad().data()[i], "softplus'(" + v + ")");
        }
        // Just inside float range the small side is tiny but not zero: softplus(-80) = e^-80.
        Tensor small = Tensor.scalar(-80f).softplus();
        assertEquals((float) Math.exp(-80), small.item(), 1e-6f * (float) Math.exp(-80));
    }

    @Test
    void sigmoidIsFiniteAtExtremeInputs() {
        Tensor x = Tensor.of(new float[] {-1e4f, 1e4f}, 2).requiresGrad(true);
        Tensor y = x.sigmoid();
        y.backward(Tensor.ones(2));
        assertArrayEquals(new float[] {0f, 1f}, y.data());
        assertArrayEquals(new float[] {0f, 0f}, x.grad().data());
    }
}
