package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LinearAlgebraTest {

    private static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(rng, shape).requiresGrad(true);
    }

    @Test
    void matmul2x2ByHand() {
        // [[1, 2], [3, 4]] [[5, 6], [7, 8]] = [[1*5 + 2*7, 1*6 + 2*8], [3*5 + 4*7, 3*6 + 4*8]]
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8}, 2, 2).requiresGrad(true);
        Tensor c = a.matmul(b);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c.data());
        // With d(loss)/dc all ones: da = ones b^T holds b's row sums, db = a^T ones holds a's column sums.
        c.backward(Tensor.ones(2, 2));
        assertArrayEquals(new float[] {11, 15, 11, 15}, a.grad().data());
        assertArrayEquals(new float[] {4, 4, 6, 6}, b.grad().data());
    }

    @Test
    void linearByHand() {
        // x [1, 2] = [[1, 2]], w [3, 2] = [[1, 0], [1, 1], [0, 2]], b = [0.5, 0, -1]: y = [1.5, 3, 3].
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor w = Tensor.of(new float[] {1, 0, 1, 1, 0, 2}, 3, 2);
        Tensor y = Ops.linear(x, w, Tensor.of(new float[] {0.5f, 0f, -1f}, 3));
        assertEquals(Shape.of(1, 3), y.shape());
        assertArrayEquals(new float[] {1.5f, 3f, 3f}, y.data());
        assertArrayEquals(new float[] {1f, 3f, 4f}, Ops.linear(x, w, null).data());
    }

    @Test
    void batchedMatmulMultipliesEachPair() {
        Rng rng = new Rng(41);
        Tensor a = Tensor.randn(rng, 3, 2, 4);
        Tensor b = Tensor.randn(rng, 3, 4, 5);
        Tensor c = a.matmul(b);
        assertEquals(Shape.of(3, 2, 5), c.shape());
        for (int i = 0; i < 3; i++) {
            Tensor ci = a.slice(0, i, i + 1).reshape(2, 4).matmul(b.slice(0, i, i + 1).reshape(4, 5));
            assertArrayEquals(ci.data(), c.slice(0, i, i + 1).data(), 0f);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(42);
        GradCheck.check("matmul 3x4 by 4x5", in -> in[0].matmul(in[1]), randn(rng, 3, 4), randn(rng, 4, 5));
        GradCheck.check("matmul 1x1 by 1x3", in -> in[0].matmul(in[1]), randn(rng, 1, 1), randn(rng, 1, 3));
        GradCheck.check("batched matmul", in -> in[0].matmul(in[1]), randn(rng, 2, 3, 4), randn(rng, 2, 4, 1));
        GradCheck.check("batched matmul, batch 1", in -> in[0].matmul(in[1]), randn(rng, 1, 5, 3), randn(rng, 1, 3, 2));
        GradCheck.check("linear", in -> Ops.linear(in[0], in[1], in[2]), randn(rng, 3, 5), randn(rng, 4, 5), randn(rng, 4));
        GradCheck.check("linear batch 1, no bias", in -> Ops.linear(in[0], in[1], null), randn(rng, 1, 3), randn(rng, 1, 3));
    }

    private static void assertMessage(Executable call, String... fragments) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String f : fragments) assertTrue(message.contains(f), "message \"" + message + "\" lacks \"" + f + "\"");
    }

    @Test
    void badShapesNameTheOpAndShapes() {
        assertMessage(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 2)), "matmul", "[2, 3]", "[4, 2]");
        assertMessage(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(3)), "matmul", "[2, 3]", "[3]");
        assertMessage(() -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 2)), "matmul", "[2, 2, 3]", "[3, 3, 2]");
        assertMessage(() -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 2)), "matmul", "[2, 2, 3]", "[3, 2]");
        assertMessage(() -> Ops.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null), "linear", "[2, 3]", "[4, 5]");
        assertMessage(() -> Ops.linear(Tensor.zeros(3), Tensor.zeros(4, 3), null), "linear", "[3]", "[4, 3]");
        assertMessage(() -> Ops.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(3)), "linear", "[4]", "[3]");
    }
}
