package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The choice between the Vector API and the scalar path is made once per JVM, so each case runs in
 * a child JVM (the same java, this module's classes) that prints {@link VectorSupport#describe()}
 * and whether its GEMM matched the reference.
 */
class VectorSupportTest {

    /** The child JVM's entry point: one GEMM large enough for the packed kernel, checked against the reference. */
    public static void main(String[] args) {
        SplittableRandom random = new SplittableRandom(7);
        int m = 70, n = 90, k = 300;
        float[] a = new float[m * k], b = new float[k * n], expected = new float[m * n], actual = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) random.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextDouble();
        GemmReference.multiply(false, true, m, n, k, a, 0, b, 0, expected, 0, false);
        Gemm.multiply(false, true, m, n, k, a, 0, b, 0, actual, 0, false);
        double maxError = 0;
        for (int i = 0; i < expected.length; i++) maxError = Math.max(maxError, Math.abs(expected[i] - actual[i]));
        System.out.println(VectorSupport.describe());
        System.out.println(maxError <= 1e-6 * k ? "gemm ok" : "gemm max error " + maxError);
    }

    @Test
    void vectorPathWhenTheModuleIsLoaded() throws Exception {
        Child child = runChild(true);
        assertEquals(2, child.stdout.size(), "child output: " + child.stdout);
        assertTrue(child.stdout.get(0).startsWith("vector "), child.stdout.get(0));
        assertEquals("gemm ok", child.stdout.get(1));
        assertTrue(child.stderrLinesMentioning("javae").isEmpty(), "no javae warning: " + child.stderr);
    }

    @Test
    void narrowerSpeciesOnRequest() throws Exception {
        Child child = runChild(true, "-Djavae.vector.bits=256");
        assertEquals(List.of("vector 256-bit, 8 floats", "gemm ok"), child.stdout);
    }

    @Test
    void scalarPathOnRequestIsSilent() throws Exception {
        Child child = runChild(true, "-Djavae.vector=false");
        assertEquals(List.of("scalar (javae.vector=false)", "gemm ok"), child.stdout);
        assertTrue(child.stderrLinesMentioning("javae").isEmpty(), "no javae warning when asked: " + child.stderr);
    }

    @Test
    void scalarPathWithOneWarningWithoutTheModule() throws Exception {
        Child child = runChild(false);
        assertEquals(List.of("scalar (jdk.incubator.vector not loaded)", "gemm ok"), child.stdout);
        List<String> warnings = child.stderrLinesMentioning("javae");
        assertEquals(1, warnings.size(), "exactly one warning line: " + child.stderr);
        assertTrue(warnings.get(0).contains("--add-modules jdk.incubator.vector"), warnings.get(0));
    }

    private record Child(List<String> stdout, List<String> stderr) {
        List<String> stderrLinesMentioning(String word) {
            List<String> lines = new ArrayList<>();
            for (String line : stderr) if (line.contains(word)) lines.add(line);
            return lines;
        }
    }

    private static Child runChild(boolean withModule, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (withModule) command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", classesOf(Gemm.class) + File.pathSeparator + classesOf(VectorSupportTest.class),
                VectorSupportTest.class.getName()));
        Path err = File.createTempFile("javae-child", ".err").toPath();
        try {
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
            List<String> stderr = Files.readAllLines(err);
            assertEquals(0, process.exitValue(), "child JVM exit status; stderr: " + stderr);
            return new Child(out.lines().toList(), stderr);
        } finally {
            Files.delete(err);
        }
    }

    private static String classesOf(Class<?> type) {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
