package javae.vae.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writing output files so that a crash or a full disk never leaves half a file: write a temporary
 * file beside the target, force it to disk, rename it over the target in one step, then force the
 * folder, so that a power loss cannot undo the rename. Until the rename the old file, if any, is
 * untouched; a write that fails removes its temporary file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Fills the temporary file that {@link #write(Path, Content)} then moves into place. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    /** Writes {@code text} (UTF-8) to {@code file} atomically. */
    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, temporary -> {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) channel.write(buffer);
            }
        });
    }

    /**
     * Writes {@code file} atomically with whatever {@code content} puts into the temporary file
     * {@code <file>.tmp}, creating the folder if needed.
     *
     * @throws IOException naming {@code file} and the problem, e.g. "No space left on device"
     */
    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            content.writeTo(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true); // the bytes on disk before the rename makes them the file
            }
            moveIntoPlace(temporary, file);
            forceFolder(dir);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(temporary, e);
            if (e instanceof IOException io) throw new IOException(file + ": cannot write (" + problem(io) + ")", e);
            throw e;
        }
    }

    /**
     * What went wrong in a failed file operation, in a few words naming the path involved, e.g.
     * "permission denied: /out/run" or "No space left on device".
     */
    public static String problem(IOException e) {
        if (e instanceof NoSuchFileException missing) return "no such file or folder: " + missing.getFile();
        if (e instanceof AccessDeniedException denied) return "permission denied: " + denied.getFile();
        if (e instanceof FileAlreadyExistsException taken) {
            boolean folder = taken.getFile() != null && Files.isDirectory(Path.of(taken.getFile()));
            return taken.getFile() + " already exists" + (folder ? "" : " and is not a folder");
        }
        if (e instanceof FileSystemException fs) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void moveIntoPlace(Path temporary, Path file) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces a folder's entries (a rename) to disk, on the platforms where a folder can be opened (not Windows). */
    private static void forceFolder(Path dir) throws IOException {
        FileChannel folder;
        try {
            folder = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException cannotOpenFolders) {
            return;
        }
        try (folder) {
            folder.force(true);
        }
    }

    /** Removes what a failed write left at the temporary name: half a file that nothing will ever finish. */
    private static void deleteAfterFailure(Path temporary, Exception failure) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
