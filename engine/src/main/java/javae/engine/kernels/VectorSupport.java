package javae.engine.kernels;

/**
 * Whether javae's kernels may use the Vector API ({@code jdk.incubator.vector}). It is an incubator
 * module, present only when the JVM runs with {@code --add-modules jdk.incubator.vector}; without it
 * the kernels take their scalar reference paths and one warning line says so. The system property
 * {@code javae.vector=false} forces the scalar paths (for tests and baselines).
 */
public final class VectorSupport {
    private VectorSupport() {}

    private static final boolean ENABLED = decide();

    /** True when the vector kernels are used. */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean decide() {
        if (!Boolean.parseBoolean(System.getProperty("javae.vector", "true"))) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.err.println("javae: jdk.incubator.vector is not available (add --add-modules jdk.incubator.vector); using scalar kernels");
            return false;
        }
        return true;
    }
}
