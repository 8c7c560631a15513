package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javae.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * The vector exp, log, tanh, softplus and sigmoid give the same bits interpreted as compiled.
 * The Vector API's own lanewise EXP/LOG/TANH did not (SVML when compiled, per-lane Math calls when
 * interpreted), so a training run's bits depended on JIT timing. This JVM warms the kernels up
 * until C2 compiles them; a child JVM runs them once with {@code -Xint}; the hashes must agree.
 */
class VectorMathDeterminismTest {

    @Test
    void interpretedAndCompiledKernelsGiveTheSameBits() throws Exception {
        assumeTrue(VectorSupport.enabled(), "the Vector API path is off in this JVM");
        long compiled = 0;
        for (int round = 0; round < 4000; round++) compiled = hashOfKernels();
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", classesOf(ElementwiseVector.class) + File.pathSeparator + classesOf(VectorMathDeterminismTest.class),
                VectorMathDeterminismTest.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, process.exitValue(), "child JVM exit status");
        assertEquals(Long.toString(compiled), out, "interpreted (-Xint) kernels differ from compiled ones");
    }

    /** Entry point of the interpreted child: prints the hash once. */
    public static void main(String[] args) {
        System.out.println(hashOfKernels());
    }

    /** Every transcendental kernel over seeded inputs spanning the ranges they meet, hashed bit by bit. */
    static long hashOfKernels() {
        Rng rng = new Rng(2024);
        float[] x = new float[1024];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * 30);
        float[] positive = new float[x.length];
        for (int i = 0; i < x.length; i++) positive[i] = Math.abs(x[i]) + 1e-3f;
        float[] out = new float[x.length];
        long hash = 17;
        ElementwiseVector.exp(x, out);
        hash = mix(hash, out);
        ElementwiseVector.log(positive, out);
        hash = mix(hash, out);
        ElementwiseVector.tanh(x, out, 0, x.length);
        hash = mix(hash, out);
        ElementwiseVector.softplus(x, out);
        hash = mix(hash, out);
        ElementwiseVector.sigmoid(x, out);
        return mix(hash, out);
    }

    private static long mix(long hash, float[] values) {
        for (float v : values) hash = hash * 31 + Float.floatToRawIntBits(v);
        return hash;
    }

    private static String classesOf(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
