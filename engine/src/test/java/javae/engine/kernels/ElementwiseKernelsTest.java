package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import javae.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * The vector elementwise kernels against the scalar reference, on lengths around the vector width
 * (0, 1, 15, 16, 17, ...) so both the vector loop and the scalar tail run.
 *
 * <p>Tolerance: the vector exponentials and logarithms are float approximations accurate to about one
 * ulp, the reference rounds a double result once; we allow 4 ulps of the reference value. The vector
 * sum adds float lanes within blocks of 1024 and may differ from the double reference by a few float
 * epsilons of the sum of magnitudes; we allow 1e-5 of it.
 */
class ElementwiseKernelsTest {
    private static final int[] LENGTHS = {0, 1, 15, 16, 17, 31, 33, 64, 1001};

    private interface Unary {
        void apply(float[] x, float[] out);
    }

    private interface Backward {
        void apply(float[] x, float[] g, float[] gx);
    }

    @Test
    void reluMatchesReferenceIncludingNaN() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        Rng rng = new Rng(11);
        for (int n : LENGTHS) {
            float[] x = gaussian(rng, n, 3);
            if (n > 16) x[16] = Float.NaN; // a NaN inside the vector part: relu gives 0 there, like the reference
            checkUnary("relu", x, (a, out) -> ElementwiseVector.relu(a, out, 0, a.length), (a, out) -> ElementwiseReference.relu(a, out, 0, a.length), 0);
            checkBackward("reluBackward", x, gaussian(rng, n, 1), ElementwiseVector::reluBackward,
                    (a, g, gx) -> ElementwiseReference.reluBackward(a, g, gx, 0, a.length), 0);
            // reluBackwardInPlace overwrites g: compare the two results, both started from the same g
            float[] g = gaussian(rng, n, 1), expected = g.clone(), actual = g.clone();
            ElementwiseReference.reluBackwardInPlace(x, expected, 0, n);
            ElementwiseVector.reluBackwardInPlace(x, actual, 0, n);
            assertArrayEquals(expected, actual, "reluBackwardInPlace of " + n);
            for (int i = 0; i < n; i++) assertEquals(x[i] > 0f ? g[i] : 0f, actual[i], "reluBackwardInPlace of " + n + " at " + i);
        }
    }

    @Test
    void reluOverARangeInPlaceLeavesTheRestAlone() {
        // the fused convolutions clamp one group of images at a time, in place
        float[] x = gaussian(new Rng(16), 100, 3), expected = x.clone(), actual = x.clone();
        ElementwiseReference.relu(expected, expected, 7, 90);
        ElementwiseKernels.relu(actual, actual, 7, 90);
        assertArrayEquals(expected, actual);
        for (int i = 0; i < 100; i++) assertEquals(i >= 7 && i < 90 ? Math.max(x[i], 0f) : x[i], actual[i], "at " + i);
    }

    @Test
    void reluBackwardOverARangeInPlaceLeavesTheRestAlone() {
        // the fused convolutions' backward masks one group of images at a time
        Rng rng = new Rng(17);
        float[] y = gaussian(rng, 100, 3), g = gaussian(rng, 100, 1), expected = g.clone(), actual = g.clone();
        ElementwiseReference.reluBackwardInPlace(y, expected, 7, 90);
        ElementwiseKernels.reluBackwardInPlace(y, actual, 7, 90);
        assertArrayEquals(expected, actual);
        for (int i = 0; i < 100; i++) assertEquals(i >= 7 && i < 90 && !(y[i] > 0f) ? 0f : g[i], actual[i], "at " + i);
    }

    @Test
    void softplusMatchesReferenceAtExtremes() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        Rng rng = new Rng(12);
        for (int n : LENGTHS) {
            float[] x = gaussian(rng, n, 20);
            float[] extremes = {1e4f, -1e4f, 88.8f, -88.8f, 0f, -0f, 1e-7f, -103f};
            for (int i = 0; i < Math.min(n, extremes.length); i++) x[n - 1 - i] = extremes[i]; // in the tail and, for long arrays, in vectors
            for (int i = 0; i < Math.min(n, extremes.length); i++) x[i] = extremes[i];
            checkUnary("softplus", x, ElementwiseVector::softplus, (a, out) -> ElementwiseReference.softplus(a, out, 0, a.length), 4);
            checkUnary("sigmoid", x, ElementwiseVector::sigmoid, (a, out) -> ElementwiseReference.sigmoid(a, out, 0, a.length), 4);
            checkBackward("softplusBackward", x, gaussian(rng, n, 1), ElementwiseVector::softplusBackward,
                    (a, g, gx) -> ElementwiseReference.softplusBackward(a, g, gx, 0, a.length), 4);
        }
        float[] out = new float[2];
        ElementwiseVector.softplus(new float[] {1e4f, -1e4f}, out);
        assertEquals(1e4f, out[0]); // no overflow to infinity
        assertEquals(0f, out[1]);
    }

    /** softplus runs in two passes over blocks of 1024 elements: lengths across several blocks, and not a multiple of one. */
    @Test
    void softplusMatchesReferenceAcrossPassBlocks() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        Rng rng = new Rng(15);
        for (int n : new int[] {1024, 1040, 3000}) {
            float[] x = gaussian(rng, n, 20);
            checkUnary("softplus", x, ElementwiseVector::softplus, (a, out) -> ElementwiseReference.softplus(a, out, 0, a.length), 4);
        }
    }

    @Test
    void tanhExpLogMatchReference() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        Rng rng = new Rng(13);
        for (int n : LENGTHS) {
            float[] x = gaussian(rng, n, 5);
            checkUnary("tanh", x, (a, out) -> ElementwiseVector.tanh(a, out, 0, a.length), (a, out) -> ElementwiseReference.tanh(a, out, 0, a.length), 4);
            checkUnary("exp", x, ElementwiseVector::exp, (a, out) -> ElementwiseReference.exp(a, out, 0, a.length), 4);
            float[] positive = new float[n];
            for (int i = 0; i < n; i++) positive[i] = (float) Math.exp(x[i] * 4); // e^-20 .. e^20
            checkUnary("log", positive, ElementwiseVector::log, (a, out) -> ElementwiseReference.log(a, out, 0, a.length), 4);
        }
        float[] special = {0f, -1f, 100f, -200f, Float.POSITIVE_INFINITY, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f};
        checkUnary("exp of specials", special, ElementwiseVector::exp, (a, out) -> ElementwiseReference.exp(a, out, 0, a.length), 4);
        checkUnary("log of specials", special, ElementwiseVector::log, (a, out) -> ElementwiseReference.log(a, out, 0, a.length), 4);
    }

    @Test
    void longTanhInParallelChunksGivesTheBitsOfOnePass() {
        Rng rng = new Rng(16);
        float[] x = gaussian(rng, 200_003, 3); // above the parallel threshold, not a multiple of the chunks' alignment
        float[] onePass = new float[x.length];
        if (VectorSupport.enabled()) ElementwiseVector.tanh(x, onePass, 0, x.length);
        else ElementwiseReference.tanh(x, onePass, 0, x.length);
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] out = new float[x.length];
                ElementwiseKernels.tanh(x, out);
                assertArrayEquals(onePass, out, "tanh in chunks on " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void sumMatchesReference() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        Rng rng = new Rng(14);
        for (int n : new int[] {0, 1, 15, 16, 17, 1023, 1024, 1025, 5000}) {
            float[] x = gaussian(rng, n + 3, 2);
            double magnitude = 0;
            for (int i = 2; i < n + 2; i++) magnitude += Math.abs(x[i]);
            double expected = ElementwiseReference.sum(x, 2, n + 2), actual = ElementwiseVector.sum(x, 2, n + 2);
            assertTrue(Math.abs(expected - actual) <= 1e-5 * magnitude, "sum of " + n + ": " + actual + " vs " + expected);
        }
        assertEquals(6.0, ElementwiseKernels.sum(new float[] {1, 2, 3}, 0, 3));
    }

    @Test
    void squaredDistanceMatchesReference() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        Rng rng = new Rng(15);
        for (int n : new int[] {0, 1, 15, 16, 17, 1023, 1024, 1025, 12288}) {
            float[] a = gaussian(rng, n + 3, 2), b = gaussian(rng, n + 3, 2);
            double expected = ElementwiseReference.squaredDistance(a, b, 2, n + 2), actual = ElementwiseVector.squaredDistance(a, b, 2, n + 2);
            // every term is positive: the sum is its own magnitude
            assertTrue(Math.abs(expected - actual) <= 1e-5 * expected, "squared distance of " + n + ": " + actual + " vs " + expected);
        }
        assertEquals(1 + 9.0, ElementwiseKernels.squaredDistance(new float[] {1, 2, 3}, new float[] {0, 2, 0}, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.squaredDistance(new float[3], new float[4], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.squaredDistance(new float[3], new float[3], 2, 2));
    }

    @Test
    void facadeRejectsMismatchedArrays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.relu(new float[3], new float[2]));
        assertEquals("relu: arrays of lengths 3 and 2 differ", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.sum(new float[3], 2, 2));
    }

    private static void checkUnary(String name, float[] x, Unary vector, Unary reference, int ulps) {
        float[] expected = new float[x.length], actual = new float[x.length];
        reference.apply(x, expected);
        vector.apply(x, actual);
        assertClose(name, x, expected, expected, actual, ulps);
    }

    private static void checkBackward(String name, float[] x, float[] g, Backward vector, Backward reference, int ulps) {
        float[] expected = new float[x.length], actual = new float[x.length];
        for (int i = 0; i < x.length; i++) expected[i] = actual[i] = 0.5f; // backward adds into the gradient
        reference.apply(x, g, expected);
        vector.apply(x, g, actual);
        float[] magnitude = new float[x.length]; // the terms' size: 0.5 + g f'(x) may cancel to far less
        for (int i = 0; i < x.length; i++) magnitude[i] = 0.5f + Math.abs(g[i]);
        assertClose(name, x, magnitude, expected, actual, ulps);
    }

    /** Asserts |actual - expected| <= ulps ulps of magnitude (or the same value, for infinities and NaN). */
    private static void assertClose(String name, float[] x, float[] magnitude, float[] expected, float[] actual, int ulps) {
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.compare(expected[i], actual[i]) == 0
                    || Math.abs(expected[i] - actual[i]) <= ulps * Math.ulp(Math.max(Math.abs(magnitude[i]), Float.MIN_NORMAL));
            assertTrue(same, name + " of length " + x.length + " at " + i + " (x = " + x[i] + "): " + actual[i] + " vs reference " + expected[i]);
        }
    }

    private static float[] gaussian(Rng rng, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) (scale * rng.nextGaussian());
        return values;
    }
}
