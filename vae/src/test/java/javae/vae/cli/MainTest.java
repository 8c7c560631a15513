package javae.vae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javae.vae.data.CelebA;
import javae.vae.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help everywhere, one clear line and a non-zero exit for bad input, and a tiny real run. */
class MainTest {
    @TempDir
    Path dir;

    /** Exit code, standard output and standard error of one command line. */
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Run r, String mustMention) {
        assertTrue(r.code() != 0, "exit code should be non-zero");
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr, got: " + r.err());
        assertTrue(lines[0].contains(mustMention), "the line should mention " + mustMention + ": " + lines[0]);
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"demo", "train", "make-faces", "sample", "reconstruct", "interpolate", "latent-map", "attribute", "traverse"}) {
            Run r = run(command, "--help");
            assertEquals(0, r.code(), command + " --help");
            assertTrue(r.out().contains("Usage: javae " + command), command + ": " + r.out());
        }
    }

    @Test
    void aMissingDataFolderIsOneLine() {
        Path missing = dir.resolve("no-such-folder");
        assertOneLineError(run("train", "--data", missing.toString(), "--out", dir.resolve("out").toString()), missing.toString());
    }

    @Test
    void aCorruptCheckpointIsOneLineNamingTheFile() throws IOException {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertOneLineError(run("sample", "--model", bad.toString(), "--out", dir.toString()), bad.toString());
    }

    @Test
    void aMissingCheckpointIsOneLine() {
        Path missing = dir.resolve("nothing-here");
        assertOneLineError(run("sample", "--model", missing.toString()), missing.toString());
    }

    @Test
    void aBadOptionValueIsOneLineWithUsageExitCode() {
        Run r = run("train", "--epochs", "many");
        assertEquals(Main.EXIT_USAGE, r.code());
        assertOneLineError(r, "many");
    }

    /** Too few points for the perplexity: the one line, and no progress bar printed before it. */
    @Test
    void tooFewPointsForTsneIsOneLineWithoutAProgressBar() throws IOException {
        Path points = dir.resolve("few.csv");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 20; i++) csv.append(i).append(',').append(i % 3).append('\n');
        Files.writeString(points, csv);
        java.io.PrintStream standardError = System.err;
        java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();
        String previous = System.setProperty("javae.progress", "plain");
        Run r;
        try {
            System.setErr(new java.io.PrintStream(bar, true));
            r = run("tsne", "--input", points.toString(), "--out", dir.resolve("tsne").toString());
        } finally {
            System.setErr(standardError);
            if (previous == null) System.clearProperty("javae.progress");
            else System.setProperty("javae.progress", previous);
        }
        assertOneLineError(r, "at least 3 * perplexity + 1 = 91 points");
        assertEquals("", bar.toString(), "nothing on the progress stream");
    }

    /** A library message that names its operation ("gmm: ...") gets the command's prefix once, not "javae gmm: gmm: ...". */
    @Test
    void anErrorCarriesTheCommandPrefixOnce() {
        Run r = run("gmm", "--epochs", "0", "--out", dir.resolve("gmm").toString());
        assertOneLineError(r, "epochs");
        assertEquals(Main.EXIT_FAILURE, r.code());
        assertEquals("javae gmm: components, dim, samples, evalSamples, latent, epochs and batch must be positive, got 10, 3, 10000, 2000, 3, 0, 128",
                r.err().strip());
    }

    @Test
    void makeFacesTrainAndSampleWorkEndToEnd() throws IOException {
        Path faces = dir.resolve("faces"), out = dir.resolve("run");
        assertEquals(0, run("make-faces", "--out", faces.toString(), "--count", "20").code());
        Run train = run("train", "--data", faces.toString(), "--epochs", "1", "--batch", "4", "--dim-z", "4", "--limit", "8",
                "--out", out.toString(), "--threads", "1");
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.exists(out.resolve("checkpoints/step-000000002.safetensors")));
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"final_valid_loss\""));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size());

        Run sample = run("sample", "--model", out.toString(), "--out", out.resolve("fig").toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(Files.size(out.resolve("fig/samples.png")) > 0);
        assertTrue(Files.readString(out.resolve("fig/metrics.json")).contains("\"samples\": 20"));

        // The same model on images of another size is refused in one line.
        Path mnistLike = dir.resolve("run-small");
        assertOneLineError(run("reconstruct", "--model", out.toString(), "--data", faces.toString(), "--out", mnistLike.toString(),
                "--count", "2", "--split", "nonsense"), "nonsense");
    }

    @Test
    void validateOnTestScoresTheTestSplit() throws IOException {
        Path faces = dir.resolve("faces"), out = dir.resolve("run");
        assertEquals(0, run("make-faces", "--out", faces.toString(), "--count", "20").code());
        Run train = run("train", "--data", faces.toString(), "--epochs", "1", "--batch", "4", "--dim-z", "4", "--limit", "8",
                "--validate-on", "test", "--out", out.toString(), "--threads", "1");
        assertEquals(0, train.code(), train.err());
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertTrue(metrics.contains("score the test split"), metrics);
        assertTrue(metrics.contains("\"valid_images\": " + CelebA.open(faces, Split.TEST).size() + ","), metrics);

        assertOneLineError(run("train", "--data", faces.toString(), "--validate-on", "train", "--out", dir.resolve("other").toString()),
                "--validate-on train");
    }

    @Test
    void lrScheduleCosineIsRecordedAndAnUnknownScheduleIsRefusedInOneLine() throws IOException {
        Path faces = dir.resolve("faces"), out = dir.resolve("run");
        assertEquals(0, run("make-faces", "--out", faces.toString(), "--count", "20").code());
        Run train = run("train", "--data", faces.toString(), "--epochs", "1", "--batch", "4", "--dim-z", "4", "--limit", "8",
                "--lr-schedule", "cosine", "--out", out.toString(), "--threads", "1");
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"lr_schedule\": \"cosine\""));

        assertOneLineError(run("train", "--data", faces.toString(), "--lr-schedule", "step", "--out", dir.resolve("other").toString()),
                "--lr-schedule step: expected constant or cosine");
        assertFalse(Files.exists(dir.resolve("other")), "refused before making the output folder");
    }
}
