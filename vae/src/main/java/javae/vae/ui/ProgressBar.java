package javae.vae.ui;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A progress bar for long work, written to standard error:
 * <pre>
 * train epoch 3  [#########...............]  38%  2432/6400  812.4 img/s  ETA 0:04  loss=412.3 kl=31.2
 * </pre>
 * On a terminal it redraws one line with {@code \r}, at most ten times a second. When standard
 * error is not a terminal (a log file, a pipe, CI) it prints a plain line every 5% or every 10
 * seconds instead, so logs stay readable. {@link #finish()} prints the final line either way.
 *
 * <p>The system property {@code javae.progress} forces a mode: {@code terminal}, {@code plain} or
 * {@code off}. All methods are thread-safe, so parallel workers may call {@link #step()}.
 */
public final class ProgressBar implements AutoCloseable {
    /** How the bar draws itself. */
    public enum Mode {
        /** Redraw one line in place with carriage returns. */
        TERMINAL,
        /** A new line every 5% or 10 seconds, for logs. */
        PLAIN,
        /** Print nothing. */
        OFF
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long TERMINAL_REDRAW_NANOS = NANOS_PER_SECOND / 10;
    private static final long PLAIN_INTERVAL_NANOS = 10 * NANOS_PER_SECOND;
    private static final int PLAIN_STEPS = 20; // a plain line every 5%
    private static final int BAR_WIDTH = 24;
    private static final int DEFAULT_TERMINAL_COLUMNS = 120;

    private final String task;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private long done;
    private long lastDrawNanos;
    private long lastDrawnStep;
    private int lastLineLength;
    private boolean finished;

    /**
     * A bar for {@code total} units of work (0 or less if unknown) that draws on standard error in
     * the mode that suits it (see {@link #detectMode()}).
     *
     * @param task what is being done, printed first, e.g. "caching CelebA"
     * @param total the amount of work, in {@code unit}s
     * @param unit the name of one unit of work in the rate, e.g. "img" gives "812.4 img/s"
     */
    public static ProgressBar create(String task, long total, String unit) {
        return new ProgressBar(task, total, unit, System.err, detectMode(), System::nanoTime);
    }

    /** A bar that prints nothing, for callers that want no output (tests, library use). */
    public static ProgressBar silent() {
        return new ProgressBar("", 0, "it", System.err, Mode.OFF, System::nanoTime);
    }

    /**
     * A bar with every choice explicit; tests pass their own stream and clock.
     *
     * @param nanoClock a monotonic clock in nanoseconds, like {@link System#nanoTime()}
     */
    public ProgressBar(String task, long total, String unit, PrintStream out, Mode mode, LongSupplier nanoClock) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.mode = mode;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /**
     * The mode for standard error: the {@code javae.progress} property if set; otherwise plain
     * when a {@code CI} environment variable is set or there is no interactive console, else
     * terminal. Java cannot ask whether standard error itself is a terminal; the console (standard
     * input and output) is the best available sign.
     */
    public static Mode detectMode() {
        String forced = System.getProperty("javae.progress");
        if (forced != null) return Mode.valueOf(forced.trim().toUpperCase(Locale.ROOT));
        if (System.getenv("CI") != null || "dumb".equals(System.getenv("TERM"))) return Mode.PLAIN;
        return consoleIsTerminal() ? Mode.TERMINAL : Mode.PLAIN;
    }

    // Since JDK 22 System.console() may return a console even when redirected; Console.isTerminal()
    // (JDK 22+) tells the difference. On older JDKs a non-null console is a terminal.
    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }

    /** Records one more unit of work done. */
    public void step() {
        step(1);
    }

    /** Records {@code count} more units of work done. */
    public synchronized void step(long count) {
        done += count;
        maybeDraw();
    }

    /** Sets the amount of work done so far. */
    public synchronized void set(long doneSoFar) {
        done = doneSoFar;
        maybeDraw();
    }

    /** Shows {@code name=value} after the rate; a later call with the same name replaces it. */
    public synchronized void field(String name, String value) {
        fields.put(name, value);
    }

    /** Shows {@code name=value} with four significant digits, e.g. {@code loss=412.3}. */
    public void field(String name, double value) {
        field(name, formatNumber(value));
    }

    /** Prints the final line (with the total time) and ends it with a newline; later calls do nothing. */
    public synchronized void finish() {
        if (finished) return;
        finished = true;
        if (mode == Mode.OFF) return;
        String line = line() + "  in " + formatDuration(elapsedSeconds());
        if (mode == Mode.TERMINAL) out.print("\r" + fitToTerminal(line) + "\n");
        else out.println(line);
        out.flush();
    }

    /** Same as {@link #finish()}, so a bar can live in a try-with-resources block. */
    @Override
    public void close() {
        finish();
    }

    /** The amount of work done so far. */
    public synchronized long done() {
        return done;
    }

    /**
     * The status line as it would be drawn now, without the carriage return. The rate is the
     * average since the bar started, so the ETA is steady rather than jumpy.
     */
    public synchronized String line() {
        double seconds = elapsedSeconds();
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder line = new StringBuilder(task);
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            line.append("  ").append(bar(fraction))
                .append(String.format(Locale.ROOT, "  %3d%%  %d/%d", (int) Math.floor(fraction * 100), done, total));
        } else {
            line.append("  ").append(done);
        }
        line.append("  ").append(formatRate(rate)).append(' ').append(unit).append("/s");
        if (total > 0 && !finished) line.append("  ETA ").append(eta(rate));
        for (Map.Entry<String, String> field : fields.entrySet()) {
            line.append("  ").append(field.getKey()).append('=').append(field.getValue());
        }
        return line.toString();
    }

    private void maybeDraw() {
        if (mode == Mode.OFF || finished) return;
        long now = nanoClock.getAsLong();
        if (mode == Mode.TERMINAL) {
            if (now - lastDrawNanos < TERMINAL_REDRAW_NANOS) return;
            out.print("\r" + fitToTerminal(line()));
        } else {
            // which 5% step the work is in; integer, so no rounding skips a step
            long step = total > 0 ? Math.min(done, total) * PLAIN_STEPS / total : 0;
            if (step == lastDrawnStep && now - lastDrawNanos < PLAIN_INTERVAL_NANOS) return;
            out.println(line());
            lastDrawnStep = step;
        }
        out.flush();
        lastDrawNanos = now;
    }

    // A line wider than the terminal would wrap, and \r would then redraw only its last part; so it
    // is cut to the width ($COLUMNS if exported, else 120). A shorter line must blank out the tail
    // of the longer one it overwrites.
    private String fitToTerminal(String fullLine) {
        String line = fullLine.length() < terminalColumns() ? fullLine : fullLine.substring(0, terminalColumns() - 1);
        int previous = lastLineLength;
        lastLineLength = line.length();
        return line.length() >= previous ? line : line + " ".repeat(previous - line.length());
    }

    static int terminalColumns() {
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "")));
        } catch (NumberFormatException notSet) {
            return DEFAULT_TERMINAL_COLUMNS;
        }
    }

    private String eta(double rate) {
        if (done >= total) return formatDuration(0);
        if (rate <= 0) return "?";
        return formatDuration((total - done) / rate);
    }

    private double elapsedSeconds() {
        return (nanoClock.getAsLong() - startNanos) / (double) NANOS_PER_SECOND;
    }

    private static String bar(double fraction) {
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** A duration as {@code m:ss}, or {@code h:mm:ss} from one hour on; e.g. 75 s is "1:15". */
    static String formatDuration(double seconds) {
        long whole = Math.round(seconds);
        long hours = whole / 3600, minutes = (whole % 3600) / 60, secs = whole % 60;
        if (hours > 0) return String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs);
        return String.format(Locale.ROOT, "%d:%02d", minutes, secs);
    }

    /** A rate with one decimal below 100 and none above, e.g. "8.3", "812". */
    static String formatRate(double perSecond) {
        return perSecond < 100 ? String.format(Locale.ROOT, "%.1f", perSecond) : String.format(Locale.ROOT, "%.0f", perSecond);
    }

    /** A number with four significant digits, without exponent between 1e-4 and 1e6. */
    static String formatNumber(double value) {
        if (!Double.isFinite(value)) return String.valueOf(value);
        double magnitude = Math.abs(value);
        if (value != 0 && (magnitude < 1e-4 || magnitude >= 1e6)) return String.format(Locale.ROOT, "%.3e", value);
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
