package javae.vae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javae.vae.train.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) in a training process: the step finishes, a checkpoint is written, the process
 * exits 130, and metrics.json and metrics.csv describe exactly the run that checkpoint holds.
 */
class CtrlCTest {
    @TempDir
    Path dir;

    @Test
    void ctrlCLeavesACheckpointAndMetricsThatAgreeAndExits130() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")), "needs kill(1) to send SIGINT");
        Path faces = dir.resolve("faces"), out = dir.resolve("run"), log = dir.resolve("train.log");
        assertEquals(0, Main.run(new String[] {"make-faces", "--out", faces.toString(), "--count", "20"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true)));
        // 30 epochs of 2 steps, a checkpoint after each: far from done when the signal comes after the first.
        Process p = childJvm(log, "train", "--data", faces.toString(), "--epochs", "30", "--batch", "4", "--dim-z", "4", "--limit", "8",
                "--valid-limit", "4", "--checkpoint-minutes", "0", "--threads", "1", "--out", out.toString());
        try {
            while (p.isAlive() && !Files.exists(out.resolve("checkpoints/step-000000001.safetensors"))) Thread.sleep(20);
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run stops within a step of Ctrl-C");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(log);
        assumeTrue(p.exitValue() != 0 || err.contains("SIGINT"), "SIGINT is ignored in this environment (a background job): " + err);
        assertEquals(130, p.exitValue(), err);

        Matcher interrupted = Pattern.compile("javae train: interrupted after step (\\d+)").matcher(err);
        assertTrue(interrupted.find(), err);
        long step = Long.parseLong(interrupted.group(1));
        assertTrue(step >= 1 && step < 60, "stopped part way: step " + step);
        Path checkpoint = out.resolve(String.format("checkpoints/step-%09d.safetensors", step));
        Checkpoints.Contents contents = Checkpoints.read(checkpoint);
        assertEquals(Long.toString(step), contents.metadata().get("step"));
        try (var files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(checkpoint.getFileName().toString(), files.map(f -> f.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow(),
                    "the newest file in checkpoints/ is the one the message names");
        }

        String json = Files.readString(out.resolve("metrics.json"));
        long epochs = step / 2;
        assertTrue(json.contains("\"steps\": " + step + ",") && json.contains("\"complete\": false,") && json.contains("\"epochs\": " + epochs + ","), json);
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(1 + epochs, csv.size(), "a header and one row per epoch the checkpoint holds: " + csv);
        String history = contents.metadata().get("history");
        for (String row : csv.subList(1, csv.size())) assertTrue(history.contains(row + ";"), row + " is in the checkpoint's history " + history);
    }

    /** A new JVM running the CLI with this test's class path, its standard error to {@code log}. */
    private static Process childJvm(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
    }
}
