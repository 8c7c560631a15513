package javae.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Access to the golden files PyTorch wrote into src-test-data (see
 * src-test-data/generate/make_golden.py), and the comparison the golden tests make.
 */
public final class Golden {
    private Golden() {}

    /**
     * {@code src-test-data/golden/<sub>}: the folder comes from the system property
     * {@code javae.testdata} (set by Surefire), else ../src-test-data relative to the module.
     */
    public static Path dir(String sub) {
        String property = System.getProperty("javae.testdata");
        Path root = property != null ? Paths.get(property) : Paths.get("..", "src-test-data");
        Path dir = root.resolve("golden").resolve(sub);
        if (!Files.isDirectory(dir)) fail("golden folder " + dir.toAbsolutePath() + " is missing (regenerate with src-test-data/generate/make_golden.py)");
        return dir;
    }

    /**
     * Asserts {@code |actual - expected| <= atol + rtol * |expected|} element by element (NumPy's
     * allclose) and equal shapes; on failure reports how many elements are off, the worst one with
     * its index, and the largest absolute and relative differences.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data(), a = actual.data();
        int off = 0, worst = -1;
        double worstExcess = 0, maxAbs = 0, maxRel = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            if (Double.isNaN(diff)) diff = Double.POSITIVE_INFINITY; // a NaN is never close
            double excess = diff - (atol + rtol * Math.abs(e[i]));
            maxAbs = Math.max(maxAbs, diff);
            if (e[i] != 0) maxRel = Math.max(maxRel, diff / Math.abs(e[i]));
            if (excess > 0) {
                off++;
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = i;
                }
            }
        }
        if (off > 0) {
            fail(String.format("%s: %d of %d elements off; worst at %s: expected %.8g, got %.8g; max |diff| %.3g, max rel %.3g (tolerance %.1g + %.1g*|expected|)",
                    what, off, e.length, Arrays.toString(index(expected.shape(), worst)), e[worst], a[worst], maxAbs, maxRel, atol, rtol));
        }
    }

    /** The full index of the flat position {@code flat} in {@code shape}. */
    private static int[] index(Shape shape, int flat) {
        int[] strides = shape.strides();
        int[] index = new int[strides.length];
        for (int d = 0; d < strides.length; d++) {
            index[d] = flat / strides[d];
            flat %= strides[d];
        }
        return index;
    }
}
