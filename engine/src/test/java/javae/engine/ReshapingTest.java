package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ReshapingTest {

    private static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(rng, shape).requiresGrad(true);
    }

    @Test
    void reshapeSharesStorageAndInfersOneDimension() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = x.reshape(3, -1);
        assertEquals(Shape.of(3, 2), y.shape());
        assertSame(x.data(), y.data());
        x.set(9f, 1, 2);
        assertEquals(9f, y.get(2, 1));
    }

    @Test
    void reshapePassesTheGradientThroughUnchanged() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor g = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 6);
        x.reshape(6).backward(g);
        assertArrayEquals(g.data(), x.grad().data());
    }

    @Test
    void flattenMergesTrailingAxes() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertEquals(Shape.of(2, 60), x.flatten(1).shape());
        assertEquals(Shape.of(120), x.flatten(0).shape());
        assertEquals(Shape.of(2, 3, 20), x.flatten(-2).shape());
        assertEquals(Shape.of(2, 3, 4, 5), x.flatten(3).shape());
    }

    @Test
    void sliceAndConcatByHand() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3); // [[1, 2, 3], [4, 5, 6]]
        assertArrayEquals(new float[] {2, 3, 5, 6}, m.slice(1, 1, 3).data());
        assertArrayEquals(new float[] {4, 5, 6}, m.slice(0, 1, 2).data());
        assertEquals(Shape.of(2, 0), m.slice(-1, 2, 2).shape());
        Tensor c = Tensor.concat(1, m, Tensor.of(new float[] {7, 8}, 2, 1));
        assertEquals(Shape.of(2, 4), c.shape());
        assertArrayEquals(new float[] {1, 2, 3, 7, 4, 5, 6, 8}, c.data());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3}, Tensor.concat(0, m, m.slice(0, 0, 1)).data());
    }

    @Test
    void splittingAndJoiningRoundTrips() {
        // A VAE head splits [N, 2L] into mean and log-variance and may join them back.
        Rng rng = new Rng(61);
        Tensor h = Tensor.randn(rng, 3, 8);
        Tensor joined = Tensor.concat(-1, h.slice(1, 0, 4), h.slice(1, 4, 8));
        assertArrayEquals(h.data(), joined.data());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(62);
        Tensor t = randn(rng, 2, 3, 5);
        // Squaring after the move makes each gradient depend on where the value went.
        GradCheck.check("reshape", in -> in[0].reshape(5, -1, 2).square(), t);
        GradCheck.check("flatten", in -> in[0].flatten(1).square(), t);
        GradCheck.check("slice axis 0", in -> in[0].slice(0, 1, 2).square(), t);
        GradCheck.check("slice axis 1", in -> in[0].slice(1, 1, 3).square(), t);
        GradCheck.check("slice axis -1", in -> in[0].slice(-1, 0, 3).square(), t);
        Tensor a = randn(rng, 2, 1, 5);
        Tensor constant = Tensor.randn(rng, 2, 2, 5); // requires no gradient: concat must skip it
        GradCheck.check("concat axis 1", in -> Tensor.concat(1, in[0], in[1], in[2]).square(), t, a, constant);
        GradCheck.check("concat axis 0", in -> Tensor.concat(0, in[0], in[1]).square(), randn(rng, 1, 3), randn(rng, 2, 3));
    }

    private static void assertMessage(Executable call, String... fragments) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String f : fragments) assertTrue(message.contains(f), "message \"" + message + "\" lacks \"" + f + "\"");
    }

    @Test
    void badInputNamesTheOpAndShapes() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage(() -> x.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        assertMessage(() -> x.reshape(4, -1), "reshape", "[2, 3]", "[4, -1]");
        assertMessage(() -> x.reshape(-1, -1), "reshape", "[2, 3]", "[-1, -1]");
        assertMessage(() -> x.reshape(-2, -3), "reshape", "[2, 3]", "[-2, -3]");
        assertMessage(() -> x.flatten(2), "flatten", "axis 2", "[2, 3]");
        assertMessage(() -> x.slice(1, 2, 4), "slice", "[2, 4)", "[2, 3]");
        assertMessage(() -> x.slice(1, 2, 1), "slice", "[2, 1)", "[2, 3]");
        assertMessage(() -> x.slice(5, 0, 1), "slice", "axis 5", "[2, 3]");
        assertMessage(() -> Tensor.concat(0, x, Tensor.zeros(2, 4)), "concat", "[2, 3]", "[2, 4]");
        assertMessage(() -> Tensor.concat(0, x, Tensor.zeros(6)), "concat", "[2, 3]", "[6]");
        assertMessage(() -> Tensor.concat(2, x, x), "concat", "axis 2", "[2, 3]");
        assertMessage(() -> Tensor.concat(0), "concat");
    }
}
