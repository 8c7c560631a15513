package javae.vae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javae.engine.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a training process killed with SIGKILL at random moments (during a step or while
 * writing a checkpoint, which here happens after every step) and restarted with --resume until it
 * finishes ends with the same final checkpoint, byte for byte, as a run that was never killed.
 */
class KillResumeTest {
    private static final int TRIALS = 2, KILLS_PER_TRIAL = 2;

    @TempDir
    Path dir;

    private String[] trainArgs(Path faces, Path out, boolean resume) {
        List<String> args = new ArrayList<>(List.of("train", "--data", faces.toString(), "--epochs", "2", "--batch", "4", "--dim-z", "4",
                "--limit", "12", "--valid-limit", "4", "--checkpoint-minutes", "0", "--threads", "2", "--out", out.toString()));
        if (resume) args.add("--resume");
        return args.toArray(new String[0]);
    }

    private static int runInProcess(String... args) {
        return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    }

    @Test
    void killedAtRandomAndResumedEndsBitForBitLikeAnUninterruptedRun() throws Exception {
        Path faces = dir.resolve("faces");
        assertEquals(0, runInProcess("make-faces", "--out", faces.toString(), "--count", "20"));
        Path straight = dir.resolve("straight");
        assertEquals(0, runInProcess(trainArgs(faces, straight, false)));
        byte[] expected = Files.readAllBytes(straight.resolve("checkpoints/step-000000006.safetensors"));

        Rng rng = new Rng(2024);
        for (int trial = 0; trial < TRIALS; trial++) {
            Path out = dir.resolve("killed-" + trial);
            int kills = 0;
            while (true) {
                Process p = childJvm(trainArgs(faces, out, newestStep(out) > 0));
                if (kills < KILLS_PER_TRIAL && killAfterProgress(p, out, rng)) {
                    kills++;
                    continue;
                }
                assertEquals(0, p.waitFor(), "trial " + trial + ": the last, unkilled run must succeed");
                break;
            }
            assertArrayEquals(expected, Files.readAllBytes(out.resolve("checkpoints/step-000000006.safetensors")),
                    "trial " + trial + " after " + kills + " kills");
        }
    }

    /**
     * Waits until the run has written one more checkpoint than before, then a random 0-800 ms
     * (landing in a step or in the next checkpoint write), then kills it with SIGKILL. Returns
     * false if the run finished first.
     */
    private static boolean killAfterProgress(Process p, Path out, Rng rng) throws Exception {
        long before = newestStep(out);
        while (p.isAlive() && newestStep(out) <= before) Thread.sleep(20);
        if (!p.isAlive()) return false;
        if (p.waitFor(rng.nextInt(800), TimeUnit.MILLISECONDS)) return false;
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs, a checkpoint may be half written
        p.waitFor();
        return true;
    }

    /** The step of the newest checkpoint file (intact or not), 0 when there is none. */
    private static long newestStep(Path out) throws IOException {
        Path checkpoints = out.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) return 0;
        try (var files = Files.list(checkpoints)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.safetensors"))
                    .mapToLong(n -> Long.parseLong(n.substring(5, n.length() - ".safetensors".length()))).max().orElse(0);
        }
    }

    /** A new JVM running the CLI with this test's class path, its output discarded. */
    private static Process childJvm(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
