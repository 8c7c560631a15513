package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ElementwiseTest {

    @Test
    void knownValues() {
        Tensor x = Tensor.of(new float[] {1f, 4f, 0.25f}, 3);
        assertArrayEquals(new float[] {-1f, -4f, -0.25f}, x.neg().data());
        assertArrayEquals(new float[] {1f, 16f, 0.0625f}, x.square().data());
        assertArrayEquals(new float[] {1f, 2f, 0.5f}, x.sqrt().data());
        assertArrayEquals(new float[] {1f, 64f, 0.015625f}, x.pow(3f).data());
        assertArrayEquals(new float[] {1f, 0.5f, 2f}, x.pow(-0.5f).data());
        assertEquals(0f, x.log().data()[0]);
        assertEquals((float) Math.log(4), x.log().data()[1]);
        assertEquals(1f, Tensor.scalar(0f).exp().item());
        assertEquals((float) Math.E, Tensor.scalar(1f).exp().item());
    }

    @Test
    void gradientsByHand() {
        // d/dx of x^3 at 2 is 12; of sqrt at 4 is 1/4; of log at 4 is 1/4; of exp at 0 is 1.
        Tensor x = Tensor.scalar(2f).requiresGrad(true);
        x.pow(3f).backward();
        assertEquals(12f, x.grad().item(), 1e-5f);
        Tensor y = Tensor.scalar(4f).requiresGrad(true);
        y.sqrt().add(y.log()).backward();
        assertEquals(0.5f, y.grad().item(), 1e-6f);
        Tensor z = Tensor.scalar(0f).requiresGrad(true);
        z.exp().neg().backward();
        assertEquals(-1f, z.grad().item());
    }

    @Test
    void gradientsMatchFiniteDifferencesOnAnySign() {
        Rng rng = new Rng(11);
        Tensor a = Tensor.uniform(rng, -2f, 2f, 3, 1, 5).requiresGrad(true);
        GradCheck.check("neg", in -> in[0].neg(), a);
        GradCheck.check("exp", in -> in[0].exp(), a);
        GradCheck.check("square", in -> in[0].square(), a);
        GradCheck.check("pow 3", in -> in[0].pow(3f), a);
    }

    @Test
    void gradientsMatchFiniteDifferencesOnPositiveInputs() {
        // log, sqrt and fractional or negative powers are defined (and smooth) only above zero.
        Rng rng = new Rng(12);
        Tensor a = Tensor.uniform(rng, 0.5f, 2f, 1, 7).requiresGrad(true);
        GradCheck.check("log", in -> in[0].log(), a);
        GradCheck.check("sqrt", in -> in[0].sqrt(), a);
        GradCheck.check("pow 0.5", in -> in[0].pow(0.5f), a);
        GradCheck.check("pow -1.5", in -> in[0].pow(-1.5f), a);
    }

    @Test
    void powZeroIsConstantWithZeroGradientEvenAtZero() {
        Tensor x = Tensor.of(new float[] {0f, 3f}, 2).requiresGrad(true);
        Tensor y = x.pow(0f);
        assertArrayEquals(new float[] {1f, 1f}, y.data());
        y.backward(Tensor.ones(2));
        assertArrayEquals(new float[] {0f, 0f}, x.grad().data());
    }

    @Test
    void backwardAccumulatesIntoExistingGradient() {
        Tensor x = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);
        x.square().backward(Tensor.ones(2));
        x.square().backward(Tensor.ones(2));
        assertArrayEquals(new float[] {4f, -8f}, x.grad().data());
    }
}
