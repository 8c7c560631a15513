package javae.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ConvolutionTest {

    private static Tensor randn(Rng rng, int... shape) {
        return Tensor.randn(rng, shape).requiresGrad(true);
    }

    @Test
    void conv2dOf3x4ImageWith2x2KernelByHand() {
        // x = 1..12 in a 3x4 image, w = [[1, 2], [3, 4]], b = 0.5: each of the 2x3 outputs is
        // x[i][j] + 2 x[i][j+1] + 3 x[i+1][j] + 4 x[i+1][j+1] + 0.5, e.g. 1 + 4 + 15 + 24 + 0.5 = 44.5.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1, 1, 3, 4);
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor y = Ops.conv2d(x, w, Tensor.of(new float[] {0.5f}, 1), 1, 0);
        assertEquals(Shape.of(1, 1, 2, 3), y.shape());
        assertArrayEquals(new float[] {44.5f, 54.5f, 64.5f, 84.5f, 94.5f, 104.5f}, y.data());
    }

    @Test
    void conv2dWithStrideAndPaddingByHand() {
        // A 3x3 image of ones, 3x3 kernel of ones, padding 1, stride 2: the four outputs see the
        // corners of the padded image, each covering a 2x2 block of ones.
        Tensor y = Ops.conv2d(Tensor.ones(1, 1, 3, 3), Tensor.ones(1, 1, 3, 3), null, 2, 1);
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new float[] {4, 4, 4, 4}, y.data());
    }

    @Test
    void convTranspose2dByHand() {
        // Every input pixel stamps the kernel, scaled by its value, at stride steps; overlaps add.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = Tensor.of(new float[] {1, 10, 100, 1000}, 1, 1, 2, 2);
        Tensor apart = Ops.convTranspose2d(x, w, null, 2, 0, 0);
        assertArrayEquals(new float[] {
            1, 10, 2, 20,
            100, 1000, 200, 2000,
            3, 30, 4, 40,
            300, 3000, 400, 4000}, apart.data());
        Tensor overlapping = Ops.convTranspose2d(x, w, Tensor.of(new float[] {0.5f}, 1), 1, 0, 0);
        assertArrayEquals(new float[] {
            1.5f, 12.5f, 20.5f,
            103.5f, 1234.5f, 2040.5f,
            300.5f, 3400.5f, 4000.5f}, overlapping.data());
        // Padding 1 crops one pixel from each border of the stride-2 result; output padding adds a row and column.
        Tensor cropped = Ops.convTranspose2d(x, w, null, 2, 1, 1);
        assertEquals(Shape.of(1, 1, 3, 3), cropped.shape());
        assertArrayEquals(new float[] {1000, 200, 2000, 30, 4, 40, 3000, 400, 4000}, cropped.data());
    }

    @Test
    void anInputUsedTwiceGetsTheSumOfBothGradientsInARecycledArray() {
        // h feeds a convolution and a transposed convolution. The first of their backwards to reach h
        // writes h's gradient over an array recycled from an earlier backward, without zeroing it;
        // the second adds into it. Together they must give the sum of the two gradients alone.
        Rng rng = new Rng(21);
        Tensor w = randn(rng, 16, 8, 4, 4), wT = randn(rng, 8, 4, 4, 4);
        float[] values = Tensor.randn(rng, 4, 8, 32, 32).data(); // 32K floats: gradient arrays this long are recycled
        Tensor viaConv = Tensor.of(values, 4, 8, 32, 32).requiresGrad(true);
        Ops.conv2d(viaConv, w, null, 2, 1).sum().backward();
        Tensor viaTransposed = Tensor.of(values, 4, 8, 32, 32).requiresGrad(true);
        Ops.convTranspose2d(viaTransposed, wT, null, 2, 1, 0).sum().backward();

        Tensor x = Tensor.of(values, 4, 8, 32, 32).requiresGrad(true);
        x.mul(2f).mul(3f).sum().backward(); // leaves arrays of h's length, holding 3s, to be recycled
        x.zeroGrad();
        Tensor h = x.mul(1f);
        Ops.conv2d(h, w, null, 2, 1).sum().add(Ops.convTranspose2d(h, wT, null, 2, 1, 0).sum()).backward();
        float[] expected = viaConv.grad().data().clone();
        for (int i = 0; i < expected.length; i++) expected[i] += viaTransposed.grad().data()[i];
        // the same bits on the im2col path; the scalar reference adds term by term into the gradient,
        // so there the second sum is rounded into the first (values here are about 10, the 3s left
        // behind in the recycled array would be far outside the tolerance)
        assertArrayEquals(expected, x.grad().data(), 1e-4f);
    }

    /** convTranspose2d by its definition, written independently of the kernels: scatter each input through the kernel. */
    private static float[] convTransposeByDefinition(Tensor x, Tensor w, int stride, int padding, int outH, int outW) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3), o = w.dim(1), kh = w.dim(2), kw = w.dim(3);
        float[] out = new float[n * o * outH * outW];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < wd; ix++)
                        for (int co = 0; co < o; co++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++) {
                                    int y = iy * stride - padding + ky, xx = ix * stride - padding + kx;
                                    if (y < 0 || y >= outH || xx < 0 || xx >= outW) continue;
                                    out[((b * o + co) * outH + y) * outW + xx] += x.get(b, ci, iy, ix) * w.get(ci, co, ky, kx);
                                }
        return out;
    }

    @Test
    void convTranspose2dMatchesItsDefinition() {
        Rng rng = new Rng(31);
        int[][] configs = { // N, C, H, W, O, k, stride, padding, outputPadding
            {1, 1, 3, 4, 1, 3, 1, 0, 0}, {2, 3, 3, 2, 2, 3, 2, 1, 1}, {1, 2, 4, 3, 3, 4, 3, 2, 2}, {2, 1, 2, 5, 2, 5, 2, 2, 0}};
        for (int[] c : configs) {
            Tensor x = Tensor.randn(rng, c[0], c[1], c[2], c[3]);
            Tensor w = Tensor.randn(rng, c[1], c[4], c[5], c[5]);
            Tensor y = Ops.convTranspose2d(x, w, null, c[6], c[7], c[8]);
            float[] expected = convTransposeByDefinition(x, w, c[6], c[7], y.dim(2), y.dim(3));
            assertEquals((c[2] - 1) * c[6] - 2 * c[7] + c[5] + c[8], y.dim(2));
            assertArrayEquals(expected, y.data(), 1e-4f, Arrays.toString(c));
        }
    }

    @Test
    void convTranspose2dIsTheAdjointOfConv2d() {
        // <conv(u, w), v> = <u, convT(v, w)> for every u, v: the two ops are one linear map and its transpose.
        Rng rng = new Rng(32);
        Tensor w = Tensor.randn(rng, 3, 2, 3, 3); // conv: 2 -> 3 channels; convT: 3 -> 2
        Tensor u = Tensor.randn(rng, 2, 2, 7, 5);
        Tensor convU = Ops.conv2d(u, w, null, 2, 1);
        Tensor v = Tensor.randn(rng, convU.shape().toArray());
        Tensor convTv = Ops.convTranspose2d(v, w, null, 2, 1, 0);
        assertEquals(u.shape(), convTv.shape()); // 7 + 2 - 3 and 5 + 2 - 3 are even: output padding 0 recovers 7x5
        assertEquals(dot(convU, v), dot(u, convTv), 1e-3);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += (double) a.data()[i] * b.data()[i];
        return s;
    }

    @Test
    void conv2dGradientsOnEveryStridePaddingAndKernel() {
        Rng rng = new Rng(33);
        int config = 0;
        for (int stride = 1; stride <= 3; stride++) {
            for (int padding = 0; padding <= 2; padding++) {
                for (int kernel = 1; kernel <= 5; kernel++) {
                    int batch = 1 + config % 2, channels = 1 + config % 3, outChannels = 1 + (config + 1) % 2;
                    config++;
                    Tensor x = randn(rng, batch, channels, 5, 6); // odd height, non-square
                    Tensor w = randn(rng, outChannels, channels, kernel, kernel);
                    Tensor b = randn(rng, outChannels);
                    int s = stride, p = padding;
                    GradCheck.check("conv2d stride " + s + " padding " + p + " kernel " + kernel + " x " + x.shape(),
                            in -> Ops.conv2d(in[0], in[1], in[2], s, p), x, w, b);
                }
            }
        }
    }

    @Test
    void convTranspose2dGradientsOnEveryStridePaddingKernelAndOutputPadding() {
        Rng rng = new Rng(34);
        int config = 0, checked = 0;
        for (int stride = 1; stride <= 3; stride++) {
            for (int padding = 0; padding <= 2; padding++) {
                for (int kernel = 1; kernel <= 5; kernel++) {
                    for (int outputPadding = 0; outputPadding <= Math.min(1, stride - 1); outputPadding++) {
                        int batch = 1 + config % 2, channels = 1 + config % 3, outChannels = 1 + (config + 1) % 2;
                        config++;
                        int height = 3, width = 2; // odd, non-square
                        if ((Math.min(height, width) - 1) * stride - 2 * padding + kernel + outputPadding < 1) continue; // empty output
                        Tensor x = randn(rng, batch, channels, height, width);
                        Tensor w = randn(rng, channels, outChannels, kernel, kernel);
                        Tensor b = randn(rng, outChannels);
                        int s = stride, p = padding, op = outputPadding;
                        checked++;
                        GradCheck.check("convTranspose2d stride " + s + " padding " + p + " kernel " + kernel + " output padding " + op,
                                in -> Ops.convTranspose2d(in[0], in[1], in[2], s, p, op), x, w, b);
                    }
                }
            }
        }
        // 75 combinations, of which 8 (large padding, small kernel) would have an empty output.
        assertEquals(67, checked);
    }

    @Test
    void nonSquareKernelsGradients() {
        Rng rng = new Rng(36);
        GradCheck.check("conv2d kernel 3x2", in -> Ops.conv2d(in[0], in[1], in[2], 2, 1),
                randn(rng, 1, 2, 5, 4), randn(rng, 2, 2, 3, 2), randn(rng, 2));
        GradCheck.check("convTranspose2d kernel 2x3", in -> Ops.convTranspose2d(in[0], in[1], in[2], 2, 1, 1),
                randn(rng, 2, 1, 3, 2), randn(rng, 1, 2, 2, 3), randn(rng, 2));
    }

    @Test
    void gradientsWithoutBiasAndThroughAChain() {
        // conv then convT, no biases: gradients still reach both weights and the input.
        Rng rng = new Rng(35);
        Tensor x = randn(rng, 1, 1, 6, 5);
        Tensor w1 = randn(rng, 2, 1, 3, 3);
        Tensor w2 = randn(rng, 2, 1, 3, 3);
        GradCheck.check("conv2d then convTranspose2d",
                in -> Ops.convTranspose2d(Ops.conv2d(in[0], in[1], null, 2, 1), in[2], null, 2, 1, 1), x, w1, w2);
    }

    @Test
    void fusedReluGivesTheBitsOfTheLayerThenRelu() {
        // {batch, in channels, size, out channels, kernel, stride, padding}: the VAE's stride-2 layers,
        // a kernel that covers the whole input (conv5, tconv1), enough images for several groups, stride 3.
        int[][] shapes = {{3, 2, 8, 4, 4, 2, 1}, {20, 3, 6, 5, 3, 1, 1}, {5, 4, 4, 6, 4, 1, 0}, {2, 1, 7, 2, 3, 3, 2}};
        Rng rng = new Rng(37);
        for (int[] shape : shapes) {
            int batch = shape[0], in = shape[1], size = shape[2], out = shape[3], k = shape[4], s = shape[5], p = shape[6];
            for (boolean transposed : new boolean[] {false, true}) {
                for (boolean withBias : new boolean[] {true, false}) {
                    for (int needs = 0; needs < 3; needs++) { // both gradients; no input gradient (an encoder's first layer); a frozen weight
                        boolean inputGradient = needs != 1, weightGradient = needs != 2;
                        // a transposed layer maps the convolution's output size back to its input size
                        Tensor x = transposed ? Tensor.randn(rng, batch, out, (size + 2 * p - k) / s + 1, (size + 2 * p - k) / s + 1)
                                : Tensor.randn(rng, batch, in, size, size);
                        x.requiresGrad(inputGradient);
                        Tensor w = randn(rng, out, in, k, k).requiresGrad(weightGradient); // conv: [O, C, k, k]; transposed: [its in = out, its out = in, k, k]
                        Tensor b = withBias ? randn(rng, transposed ? in : out) : null;
                        Tensor[] fused = {x, w, b};
                        Tensor[] plain = copyLeaves(fused);
                        Tensor yFused = transposed ? Ops.convTranspose2dRelu(fused[0], fused[1], fused[2], s, p, 0)
                                : Ops.conv2dRelu(fused[0], fused[1], fused[2], s, p);
                        Tensor yPlain = (transposed ? Ops.convTranspose2d(plain[0], plain[1], plain[2], s, p, 0)
                                : Ops.conv2d(plain[0], plain[1], plain[2], s, p)).relu();
                        String name = (transposed ? "convTranspose2d" : "conv2d") + " " + Arrays.toString(shape)
                                + ", bias " + withBias + ", input gradient " + inputGradient + ", weight gradient " + weightGradient;
                        assertArrayEquals(yPlain.data(), yFused.data(), name + ": values");
                        Tensor upstream = Tensor.randn(rng, yFused.shape().toArray());
                        yFused.mul(upstream).sum().backward();
                        yPlain.mul(upstream).sum().backward();
                        for (int i = 0; i < 3; i++) {
                            if (fused[i] != null && fused[i].requiresGrad()) {
                                assertArrayEquals(plain[i].grad().data(), fused[i].grad().data(), name + ": gradient of input " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void fusedReluBackwardLeavesTheCallersGradientAloneAndSumsTwoUses() {
        // The fused backward overwrites its output's gradient in place: that must never be the
        // caller's seed, and an output used twice must have both uses added in first.
        Rng rng = new Rng(39);
        Tensor[] fused = {randn(rng, 2, 3, 6, 6), randn(rng, 4, 3, 4, 4), randn(rng, 4)};
        Tensor[] plain = copyLeaves(fused);
        Tensor yFused = Ops.conv2dRelu(fused[0], fused[1], fused[2], 2, 1);
        Tensor upstream = Tensor.randn(rng, yFused.shape().toArray());
        float[] seed = upstream.data().clone();
        yFused.backward(upstream);
        assertArrayEquals(seed, upstream.data(), "the seed passed to backward");
        Ops.conv2d(plain[0], plain[1], plain[2], 2, 1).relu().backward(upstream);
        for (int i = 0; i < 3; i++) assertArrayEquals(plain[i].grad().data(), fused[i].grad().data(), "backward(seed): input " + i);

        Tensor[] fusedTwice = copyLeaves(fused), plainTwice = copyLeaves(fused);
        Tensor y = Ops.conv2dRelu(fusedTwice[0], fusedTwice[1], fusedTwice[2], 2, 1);
        y.mul(upstream).add(y.square()).sum().backward();
        Tensor z = Ops.conv2d(plainTwice[0], plainTwice[1], plainTwice[2], 2, 1).relu();
        z.mul(upstream).add(z.square()).sum().backward();
        for (int i = 0; i < 3; i++) assertArrayEquals(plainTwice[i].grad().data(), fusedTwice[i].grad().data(), "two uses: input " + i);
    }

    /** Fresh leaves with the same values and requiresGrad as {@code leaves} (null stays null). */
    private static Tensor[] copyLeaves(Tensor[] leaves) {
        Tensor[] copy = new Tensor[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            if (leaves[i] != null) copy[i] = Tensor.wrap(leaves[i].data().clone(), leaves[i].shape().toArray()).requiresGrad(leaves[i].requiresGrad());
        }
        return copy;
    }

    @Test
    void fusedReluGradients() {
        Rng rng = new Rng(38);
        GradCheck.check("conv2dRelu", in -> Ops.conv2dRelu(in[0], in[1], in[2], 2, 1),
                randn(rng, 2, 2, 6, 5), randn(rng, 3, 2, 4, 4), randn(rng, 3));
        GradCheck.check("convTranspose2dRelu", in -> Ops.convTranspose2dRelu(in[0], in[1], in[2], 2, 1, 1),
                randn(rng, 2, 3, 3, 2), randn(rng, 3, 2, 4, 4), randn(rng, 2));
    }

    private static void assertMessage(Executable call, String... fragments) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String f : fragments) assertTrue(message.contains(f), "message \"" + message + "\" lacks \"" + f + "\"");
    }

    @Test
    void conv2dRejectsBadInputNamingOpAndShapes() {
        Tensor x = Tensor.zeros(1, 2, 5, 5);
        assertMessage(() -> Ops.conv2d(Tensor.zeros(2, 5, 5), Tensor.zeros(3, 2, 3, 3), null, 1, 0), "conv2d", "[2, 5, 5]");
        assertMessage(() -> Ops.conv2d(x, Tensor.zeros(3, 2, 3), null, 1, 0), "conv2d", "[3, 2, 3]");
        assertMessage(() -> Ops.conv2d(x, Tensor.zeros(3, 4, 3, 3), null, 1, 0), "conv2d", "[1, 2, 5, 5]", "[3, 4, 3, 3]");
        assertMessage(() -> Ops.conv2d(x, Tensor.zeros(3, 2, 3, 3), null, 0, 0), "conv2d", "stride", "0");
        assertMessage(() -> Ops.conv2d(x, Tensor.zeros(3, 2, 3, 3), null, 1, -1), "conv2d", "padding", "-1");
        assertMessage(() -> Ops.conv2d(x, Tensor.zeros(3, 2, 8, 8), null, 1, 1), "conv2d", "8x8", "[1, 2, 5, 5]", "7x7");
        assertMessage(() -> Ops.conv2d(x, Tensor.zeros(3, 2, 3, 3), Tensor.zeros(2), 1, 0), "conv2d", "[3]", "[2]");
    }

    @Test
    void convTranspose2dRejectsBadInputNamingOpAndShapes() {
        Tensor x = Tensor.zeros(1, 2, 3, 3);
        Tensor w = Tensor.zeros(2, 4, 3, 3);
        assertMessage(() -> Ops.convTranspose2d(Tensor.zeros(2, 3, 3), w, null, 1, 0, 0), "convTranspose2d", "[2, 3, 3]");
        assertMessage(() -> Ops.convTranspose2d(x, Tensor.zeros(3, 4, 3, 3), null, 1, 0, 0), "convTranspose2d", "[1, 2, 3, 3]", "[3, 4, 3, 3]");
        assertMessage(() -> Ops.convTranspose2d(x, w, null, 0, 0, 0), "convTranspose2d", "stride", "0");
        assertMessage(() -> Ops.convTranspose2d(x, w, null, 1, -2, 0), "convTranspose2d", "padding", "-2");
        assertMessage(() -> Ops.convTranspose2d(x, w, null, 2, 0, 2), "convTranspose2d", "output padding", "2");
        assertMessage(() -> Ops.convTranspose2d(x, w, null, 2, 0, -1), "convTranspose2d", "output padding", "-1");
        assertMessage(() -> Ops.convTranspose2d(Tensor.zeros(1, 2, 1, 1), Tensor.zeros(2, 4, 1, 1), null, 1, 1, 0), "convTranspose2d", "[1, 2, 1, 1]", "empty");
        assertMessage(() -> Ops.convTranspose2d(x, w, Tensor.zeros(2), 1, 0, 0), "convTranspose2d", "[4]", "[2]");
    }
}
