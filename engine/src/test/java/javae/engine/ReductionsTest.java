package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReductionsTest {
    private static final Tensor M = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3); // [[1, 2, 3], [4, 5, 6]]

    @Test
    void knownValues() {
        assertEquals(Shape.of(), M.sum().shape());
        assertEquals(21f, M.sum().item());
        assertEquals(3.5f, M.mean().item());
        assertArrayEquals(new float[] {5, 7, 9}, M.sum(false, 0).data());
        assertEquals(Shape.of(3), M.sum(false, 0).shape());
        assertArrayEquals(new float[] {6, 15}, M.sum(true, -1).data());
        assertEquals(Shape.of(2, 1), M.sum(true, -1).shape());
        assertArrayEquals(new float[] {2, 5}, M.mean(false, 1).data());
        assertEquals(Shape.of(1, 1), M.mean(true, 0, 1).shape());
        assertEquals(3.5f, M.mean(true, 0, 1).item());
        assertEquals(21f, M.sum(false).item(), "no axes means all axes");
    }

    @Test
    void reducesSeveralInnerAndOuterAxes() {
        Rng rng = new Rng(51);
        Tensor t = Tensor.randn(rng, 2, 3, 4);
        Tensor s = t.sum(false, 0, 2); // [3]
        for (int j = 0; j < 3; j++) {
            double expected = 0;
            for (int i = 0; i < 2; i++) for (int k = 0; k < 4; k++) expected += t.get(i, j, k);
            assertEquals(expected, s.get(j), 1e-5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(52);
        Tensor t = Tensor.randn(rng, 2, 3, 5).requiresGrad(true);
        GradCheck.check("sum all", in -> in[0].sum(), t);
        GradCheck.check("mean all", in -> in[0].mean(), t);
        GradCheck.check("sum axis 1", in -> in[0].sum(false, 1), t);
        GradCheck.check("sum axes 0, 2 keepDims", in -> in[0].sum(true, 0, 2), t);
        GradCheck.check("mean axis -1 keepDims", in -> in[0].mean(true, -1), t);
        GradCheck.check("mean axes 0, 1", in -> in[0].mean(false, 0, 1), t);
        // A reduction feeding a nonlinear op, so each output's gradient differs.
        GradCheck.check("square of mean", in -> in[0].mean(false, 1).square(), t);
    }

    @Test
    void squaredDistanceIsTheSumOfSquaredDifferencesPerRowWithItsGradients() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {1, 0, 3, 0, 5, 9}, 2, 3);
        assertArrayEquals(new float[] {4, 16 + 9}, a.squaredDistance(b).data());
        assertEquals(Shape.of(2), a.squaredDistance(b).shape());

        Rng rng = new Rng(53);
        Tensor x = Tensor.randn(rng, 3, 2, 4).requiresGrad(true);
        Tensor y = Tensor.randn(rng, 3, 2, 4).requiresGrad(true);
        // through a nonlinear op, so each row's gradient differs; and with one side constant
        GradCheck.check("squaredDistance", in -> in[0].squaredDistance(in[1]).sqrt(), x, y);
        GradCheck.check("squaredDistance to a constant", in -> in[0].squaredDistance(y.detach()).square(), x);
        assertArrayEquals(x.sub(y).square().sum(false, 1, 2).data(), x.squaredDistance(y).data(), 1e-5f);

        String m = assertThrows(IllegalArgumentException.class, () -> a.squaredDistance(Tensor.zeros(3, 2))).getMessage();
        assertTrue(m.contains("squaredDistance") && m.contains("[2, 3]") && m.contains("[3, 2]"), m);
    }

    @Test
    void badAxesNameTheOpAndShape() {
        String m = assertThrows(IllegalArgumentException.class, () -> M.sum(false, 2)).getMessage();
        assertTrue(m.contains("sum") && m.contains("2") && m.contains("[2, 3]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> M.mean(true, -3)).getMessage();
        assertTrue(m.contains("mean") && m.contains("-3") && m.contains("[2, 3]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> M.sum(false, 1, -1)).getMessage();
        assertTrue(m.contains("sum") && m.contains("twice") && m.contains("[2, 3]"), m);
    }
}
