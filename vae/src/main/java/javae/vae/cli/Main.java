package javae.vae.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import javae.vae.data.DataException;
import javae.vae.report.AtomicFiles;
import javae.vae.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code javae} command line. Every command has {@code --help}; bad input ends with one line
 * naming the file or value, exit code 1 (2 for a bad option), and no stack trace.
 */
@Command(name = "javae", mixinStandardHelpOptions = true, version = "javae 0.1.0",
        description = "Variational autoencoders on a pure-Java tensor engine.",
        subcommands = {
            DemoCommand.class, TrainCommand.class, MakeFacesCommand.class, SampleCommand.class,
            ReconstructCommand.class, InterpolateCommand.class, LatentMapCommand.class,
            AttributeCommand.class, TraverseCommand.class, TsneCommand.class, GmmCommand.class, ExplainCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for input the command cannot use (a missing file, a bad checkpoint, NaN in training). */
    static final int EXIT_FAILURE = 1;
    /** Exit code for an unknown command or a bad option value. */
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; all errors end here as one line on {@code err}. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("javae: " + e.getMessage() + " (see: " + commandPath(e.getCommandLine()) + " --help)");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("javae " + cmd.getCommandName() + ": " + withoutPrefix(describe(e), cmd.getCommandName()));
            if (System.getenv("JAVAE_DEBUG") != null) e.printStackTrace(err);
            return EXIT_FAILURE;
        });
        try {
            return commandLine.execute(args);
        } catch (Error e) { // not an input problem: still one line, the trace only on request
            err.println("javae: " + describe(e) + (System.getenv("JAVAE_DEBUG") == null ? " (JAVAE_DEBUG=1 shows the stack trace)" : ""));
            if (System.getenv("JAVAE_DEBUG") != null) e.printStackTrace(err);
            return EXIT_FAILURE;
        }
    }

    private static String commandPath(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }

    /**
     * The message without a leading {@code "<command>: "}: the library names its operation in its
     * messages ({@code "gmm: learning rate must be positive"}), which the command's own prefix
     * {@code "javae gmm: "} already says.
     */
    static String withoutPrefix(String message, String command) {
        String prefix = command + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** One line for any failure: the message when it names the problem, else the kind of failure too. */
    static String describe(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof FileSystemException fs) return AtomicFiles.problem(fs);
        if (t instanceof OutOfMemoryError) return "out of memory; try a smaller --batch or give Java more heap (JAVAE_JVM_OPTS=-Xmx4g)";
        String message = t.getMessage() == null ? "" : t.getMessage().replace('\n', ' ').trim();
        boolean selfExplaining = t instanceof IOException || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof UserInputException
                || t instanceof TrainingDivergedException || t instanceof DataException;
        if (selfExplaining && !message.isEmpty()) return message;
        return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
