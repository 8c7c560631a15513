package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javae.vae.report.AtomicFiles;

/** Checks an {@code --out} folder before any work starts, so a bad one fails at once with its name. */
final class OutputFolder {
    private OutputFolder() {}

    /** Creates {@code dir} if needed and checks that files can be written into it. */
    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserInputException("--out " + dir + ": cannot create the folder (" + AtomicFiles.problem(e) + ")");
        }
        if (!Files.isWritable(dir)) throw new UserInputException("--out " + dir + ": the folder is not writable");
        return dir;
    }
}
