package javae.engine.kernels;

/**
 * Decides, once per JVM, whether the fast kernels may use the JDK Vector API.
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which a JVM only
 * has when started with {@code --add-modules jdk.incubator.vector}. This class never touches the
 * module's classes itself: it only asks the boot layer whether the module is there. Kernel classes
 * that do use it (such as {@code GemmVector}) are referenced only behind {@link #enabled()}, so
 * without the module they are never loaded and everything runs on the scalar references.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code javae.vector=false} forces the scalar reference path (tests use it to cover both);</li>
 *   <li>{@code javae.vector.bits=256|512} chooses the vector width. The default, 512, is what
 *       measured faster for GEMM on AMD Zen 5 (bench/README.md); a width wider than the CPU's
 *       preferred one is narrowed to the preferred width.</li>
 * </ul>
 * When the module is missing (and the scalar path was not asked for), one warning line goes to stderr.
 */
public final class VectorSupport {
    /** The vector width used when {@code javae.vector.bits} is not set: the faster one measured for GEMM. */
    static final int DEFAULT_BITS = 512;

    private static final String MODULE = "jdk.incubator.vector";
    private static final boolean ENABLED = decide();
    private static final int BITS = parseBits();

    private VectorSupport() {}

    /** True when the fast kernels run on the Vector API; false on the scalar reference path. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** The requested vector width; kernels narrow it to the CPU's preferred width when that is smaller. */
    static int bits() {
        return BITS;
    }

    private static int parseBits() {
        String value = System.getProperty("javae.vector.bits", Integer.toString(DEFAULT_BITS));
        if (!value.equals("256") && !value.equals("512")) {
            throw new IllegalArgumentException("javae.vector.bits must be 256 or 512, got " + value);
        }
        return Integer.parseInt(value);
    }

    /** One line for logs and benchmarks, e.g. "vector 512-bit, 16 floats" or "scalar (javae.vector=false)". */
    public static String describe() {
        if (!ENABLED) {
            return moduleInBootLayer() ? "scalar (javae.vector=false)" : "scalar (" + MODULE + " not loaded)";
        }
        return GemmVector.describeSpecies();
    }

    private static boolean decide() {
        if (!Boolean.parseBoolean(System.getProperty("javae.vector", "true"))) return false;
        if (moduleInBootLayer()) return true;
        System.err.println("javae: WARNING: the Vector API is not available (run java with --add-modules "
                + MODULE + "); using the slower scalar kernels");
        return false;
    }

    private static boolean moduleInBootLayer() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }
}
