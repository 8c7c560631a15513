package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast GEMM against {@link GemmReference}. Inputs are uniform in [-1, 1], so each product is at
 * most 1 in magnitude and the two summation orders may differ by a few float roundings per term:
 * the stated tolerance is {@code 1e-6 * (k + 1)} absolute, far below the O(1) error of a wrong index.
 */
class GemmTest {
    private static final int[] EDGE_SIZES = {1, 3, 17, 33};

    @Test
    void twoByTwoByHand() {
        // [1 2; 3 4] * [5 6; 7 8] = [19 22; 43 50]
        float[] c = new float[4];
        Gemm.multiply(false, false, 2, 2, 2, new float[] {1, 2, 3, 4}, 0, new float[] {5, 6, 7, 8}, 0, c, 0, false);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
        // A^T * B with A = [1 3; 2 4] stored transposed gives the same product; accumulate adds it again.
        Gemm.multiply(true, false, 2, 2, 2, new float[] {1, 3, 2, 4}, 0, new float[] {5, 6, 7, 8}, 0, c, 0, true);
        assertArrayEquals(new float[] {38, 44, 86, 100}, c);
    }

    @Test
    void facadeMatchesReferenceOnAllTinyShapes() {
        SplittableRandom random = new SplittableRandom(1);
        for (int m = 0; m <= 4; m++) {
            for (int n = 0; n <= 4; n++) {
                for (int k = 0; k <= 4; k++) {
                    for (int variant = 0; variant < 8; variant++) {
                        checkAgainstReference(random, false, m, n, k, (variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0);
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelMatchesReferenceOnEdgeShapes() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        SplittableRandom random = new SplittableRandom(2);
        for (int m : EDGE_SIZES) {
            for (int n : EDGE_SIZES) {
                for (int k : EDGE_SIZES) {
                    for (int variant = 0; variant < 8; variant++) {
                        checkAgainstReference(random, true, m, n, k, (variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0);
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelMatchesReferenceAcrossBlockBoundaries() {
        assumeTrue(VectorSupport.enabled(), "the Vector API is off in this JVM");
        SplittableRandom random = new SplittableRandom(3);
        // Sizes straddling MR, NR, MC, NC and KC, so edge tiles and several k blocks are exercised.
        int[][] shapes = {{100, 257, 33}, {257, 100, 300}, {33, 300, 513}, {129, 65, 257}, {8, 32, 256}, {2, 1000, 7}};
        for (int[] shape : shapes) {
            for (int variant = 0; variant < 8; variant++) {
                checkAgainstReference(random, true, shape[0], shape[1], shape[2], (variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0);
            }
        }
    }

    @Test
    void rowAddressedOperandsMatchReference() {
        // A, B and C reached through row offsets, as the convolutions use them: rows at random places in
        // larger arrays, and rows of C that overlap (shifted by one float), which must accumulate.
        SplittableRandom random = new SplittableRandom(6);
        int[][] shapes = {{3, 5, 2}, {8, 32, 16}, {17, 70, 33}, {40, 100, 300}, {130, 300, 20}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], k = shape[2];
            for (int variant = 0; variant < 8; variant++) {
                boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0, overlap = (variant & 4) != 0;
                int bCount = transB ? n : k, bLength = transB ? k : n;
                int aCount = transA ? k : m, aLength = transA ? m : k;
                float[] a = randomArray(random, aCount * aLength + 50), b = randomArray(random, bCount * bLength + 50);
                int[] aRows = new int[aCount], bRows = new int[bCount], cRows = new int[m];
                for (int r = 0; r < aCount; r++) aRows[r] = random.nextInt(a.length - aLength + 1);
                for (int r = 0; r < bCount; r++) bRows[r] = random.nextInt(b.length - bLength + 1);
                for (int i = 0; i < m; i++) cRows[i] = overlap ? i / 2 * n + i % 2 : i * (n + 3) + 1;
                float[] expected = randomArray(random, m * (n + 3) + 2), actual = expected.clone();
                boolean accumulate = overlap || random.nextBoolean();
                GemmReference.multiplyRows(transA, transB, m, n, k, a, aRows, b, bRows, null, expected, cRows, accumulate);
                Gemm.multiplyRows(transA, transB, m, n, k, a, aRows, b, bRows, null, actual, cRows, accumulate, null);
                float tolerance = 2e-6f * (k + 1);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], tolerance, "m=" + m + " n=" + n + " k=" + k + " variant " + variant + " at " + i);
                }
            }
        }
    }

    @Test
    void transposedBThroughAColumnTableIsItsDenseCopy() {
        // B [n, k] given as rows plus a table of where each step lies, some steps negative (zeros), as a
        // weight gradient reads dy where it lies. The same product from a dense copy of B (zeros
        // at the negative steps) must come out in the same bits, on the fast path as on the reference,
        // which the column table's own reference must match. n = 40: full panels of NR columns and
        // a right edge; k = 300: two k blocks.
        SplittableRandom random = new SplittableRandom(9);
        int m = 20, n = 40, k = 300, pitch = 500;
        float[] a = randomArray(random, m * k), b = randomArray(random, n * pitch);
        int[] aRows = rows(m, k), bRows = rows(n, pitch), denseRows = rows(n, k), cRows = rows(m, n);
        // Runs of 20 steps side by side (whole blocks for the register transpose, and steps left
        // over), each run after a zero step, at random places; and a stretch of scattered steps.
        int[] bColumns = new int[k];
        int runStart = 0;
        for (int p = 0; p < k; p++) {
            if (p % 21 == 0) runStart = random.nextInt(pitch - 20);
            bColumns[p] = p >= 200 && p < 240 ? random.nextInt(pitch) : p % 21 == 20 ? -1 : runStart + p % 21;
        }
        float[] dense = new float[n * k];
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) dense[j * k + p] = bColumns[p] < 0 ? 0f : b[bRows[j] + bColumns[p]];
        }
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] start = randomArray(random, m * n);
            float[] fromTable = start.clone(), fromDense = start.clone(), reference = start.clone();
            Gemm.multiplyRows(false, true, m, n, k, a, aRows, b, bRows, bColumns, fromTable, cRows, accumulate, null);
            Gemm.multiplyRows(false, true, m, n, k, a, aRows, dense, denseRows, null, fromDense, cRows, accumulate, null);
            GemmReference.multiplyRows(false, true, m, n, k, a, aRows, b, bRows, bColumns, reference, cRows, accumulate);
            assertArrayEquals(fromDense, fromTable, "accumulate " + accumulate);
            for (int i = 0; i < reference.length; i++) assertEquals(reference[i], fromTable[i], 2e-6f * (k + 1), "accumulate " + accumulate + " at " + i);
        }
    }

    @Test
    void rejectsAColumnTableThatDoesNotFit() {
        int[] rows = {0, 4};
        float[] a = new float[8], b = new float[8], c = new float[4];
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiplyRows(false, true, 2, 2, 2, a, new int[] {0, 2}, b, rows, new int[] {1, 4}, c, new int[] {0, 2}, false, null));
        assertTrue(outside.getMessage().contains("B row 1 [5] from offset 4"), outside.getMessage());
        IllegalArgumentException untransposed = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiplyRows(false, false, 2, 2, 2, a, new int[] {0, 2}, b, rows, new int[] {0, 1}, c, new int[] {0, 2}, false, null));
        assertTrue(untransposed.getMessage().contains("needs transB"), untransposed.getMessage());
    }

    @Test
    void aTokenOfTheSameAReusesItsPackingAndANewTokenPacksAgain() {
        // A [40, 300] is read by 20 panels of B, enough to be packed. Calls with one token share the
        // packing of its first call; a new token with other values of A (same sizes, same array) packs
        // again: stale packed values would give the first A's product. The expected products come
        // from the reference, which leaves the fast path's packing buffers alone.
        SplittableRandom random = new SplittableRandom(8);
        int m = 40, n = 600, k = 300;
        float[] a = randomArray(random, m * k), b1 = randomArray(random, k * n), b2 = randomArray(random, k * n);
        int[] aRows = rows(m, k), bRows = rows(k, n), cRows = rows(m, n);
        Object token = new Object();
        assertProductWithToken(a, aRows, b1, bRows, cRows, m, n, k, token, "the first call with the token");
        assertProductWithToken(a, aRows, b2, bRows, cRows, m, n, k, token, "the same token, the same A");
        for (int i = 0; i < a.length; i++) a[i] = -2f * a[i];
        assertProductWithToken(a, aRows, b1, bRows, cRows, m, n, k, new Object(), "a new token after A changed");
    }

    private static void assertProductWithToken(float[] a, int[] aRows, float[] b, int[] bRows, int[] cRows, int m, int n, int k,
                                               Object token, String what) {
        float[] expected = new float[m * n], actual = new float[m * n];
        GemmReference.multiplyRows(false, false, m, n, k, a, aRows, b, bRows, null, expected, cRows, false);
        Gemm.multiplyRows(false, false, m, n, k, a, aRows, b, bRows, null, actual, cRows, false, token);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 2e-6f * (k + 1), what + " at " + i);
    }

    /** Where the rows of a dense [count, pitch] matrix start. */
    private static int[] rows(int count, int pitch) {
        int[] rows = new int[count];
        for (int r = 0; r < count; r++) rows[r] = r * pitch;
        return rows;
    }

    @Test
    void sameBitsOnOneTwoAndThreeThreads() {
        SplittableRandom random = new SplittableRandom(4);
        int m = 300, n = 520, k = 600; // many tiles and three k blocks
        float[] a = randomArray(random, m * k), b = randomArray(random, k * n), start = randomArray(random, m * n);
        int threadsBefore = Parallel.threads();
        try {
            float[][] results = new float[3][];
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] c = start.clone();
                Gemm.multiply(false, true, m, n, k, a, 0, b, 0, c, 0, true);
                results[threads - 1] = c;
            }
            assertArrayEquals(results[0], results[1], "1 vs 2 threads");
            assertArrayEquals(results[0], results[2], "1 vs 3 threads");
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    @Test
    void steadyStateCallsAllocateNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(5);
        int m = 200, n = 300, k = 400;
        float[] a = randomArray(random, m * k), b = randomArray(random, k * n), c = new float[m * n];
        int threadsBefore = Parallel.threads();
        try {
            Parallel.setThreads(1);
            // Until the JIT has compiled the micro-kernel, every vector is a heap object. Warm up on a
            // smaller product with the same features (edge tiles, two k blocks) until a call
            // allocates nothing, for at most 30 s on a loaded machine.
            float[] small = new float[20 * 40];
            long warmUpEnd = System.nanoTime() + 30_000_000_000L;
            long perCall;
            do {
                long start = bean.getCurrentThreadAllocatedBytes();
                Gemm.multiply(true, false, 20, 40, 260, a, 0, b, 0, small, 0, false);
                perCall = bean.getCurrentThreadAllocatedBytes() - start;
            } while (perCall > 0 && System.nanoTime() < warmUpEnd);
            Gemm.multiply(true, false, m, n, k, a, 0, b, 0, c, 0, false); // grows the packing buffers once
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5; i++) Gemm.multiply(true, false, m, n, k, a, 0, b, 0, c, 0, false);
            long allocated = bean.getCurrentThreadAllocatedBytes() - before;
            // One packing buffer would be hundreds of kilobytes; allow only the measuring call's own bytes.
            assertTrue(allocated < 1024, "5 steady-state calls allocated " + allocated + " bytes");
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        float[] small = new float[5];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(false, false, 2, 2, 2, new float[4], 0, new float[4], 0, small, 2, false));
        assertTrue(e.getMessage().contains("C [2, 2] from offset 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.multiply(false, false, -1, 2, 2, new float[4], 0, new float[4], 0, small, 0, false));
    }

    /**
     * Runs one product with random operands placed at random offsets inside larger arrays, through
     * {@link GemmVector} directly or through the facade, and compares it with the reference.
     */
    private static void checkAgainstReference(SplittableRandom random, boolean vectorKernel, int m, int n, int k,
                                              boolean transA, boolean transB, boolean accumulate) {
        int aOffset = random.nextInt(5), bOffset = random.nextInt(5), cOffset = random.nextInt(5);
        float[] a = randomArray(random, aOffset + m * k + 3);
        float[] b = randomArray(random, bOffset + k * n + 3);
        float[] expected = randomArray(random, cOffset + m * n + 3);
        float[] actual = expected.clone();
        GemmReference.multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, expected, cOffset, accumulate);
        if (vectorKernel) {
            GemmVector.multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, actual, cOffset, accumulate);
        } else {
            Gemm.multiply(transA, transB, m, n, k, a, aOffset, b, bOffset, actual, cOffset, accumulate);
        }
        float tolerance = 1e-6f * (k + 1);
        String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " accumulate=" + accumulate;
        for (int i = 0; i < expected.length; i++) {
            boolean inside = i >= cOffset && i < cOffset + m * n;
            if (inside) {
                assertEquals(expected[i], actual[i], tolerance, what + " at C[" + (i - cOffset) + "]");
            } else {
                assertEquals(expected[i], actual[i], 0f, what + ": wrote outside C at index " + i);
            }
        }
    }

    private static float[] randomArray(SplittableRandom random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
