package javae.vae.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: a failed write (full disk, a file in the way) names the file and leaves the old one and no temporary. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteReplacesTheFileAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("sub/metrics.json");
        AtomicFiles.write(file, "first");
        AtomicFiles.write(file, "second");
        assertEquals("second", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("sub/metrics.json.tmp")));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("metrics.csv");
        AtomicFiles.write(file, "epoch,loss\n1,412.5\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, temporary -> {
            Files.writeString(temporary, "epoch,loss\n1,41"); // half the new content, then the disk is full
            throw new IOException("No space left on device");
        }));
        assertEquals(file + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("epoch,loss\n1,412.5\n", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("metrics.csv.tmp")), "the half-written temporary is removed");
    }

    /** The kernel's own ENOSPC: the temporary name is a link to /dev/full, which refuses every byte. */
    @Test
    void aRealFullDeviceFailsTheSameWay() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "needs /dev/full (Linux)");
        Path file = dir.resolve("metrics.json");
        AtomicFiles.write(file, "{\"epochs\": 1}\n");
        Files.createSymbolicLink(dir.resolve("metrics.json.tmp"), full);

        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, "{\"epochs\": 2}\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(file + ": cannot write (No space left on device)", e.getMessage());
        assertEquals("{\"epochs\": 1}\n", Files.readString(file));
        assertFalse(Files.exists(dir.resolve("metrics.json.tmp"), LinkOption.NOFOLLOW_LINKS));
    }

    /** An unwritable folder, even for root: its path runs through a regular file. */
    @Test
    void aFolderThatCannotBeCreatedIsNamed() throws IOException {
        Path notAFolder = dir.resolve("plain-file");
        Files.writeString(notAFolder, "not a folder");
        Path file = notAFolder.resolve("run/metrics.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, "{}"));
        assertTrue(e.getMessage().startsWith(file + ": cannot write ("), e.getMessage());
        assertTrue(e.getMessage().contains(notAFolder.toString()) && e.getMessage().contains("Not a directory"), e.getMessage());
    }

    @Test
    void aFileWhereTheFolderShouldBeIsNamedAsSuch() throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        Files.writeString(checkpoints, "a file in the way");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(checkpoints.resolve("step-1.safetensors"), "x"));
        assertTrue(e.getMessage().endsWith("(" + checkpoints + " already exists and is not a folder)"), e.getMessage());
    }
}
