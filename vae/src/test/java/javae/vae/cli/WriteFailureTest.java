package javae.vae.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import javae.vae.train.Checkpoints;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code javae train} when files cannot be written: a full disk or an unwritable output folder
 * ends in one line naming the file and the problem, exit code 1, no stack trace, and the previous
 * checkpoint intact and resumable.
 */
class WriteFailureTest {
    @TempDir
    Path dir;

    private Path faces;

    /** Exit code and standard error of one command line run in this JVM. */
    private record Run(int code, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(code, err.toString());
    }

    /** 8 training images of batch 4: 2 steps per epoch, a checkpoint at the end of each. */
    private Run train(Path out, int epochs, boolean resume) {
        List<String> args = new ArrayList<>(List.of("train", "--data", faces.toString(), "--epochs", Integer.toString(epochs), "--batch", "4",
                "--dim-z", "4", "--limit", "8", "--valid-limit", "4", "--threads", "1", "--out", out.toString()));
        if (resume) args.add("--resume");
        return run(args.toArray(new String[0]));
    }

    /** The one line on stderr of a failed run. */
    private static String oneLineError(Run r) {
        assertEquals(Main.EXIT_FAILURE, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr, got: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        return lines[0];
    }

    @BeforeEach
    void makeFaces() {
        faces = dir.resolve("faces");
        assertEquals(0, run("make-faces", "--out", faces.toString(), "--count", "20").code());
    }

    @Test
    void aFullDiskStopsTrainingInOneLineAndTheLastCheckpointResumes() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "needs /dev/full (Linux): the kernel's own 'No space left on device'");
        Path out = dir.resolve("run");
        assertEquals(0, train(out, 1, false).code());
        Path good = out.resolve("checkpoints/step-000000002.safetensors"), next = out.resolve("checkpoints/step-000000004.safetensors");
        byte[] goodBytes = Files.readAllBytes(good);
        Files.createSymbolicLink(out.resolve("checkpoints/step-000000004.safetensors.tmp"), full); // the next checkpoint's bytes go nowhere

        String line = oneLineError(train(out, 2, true));
        assertEquals("javae train: training stopped at step 4 (epoch 2): " + next + ": cannot write (No space left on device);"
                + " the last good checkpoint is " + good, line);
        assertFalse(Files.exists(next, LinkOption.NOFOLLOW_LINKS), "no half-written checkpoint under the final name");
        assertArrayEquals(goodBytes, Files.readAllBytes(good));
        assertEquals("2", Checkpoints.read(good).metadata().get("step"));

        Run resumed = train(out, 2, true); // the failed write removed its temporary: there is room again
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals("4", Checkpoints.read(next).metadata().get("step"));
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"steps\": 4"));
    }

    /** Unwritable for root too: the --out path runs through a regular file. */
    @Test
    void anOutputFolderThatCannotBeCreatedIsOneLine() throws IOException {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "not a folder");
        Path out = file.resolve("run");
        assertEquals("javae train: --out " + out + ": cannot create the folder (" + out + ": Not a directory)", oneLineError(train(out, 1, false)));
    }

    /** A file where the checkpoints folder goes: the first checkpoint cannot be written, and the line says so. */
    @Test
    void aCheckpointsFolderThatCannotBeCreatedIsOneLine() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Path checkpoints = out.resolve("checkpoints");
        Files.writeString(checkpoints, "in the way");
        assertEquals("javae train: training stopped at step 2 (epoch 1): " + checkpoints.resolve("step-000000002.safetensors")
                + ": cannot write (" + checkpoints + " already exists and is not a folder); no checkpoint was written yet",
                oneLineError(train(out, 1, false)));
    }

    /** A checkpoints folder made read-only between runs; only where permissions bind (not as root). */
    @Test
    void aReadOnlyCheckpointsFolderIsOneLineAndKeepsTheLastCheckpoint() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, 1, false).code());
        Path checkpoints = out.resolve("checkpoints"), good = checkpoints.resolve("step-000000002.safetensors");
        byte[] goodBytes = Files.readAllBytes(good);
        Files.setPosixFilePermissions(checkpoints, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(checkpoints), "running as root: permissions do not deny writes");
            String line = oneLineError(train(out, 2, true));
            assertTrue(line.startsWith("javae train: training stopped at step 4 (epoch 2): "), line);
            assertTrue(line.contains("permission denied") && line.endsWith("the last good checkpoint is " + good), line);
        } finally {
            Files.setPosixFilePermissions(checkpoints, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertArrayEquals(goodBytes, Files.readAllBytes(good));
        assertEquals(0, train(out, 2, true).code(), "resumes once the folder is writable again");
    }
}
