package javae.vae.cli;

import javae.engine.kernels.Parallel;
import picocli.CommandLine.Option;

/** {@code --threads}: the size of javae's compute pool, for every command that computes. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: the available processors).")
    private Integer threads;

    /** Applies the option, if given. */
    void apply() {
        if (threads == null) return;
        if (threads < 1) throw new UserInputException("--threads must be at least 1, got " + threads);
        Parallel.setThreads(threads);
    }
}
