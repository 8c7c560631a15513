package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javae.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * The im2col path against the reference loops, on random inputs in [-1, 1).
 *
 * <p>Tolerance: each output is a float sum of R products of numbers in [-1, 1), computed in a
 * different order by the two paths, so they may differ by rounding that grows with R. We allow
 * {@code 1e-6 R} (about 16 float epsilons per summed term), where R is the reduction length of the
 * kernel: C kh kw for forward, O kh kw for backward-data, N outH outW for backward-weight.
 */
class ConvIm2colTest {

    /** batch, C, inH, inW, O, kh, kw, stride, padding. */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1, 1, 1, 1, 1, 0},      // the smallest convolution
        {1, 1, 5, 5, 1, 3, 3, 1, 1},      // batch 1, channel 1
        {2, 3, 7, 5, 4, 3, 2, 1, 0},      // odd, non-square input and kernel
        {3, 2, 9, 6, 3, 4, 4, 2, 1},      // the VAE's k4 s2 p1, non-square
        {2, 3, 11, 13, 5, 5, 5, 3, 2},    // stride 3, padding 2, kernel 5
        {4, 2, 6, 7, 3, 1, 1, 2, 0},      // 1x1 kernel with stride
        {3, 2, 5, 5, 2, 2, 3, 2, 2},      // padding larger than half the kernel
        {5, 4, 4, 4, 6, 4, 4, 1, 0},      // kernel covers the input: one GEMM for the batch
        {2, 3, 3, 5, 4, 3, 5, 2, 0},      // kernel covers a non-square input
        {2, 3, 4, 4, 4, 4, 4, 1, 1},      // kernel as large as the input but padded: not one window
        {20, 3, 8, 8, 5, 4, 4, 2, 1},     // 4x4 outputs: groups of 3 images, the last one short
        {37, 2, 8, 8, 3, 4, 4, 2, 1},     // eight groups of 5 images, the last of 2
        {2, 2, 6, 70, 3, 4, 4, 2, 1},     // stride 2, rows of 35 pairs: whole vectors of pairs (PhaseVector), then a scalar tail
        {2, 3, 5, 65, 2, 4, 4, 2, 0},     // the same with an odd width and no padding
        {9, 2, 24, 24, 3, 3, 3, 1, 1},    // 624 columns per image: one image per group, nine groups in eight weight tiles
    };

    @Test
    void someShapeHasMoreGroupsThanWeightTiles() {
        // so that a weight tile sums a second group into its partial sum in the tests below
        int[] s = SHAPES[SHAPES.length - 1];
        ConvIm2col.Layout layout = new ConvIm2col.Layout(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]);
        assertTrue(layout.groups > 8, "groups: " + layout.groups);
    }

    @Test
    void forwardMatchesReference() {
        Rng rng = new Rng(1);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] x = uniform(rng, c.inputSize()), w = uniform(rng, c.weightSize());
            float[] start = uniform(rng, c.outputSize()); // the kernels add into their destination
            float[] expected = start.clone(), actual = start.clone();
            ConvReference.forward(x, w, expected, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.forward(x, w, null, false, actual, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertClose("forward " + c, expected, actual, c.c * c.kh * c.kw);
        }
    }

    @Test
    void backwardDataMatchesReference() {
        Rng rng = new Rng(2);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] dy = uniform(rng, c.outputSize()), w = uniform(rng, c.weightSize());
            float[] start = uniform(rng, c.inputSize());
            float[] expected = start.clone(), actual = start.clone();
            ConvReference.backwardData(dy, w, expected, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardData(dy, w, null, false, actual, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertClose("backwardData " + c, expected, actual, c.o * c.kh * c.kw);
        }
    }

    @Test
    void backwardWeightMatchesReference() {
        Rng rng = new Rng(3);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] x = uniform(rng, c.inputSize()), dy = uniform(rng, c.outputSize());
            float[] start = uniform(rng, c.weightSize());
            float[] expected = start.clone(), actual = start.clone();
            ConvReference.backwardWeight(x, dy, expected, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardWeight(x, dy, actual, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertClose("backwardWeight " + c, expected, actual, c.n * c.outH * c.outW);
        }
    }

    @Test
    void mergePhasesIsTheAdjointOfSplitPhases() {
        // <split(x), p> = <x, merge(p)> for every x and p: merging adds back exactly what splitting copied
        Rng rng = new Rng(6);
        for (int[] shape : SHAPES) {
            Conv c = new Conv(shape);
            ConvIm2col.Layout layout = new ConvIm2col.Layout(c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            int count = c.n, size = layout.phasesSize(count);
            float[] x = uniform(rng, c.inputSize()), p = uniform(rng, size);
            float[] split = new float[size], back = new float[c.inputSize()];
            ConvIm2col.splitPhases(x, 0, count, layout, split);
            ConvIm2col.mergePhases(p, back, null, false, true, 0, count, layout);
            double left = 0, right = 0;
            for (int i = 0; i < size; i++) left += (double) split[i] * p[i];
            for (int i = 0; i < x.length; i++) right += (double) x[i] * back[i];
            assertTrue(Math.abs(left - right) <= 1e-4 * (1 + Math.abs(left)), c + ": " + left + " vs " + right);
        }
    }

    @Test
    void biasGradientMatchesReference() {
        Rng rng = new Rng(4);
        int batch = 7, channels = 5, spatial = 37;
        float[] dy = uniform(rng, batch * channels * spatial), start = uniform(rng, channels);
        float[] expected = start.clone(), actual = start.clone();
        ConvReference.biasGradient(dy, expected, batch, channels, spatial);
        ConvIm2col.biasGradient(dy, actual, batch, channels, spatial);
        assertClose("biasGradient", expected, actual, batch * spatial);
    }

    @Test
    void biasAndReluAreAppliedAsPassesOfTheirOwnWouldApplyThem() {
        Rng rng = new Rng(13);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] x = uniform(rng, c.inputSize()), w = uniform(rng, c.weightSize()), dy = uniform(rng, c.outputSize());
            float[] outputBias = uniform(rng, c.o), inputBias = uniform(rng, c.c);
            for (boolean relu : new boolean[] {false, true}) {
                // a convolution with bias (and ReLU)
                float[] expected = new float[c.outputSize()], actual = new float[c.outputSize()];
                ConvIm2col.forward(x, w, null, false, expected, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                addBiasThenRelu(expected, outputBias, relu, c.o, c.outH * c.outW);
                ConvIm2col.forward(x, w, outputBias, relu, actual, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                assertArrayEquals(expected, actual, "forward with bias, relu " + relu + ", " + c);
                // a transposed convolution with bias (and ReLU): conv's backward-data, the bias over the input's channels
                expected = new float[c.inputSize()];
                actual = new float[c.inputSize()];
                ConvIm2col.backwardData(dy, w, null, false, expected, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                addBiasThenRelu(expected, inputBias, relu, c.c, c.h * c.w);
                ConvIm2col.backwardData(dy, w, inputBias, relu, actual, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                assertArrayEquals(expected, actual, "backwardData with bias, relu " + relu + ", " + c);
            }
        }
    }

    @Test
    void writingOverAnArrayGivesWhatAddingIntoZerosGives() {
        // Without accumulate every element must be written and none read: the arrays start as NaN,
        // which an element left unwritten, or an old value read, would leave behind.
        Rng rng = new Rng(17);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] x = uniform(rng, c.inputSize()), w = uniform(rng, c.weightSize()), dy = uniform(rng, c.outputSize());
            float[] outputBias = uniform(rng, c.o), inputBias = uniform(rng, c.c);
            for (boolean relu : new boolean[] {false, true}) {
                float[] added = new float[c.outputSize()], written = nans(c.outputSize());
                ConvIm2col.forward(x, w, outputBias, relu, added, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                ConvIm2col.forward(x, w, outputBias, relu, written, false, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                assertArrayEquals(added, written, 0f, "forward, relu " + relu + ", " + c);
                added = new float[c.inputSize()];
                written = nans(c.inputSize());
                ConvIm2col.backwardData(dy, w, inputBias, relu, added, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                ConvIm2col.backwardData(dy, w, inputBias, relu, written, false, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                assertArrayEquals(added, written, 0f, "backwardData, relu " + relu + ", " + c);
            }
            // the fused backward passes' image-shaped gradients, beside a weight gradient
            float[] dxAdded = new float[c.inputSize()], dxWritten = nans(c.inputSize());
            ConvIm2col.backwardDataAndWeight(x, dy, w, dxAdded, true, new float[c.weightSize()], null, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardDataAndWeight(x, dy, w, dxWritten, false, new float[c.weightSize()], null, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(dxAdded, dxWritten, 0f, "backwardDataAndWeight dx " + c);
            float[] yAdded = new float[c.outputSize()], yWritten = nans(c.outputSize());
            ConvIm2col.forwardAndBackwardWeight(x, w, yAdded, true, dy, new float[c.weightSize()], null, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.forwardAndBackwardWeight(x, w, yWritten, false, dy, new float[c.weightSize()], null, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(yAdded, yWritten, 0f, "forwardAndBackwardWeight y " + c);
        }
    }

    private static float[] nans(int size) {
        float[] values = new float[size];
        Arrays.fill(values, Float.NaN);
        return values;
    }

    /** y [N, channels, spatial] += b [channels], then max(0, y) if relu: two plain passes over all of y. */
    private static void addBiasThenRelu(float[] y, float[] b, boolean relu, int channels, int spatial) {
        for (int i = 0; i < y.length; i++) y[i] += b[i / spatial % channels];
        if (relu) for (int i = 0; i < y.length; i++) y[i] = y[i] > 0f ? y[i] : 0f;
    }

    @Test
    void fusedBackwardKernelsGiveTheBitsOfTheSeparateOnes() {
        Rng rng = new Rng(11);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] x = uniform(rng, c.inputSize()), w = uniform(rng, c.weightSize()), dy = uniform(rng, c.outputSize());
            float[] dxStart = uniform(rng, c.inputSize()), dwStart = uniform(rng, c.weightSize()), yStart = uniform(rng, c.outputSize());
            float[] dbOfDyStart = uniform(rng, c.o), dbOfXStart = uniform(rng, c.c);
            // a convolution's backward: dx, dw and db, or any of them alone (null: not wanted)
            float[] dx = dxStart.clone(), dw = dwStart.clone(), db = dbOfDyStart.clone();
            ConvIm2col.backwardData(dy, w, null, false, dx, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardWeight(x, dy, dw, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.biasGradient(dy, db, c.n, c.o, c.outH * c.outW);
            for (int wanted = 1; wanted <= 7; wanted++) {
                float[] fusedDx = (wanted & 1) != 0 ? dxStart.clone() : null, fusedDw = (wanted & 2) != 0 ? dwStart.clone() : null;
                float[] fusedDb = (wanted & 4) != 0 ? dbOfDyStart.clone() : null;
                ConvIm2col.backwardDataAndWeight(x, dy, w, fusedDx, true, fusedDw, fusedDb, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                if (fusedDx != null) assertArrayEquals(dx, fusedDx, "backwardDataAndWeight dx " + c);
                if (fusedDw != null) assertArrayEquals(dw, fusedDw, "backwardDataAndWeight dw " + c);
                if (fusedDb != null) assertArrayEquals(db, fusedDb, "backwardDataAndWeight db " + c);
            }
            // a transposed convolution's backward: conv forward of x, the weight gradient with x as
            // input, and x summed for the transposed convolution's bias
            float[] y = yStart.clone();
            dw = dwStart.clone();
            db = dbOfXStart.clone();
            ConvIm2col.forward(x, w, null, false, y, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardWeight(x, dy, dw, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.biasGradient(x, db, c.n, c.c, c.h * c.w);
            for (int wanted = 1; wanted <= 7; wanted++) {
                float[] fusedY = (wanted & 1) != 0 ? yStart.clone() : null, fusedDw = (wanted & 2) != 0 ? dwStart.clone() : null;
                float[] fusedDb = (wanted & 4) != 0 ? dbOfXStart.clone() : null;
                ConvIm2col.forwardAndBackwardWeight(x, w, fusedY, true, dy, fusedDw, fusedDb, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                if (fusedY != null) assertArrayEquals(y, fusedY, "forwardAndBackwardWeight y " + c);
                if (fusedDw != null) assertArrayEquals(dw, fusedDw, "forwardAndBackwardWeight dw " + c);
                if (fusedDb != null) assertArrayEquals(db, fusedDb, "forwardAndBackwardWeight db " + c);
            }
        }
    }

    @Test
    void fusedBackwardKernelsMaskTheOutputGradientOfAReluInPlaceFirst() {
        // With a ReLU's output, the kernels must give the bits of masking the whole gradient first
        // and then running without it, sum the masked gradient into the bias gradient with the bits
        // of biasGradient on it, and leave the masked gradient behind.
        Rng rng = new Rng(12);
        for (int[] s : SHAPES) {
            Conv c = new Conv(s);
            float[] x = uniform(rng, c.inputSize()), w = uniform(rng, c.weightSize()), dy = uniform(rng, c.outputSize());
            float[] reluOfY = uniform(rng, c.outputSize()), reluOfX = uniform(rng, c.inputSize());
            for (int i = 0; i < reluOfY.length; i++) reluOfY[i] = Math.max(reluOfY[i], 0f); // about half zeros
            for (int i = 0; i < reluOfX.length; i++) reluOfX[i] = Math.max(reluOfX[i], 0f);
            // a convolution ending in a ReLU: dy is masked by its output
            float[] maskedDy = dy.clone(), dx = new float[c.inputSize()], dw = new float[c.weightSize()];
            ElementwiseReference.reluBackwardInPlace(reluOfY, maskedDy, 0, maskedDy.length);
            ConvIm2col.backwardDataAndWeight(x, maskedDy, w, dx, true, dw, null, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            float[] dbOfDy = new float[c.o];
            ConvIm2col.biasGradient(maskedDy, dbOfDy, c.n, c.o, c.outH * c.outW);
            float[] fusedDy = dy.clone(), fusedDx = new float[c.inputSize()], fusedDw = new float[c.weightSize()], fusedDb = new float[c.o];
            ConvIm2col.backwardDataAndWeight(x, fusedDy, w, fusedDx, true, fusedDw, fusedDb, reluOfY, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(maskedDy, fusedDy, "the masked dy " + c);
            assertArrayEquals(dx, fusedDx, "backwardDataAndWeight dx after a ReLU " + c);
            assertArrayEquals(dw, fusedDw, "backwardDataAndWeight dw after a ReLU " + c);
            assertArrayEquals(dbOfDy, fusedDb, "backwardDataAndWeight db after a ReLU " + c);
            // a transposed convolution ending in a ReLU: its output gradient, conv's x, is masked
            float[] maskedX = x.clone(), y = new float[c.outputSize()];
            ElementwiseReference.reluBackwardInPlace(reluOfX, maskedX, 0, maskedX.length);
            dw = new float[c.weightSize()];
            ConvIm2col.forwardAndBackwardWeight(maskedX, w, y, true, dy, dw, null, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            float[] dbOfX = new float[c.c];
            ConvIm2col.biasGradient(maskedX, dbOfX, c.n, c.c, c.h * c.w);
            float[] fusedX = x.clone(), fusedY = new float[c.outputSize()];
            fusedDw = new float[c.weightSize()];
            fusedDb = new float[c.c];
            ConvIm2col.forwardAndBackwardWeight(fusedX, w, fusedY, true, dy, fusedDw, fusedDb, reluOfX, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(maskedX, fusedX, "the masked x " + c);
            assertArrayEquals(y, fusedY, "forwardAndBackwardWeight y after a ReLU " + c);
            assertArrayEquals(dw, fusedDw, "forwardAndBackwardWeight dw after a ReLU " + c);
            assertArrayEquals(dbOfX, fusedDb, "forwardAndBackwardWeight db after a ReLU " + c);
            // only the input gradient (a frozen weight): the groups run without partial sums
            fusedDy = dy.clone();
            fusedDx = new float[c.inputSize()];
            fusedDb = new float[c.o];
            ConvIm2col.backwardDataAndWeight(x, fusedDy, w, fusedDx, true, null, fusedDb, reluOfY, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(maskedDy, fusedDy, "the masked dy, dx only " + c);
            assertArrayEquals(dx, fusedDx, "backwardDataAndWeight dx only after a ReLU " + c);
            assertArrayEquals(dbOfDy, fusedDb, "backwardDataAndWeight db, dx only " + c);
            fusedX = x.clone();
            fusedY = new float[c.outputSize()];
            fusedDb = new float[c.c];
            ConvIm2col.forwardAndBackwardWeight(fusedX, w, fusedY, true, dy, null, fusedDb, reluOfX, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(maskedX, fusedX, "the masked x, y only " + c);
            assertArrayEquals(y, fusedY, "forwardAndBackwardWeight y only after a ReLU " + c);
            assertArrayEquals(dbOfX, fusedDb, "forwardAndBackwardWeight db, y only " + c);
            // neither gradient wanted, only the bias': the mask, then the sum
            fusedDy = dy.clone();
            fusedDb = new float[c.o];
            ConvIm2col.backwardDataAndWeight(x, fusedDy, w, null, true, null, fusedDb, reluOfY, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(maskedDy, fusedDy, "the masked dy alone " + c);
            assertArrayEquals(dbOfDy, fusedDb, "backwardDataAndWeight db alone " + c);
            fusedX = x.clone();
            fusedDb = new float[c.c];
            ConvIm2col.forwardAndBackwardWeight(fusedX, w, null, true, dy, null, fusedDb, reluOfX, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            assertArrayEquals(maskedX, fusedX, "the masked x alone " + c);
            assertArrayEquals(dbOfX, fusedDb, "forwardAndBackwardWeight db alone " + c);
        }
    }

    @Test
    void sameBitsOnOneTwoAndThreeThreads() {
        int before = Parallel.threads();
        try {
            Rng rng = new Rng(5);
            for (int[] s : new int[][] {{37, 2, 8, 8, 3, 4, 4, 2, 1}, {9, 2, 16, 16, 3, 3, 3, 1, 1}, {5, 4, 4, 4, 6, 4, 4, 1, 0}}) {
                Conv c = new Conv(s);
                float[] x = uniform(rng, c.inputSize()), w = uniform(rng, c.weightSize()), dy = uniform(rng, c.outputSize());
                float[][] first = null;
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    float[] y = new float[c.outputSize()], dx = new float[c.inputSize()], dw = new float[c.weightSize()];
                    ConvIm2col.forward(x, w, null, false, y, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                    ConvIm2col.backwardData(dy, w, null, false, dx, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                    ConvIm2col.backwardWeight(x, dy, dw, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                    float[] fusedDx = new float[c.inputSize()], fusedDw = new float[c.weightSize()], fusedDb = new float[c.o];
                    ConvIm2col.backwardDataAndWeight(x, dy, w, fusedDx, true, fusedDw, fusedDb, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                    float[] fusedY = new float[c.outputSize()], fusedDbOfX = new float[c.c];
                    ConvIm2col.forwardAndBackwardWeight(x, w, fusedY, true, dy, null, fusedDbOfX, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
                    float[][] results = {y, dx, dw, fusedDx, fusedDw, fusedDb, fusedY, fusedDbOfX};
                    if (first == null) first = results;
                    for (int i = 0; i < results.length; i++) {
                        assertArrayEquals(first[i], results[i], "result " + i + " of " + c + " on " + threads + " threads");
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void largeBiasGradientsGiveTheSameBitsOnOneTwoAndThreeThreads() {
        int before = Parallel.threads();
        try {
            Rng rng = new Rng(17);
            int batch = 11, channels = 19, spatial = 1000; // above the parallel threshold, images not a multiple of the tiles
            float[] dy = uniform(rng, batch * channels * spatial), start = uniform(rng, channels);
            float[] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] db = start.clone();
                ConvIm2col.biasGradient(dy, db, batch, channels, spatial);
                if (first == null) first = db;
                assertArrayEquals(first, db, "bias gradient on " + threads + " threads");
            }
            float[] expected = start.clone();
            ConvReference.biasGradient(dy, expected, batch, channels, spatial);
            assertClose("parallel biasGradient", expected, first, batch * spatial);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void steadyStateCallsAllocateNoArrays() {
        // Once the work arrays have grown and the JIT has compiled the vector code (interpreted or
        // compiled by C1, the Vector API allocates an object per vector), a call allocates only its
        // few small objects (the layout, the lambdas), less than even its smallest arrays (the bias's
        // per-plane sums). Two convolutions, so that both GEMM micro-kernels (packed weights: groups
        // of at least 8 panels; weights read in place: fewer) are called often enough to be compiled
        // by C2. The JIT may still recompile a method late, running it interpreted for a call, so the
        // check takes the least of the last hundred rounds: an array allocated by every call would
        // show in each of them.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1); // everything runs on this thread, where allocation is counted
            Rng rng = new Rng(7);
            KernelCalls[] convs = {
                new KernelCalls(new Conv(new int[] {20, 1, 8, 8, 2, 4, 4, 2, 1}), rng),  // seven image groups of 2-3 panels
                new KernelCalls(new Conv(new int[] {4, 1, 32, 32, 2, 4, 4, 2, 1}), rng), // four groups of 9 panels
            };
            long allocated = Long.MAX_VALUE;
            for (int round = 0; round < 1500; round++) {
                long start = threads.getCurrentThreadAllocatedBytes();
                for (KernelCalls conv : convs) conv.runAll();
                if (round >= 1400) allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - start);
            }
            // 1,600 bytes on JDK 17 and 25 (twelve calls); an array of even 8 floats more per call would cross the line
            assertTrue(allocated < 2048, "steady-state forward and backward calls allocated " + allocated + " bytes");
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** One convolution's operands, and a call of each of its kernels. */
    private static final class KernelCalls {
        final Conv c;
        final float[] x, w, dy, y, dx, dw, dbOfDy, dbOfX;

        KernelCalls(Conv c, Rng rng) {
            this.c = c;
            x = uniform(rng, c.inputSize());
            w = uniform(rng, c.weightSize());
            dy = uniform(rng, c.outputSize());
            y = new float[c.outputSize()];
            dx = new float[c.inputSize()];
            dw = new float[c.weightSize()];
            dbOfDy = new float[c.o];
            dbOfX = new float[c.c];
        }

        void runAll() {
            ConvIm2col.forward(x, w, null, false, y, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardData(dy, w, null, false, dx, true, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardWeight(x, dy, dw, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.backwardDataAndWeight(x, dy, w, dx, true, dw, dbOfDy, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.forwardAndBackwardWeight(x, w, y, true, dy, dw, dbOfX, null, c.n, c.c, c.h, c.w, c.o, c.kh, c.kw, c.stride, c.padding);
            ConvIm2col.biasGradient(dy, dbOfDy, c.n, c.o, c.outH * c.outW);
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, int reductionLength) {
        double tolerance = 1e-6 * reductionLength;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!(diff <= worst)) {
                worst = diff;
                worstAt = i;
            }
        }
        assertTrue(worst <= tolerance, what + ": max |difference| " + worst + " at " + worstAt + " exceeds " + tolerance);
    }

    private static float[] uniform(Rng rng, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) values[i] = 2 * rng.nextFloat() - 1;
        return values;
    }

    /** One test convolution's sizes. */
    private static final class Conv {
        final int n, c, h, w, o, kh, kw, stride, padding, outH, outW;

        Conv(int[] s) {
            n = s[0];
            c = s[1];
            h = s[2];
            w = s[3];
            o = s[4];
            kh = s[5];
            kw = s[6];
            stride = s[7];
            padding = s[8];
            outH = ConvKernels.outputSize(h, kh, stride, padding);
            outW = ConvKernels.outputSize(w, kw, stride, padding);
        }

        int inputSize() {
            return n * c * h * w;
        }

        int weightSize() {
            return o * c * kh * kw;
        }

        int outputSize() {
            return n * o * outH * outW;
        }

        @Override
        public String toString() {
            return "x [" + n + ", " + c + ", " + h + ", " + w + "] w [" + o + ", " + c + ", " + kh + ", " + kw
                    + "] stride " + stride + " padding " + padding;
        }
    }
}
