package javae.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javae.engine.Rng;
import javae.engine.Shape;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {

    @Test
    void fanInUsesDimensionOneAsPyTorchDoes() {
        assertEquals(7, Init.fanIn(Shape.of(3, 7)));             // Linear [out, in]
        assertEquals(3 * 25, Init.fanIn(Shape.of(8, 3, 5, 5)));  // Conv2d [out, in, k, k]
        assertEquals(6 * 9, Init.fanIn(Shape.of(4, 6, 3, 3)));   // ConvTranspose2d [in, out, k, k]: out * k * k
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Shape.of(5)));
    }

    @Test
    void boundsAreOneOverSqrtFanInAndReached() {
        Rng rng = new Rng(21);
        checkBound(new Linear(50, 20, rng), 50);
        checkBound(new Conv2d(3, 8, 5, 1, 0, rng), 75);
        // A fan-in from the wrong dimension (4 * 9 = 36) would give a bound of 1/6, above 1/sqrt(54).
        checkBound(new ConvTranspose2d(4, 6, 3, 2, 1, rng), 54);
    }

    private static void checkBound(Module layer, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        for (var p : layer.namedParameters().entrySet()) {
            float max = 0;
            for (float v : p.getValue().data()) max = Math.max(max, Math.abs(v));
            assertTrue(max <= bound, p.getKey() + ": max |value| " + max + " beyond bound " + bound);
            if (p.getKey().equals("weight")) assertTrue(max > 0.95 * bound, "weight: max |value| " + max + " far inside bound " + bound);
        }
    }

    @Test
    void weightsAreUniformWithTheRightMoments() {
        Linear layer = new Linear(100, 200, new Rng(22));
        float[] w = layer.weight().data();
        double mean = 0, square = 0;
        for (float v : w) {
            mean += v;
            square += (double) v * v;
        }
        mean /= w.length;
        square /= w.length;
        double bound = 0.1; // 1 / sqrt(100)
        // Uniform(-b, b): mean 0, variance b^2 / 3; with 20000 draws the standard errors are about 0.4% of b and 1% of the variance.
        assertEquals(0, mean, 0.02 * bound);
        assertEquals(bound * bound / 3, square, 0.05 * bound * bound / 3);
    }

    @Test
    void drawsWeightThenBiasFromTheGivenRng() {
        Linear layer = new Linear(6, 4, new Rng(23));
        Rng rng = new Rng(23);
        float bound = (float) (1 / Math.sqrt(6));
        assertArrayEquals(Tensor.uniform(rng, -bound, bound, 4, 6).data(), layer.weight().data());
        assertArrayEquals(Tensor.uniform(rng, -bound, bound, 4).data(), layer.bias().data());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOthers() {
        Conv2d a = new Conv2d(2, 3, 3, 1, 1, new Rng(24));
        Conv2d b = new Conv2d(2, 3, 3, 1, 1, new Rng(24));
        Conv2d c = new Conv2d(2, 3, 3, 1, 1, new Rng(25));
        assertArrayEquals(a.weight().data(), b.weight().data());
        assertArrayEquals(a.bias().data(), b.bias().data());
        assertFalse(Arrays.equals(a.weight().data(), c.weight().data()));
    }
}
