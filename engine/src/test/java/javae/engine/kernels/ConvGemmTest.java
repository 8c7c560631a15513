package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The im2col + GEMM convolution against {@link ConvReference} on random shapes (batch 1-3, channels
 * 1-4, odd sizes, kernel 1-4, stride 1-3, padding 0-2), each adding into a non-zero destination.
 * Inputs are uniform in [-1, 1]; tolerance 1e-5 per term of the longest sum.
 */
class ConvGemmTest {

    @Test
    void matchesReferenceOnRandomShapes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 40; trial++) {
            int batch = 1 + random.nextInt(3), in = 1 + random.nextInt(4), out = 1 + random.nextInt(4);
            int kernelH = 1 + random.nextInt(4), kernelW = 1 + random.nextInt(4);
            int stride = 1 + random.nextInt(3), padding = random.nextInt(3);
            int inH = kernelH + random.nextInt(8), inW = kernelW + random.nextInt(8);
            check(random, batch, in, out, inH, inW, kernelH, kernelW, stride, padding);
        }
        // One of the report's layers at a small batch, large enough for the packed GEMM.
        check(random, 2, 32, 64, 16, 16, 4, 4, 2, 1);
    }

    @Test
    void sameBitsOnOneTwoAndThreeThreads() {
        SplittableRandom random = new SplittableRandom(12);
        int batch = 3, in = 8, out = 16, size = 12, kernel = 4, stride = 2, padding = 1;
        int outSize = ConvKernels.outputSize(size, kernel, stride, padding);
        float[] x = random(random, batch * in * size * size), w = random(random, out * in * kernel * kernel);
        float[] dy = random(random, batch * out * outSize * outSize);
        int threadsBefore = Parallel.threads();
        try {
            float[][] first = null;
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] y = new float[dy.length], dx = new float[x.length], dw = new float[w.length];
                ConvGemm.forward(x, w, y, batch, in, size, size, out, kernel, kernel, stride, padding);
                ConvGemm.backwardData(dy, w, dx, batch, in, size, size, out, kernel, kernel, stride, padding);
                ConvGemm.backwardWeight(x, dy, dw, batch, in, size, size, out, kernel, kernel, stride, padding);
                if (first == null) {
                    first = new float[][] {y, dx, dw};
                } else {
                    assertArrayEquals(first[0], y, "forward on " + threads + " threads");
                    assertArrayEquals(first[1], dx, "backward-data on " + threads + " threads");
                    assertArrayEquals(first[2], dw, "backward-weight on " + threads + " threads");
                }
            }
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    private static void check(SplittableRandom random, int batch, int in, int out, int inH, int inW,
                              int kernelH, int kernelW, int stride, int padding) {
        int outH = ConvKernels.outputSize(inH, kernelH, stride, padding);
        int outW = ConvKernels.outputSize(inW, kernelW, stride, padding);
        float[] x = random(random, batch * in * inH * inW), w = random(random, out * in * kernelH * kernelW);
        float[] dy = random(random, batch * out * outH * outW);
        String what = "batch=" + batch + " in=" + in + " out=" + out + " " + inH + "x" + inW + " kernel="
                + kernelH + "x" + kernelW + " stride=" + stride + " padding=" + padding;

        float[] yStart = random(random, dy.length);
        float[] expectedY = yStart.clone(), actualY = yStart.clone();
        ConvReference.forward(x, w, expectedY, batch, in, inH, inW, out, kernelH, kernelW, stride, padding);
        ConvGemm.forward(x, w, actualY, batch, in, inH, inW, out, kernelH, kernelW, stride, padding);
        assertClose(expectedY, actualY, in * kernelH * kernelW, "forward " + what);

        float[] dxStart = random(random, x.length);
        float[] expectedDx = dxStart.clone(), actualDx = dxStart.clone();
        ConvReference.backwardData(dy, w, expectedDx, batch, in, inH, inW, out, kernelH, kernelW, stride, padding);
        ConvGemm.backwardData(dy, w, actualDx, batch, in, inH, inW, out, kernelH, kernelW, stride, padding);
        assertClose(expectedDx, actualDx, out * kernelH * kernelW, "backward-data " + what);

        float[] dwStart = random(random, w.length);
        float[] expectedDw = dwStart.clone(), actualDw = dwStart.clone();
        ConvReference.backwardWeight(x, dy, expectedDw, batch, in, inH, inW, out, kernelH, kernelW, stride, padding);
        ConvGemm.backwardWeight(x, dy, actualDw, batch, in, inH, inW, out, kernelH, kernelW, stride, padding);
        assertClose(expectedDw, actualDw, batch * outH * outW, "backward-weight " + what);
    }

    private static void assertClose(float[] expected, float[] actual, int terms, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * (terms + 1), what + " at " + i);
        }
    }

    private static float[] random(SplittableRandom random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
