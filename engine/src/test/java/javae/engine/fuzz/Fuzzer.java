package javae.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.Rng;

/**
 * Deterministic fuzzing of a file reader, shared by the engine's and the application's tests.
 *
 * <p>Each case is a mutation of a small valid file, drawn from a seeded {@link Rng}: truncation at
 * every length, flipped bytes, bytes overwritten from an alphabet of the format's own characters
 * (digits, brackets, quotes), runs of bytes deleted or repeated, and integers written over a
 * declared size. The case is written to {@link #file()} and handed to the reader, which must either
 * read it or refuse it with one of its own exception types and a one-line message naming the file.
 * Anything else (NullPointerException, ArrayIndexOutOfBoundsException, OutOfMemoryError,
 * StackOverflowError, a message without the file's name) is recorded as a bug; {@link #check}
 * fails with every distinct bug found and the case that showed it. A case slower than
 * {@link #SLOW_CASE} counts as a hang.
 */
public final class Fuzzer {
    /** What is fuzzed: reads {@code file}, throwing the reader's own exceptions on bad input. */
    @FunctionalInterface
    public interface Reader {
        void read(Path file) throws Exception;
    }

    /** A case taking longer than this is reported as a hang. */
    static final Duration SLOW_CASE = Duration.ofSeconds(5);
    /** Distinct bugs listed in a failure; more would only repeat the pattern. */
    private static final int MAX_BUGS_LISTED = 12;

    private final String name;
    private final Path file;
    private final Reader reader;
    private final List<Class<? extends Throwable>> ownErrors;
    private final Rng rng;
    private final Map<String, String> bugs = new LinkedHashMap<>(); // kind of bug -> first case and message
    private int cases, accepted, refused;
    private volatile String current = "(none yet)";

    /**
     * @param name      the reader's name, for the summary
     * @param file      where each case is written (its file name is what messages must mention)
     * @param seed      the seed of every random mutation
     * @param reader    the reader under test
     * @param ownErrors the exception types that are the reader's own, clear refusals
     */
    @SafeVarargs
    public Fuzzer(String name, Path file, long seed, Reader reader, Class<? extends Throwable>... ownErrors) {
        this.name = name;
        this.file = file;
        this.reader = reader;
        this.ownErrors = List.of(ownErrors);
        this.rng = new Rng(seed);
    }

    /** The path each case is written to. */
    public Path file() {
        return file;
    }

    /** The random source of the mutations, for a test's own case generators. */
    public Rng rng() {
        return rng;
    }

    /** Cases run so far. */
    public int cases() {
        return cases;
    }

    // ---- Running one case ----------------------------------------------------------------------

    /** Writes {@code bytes} to the file and reads it, recording the outcome. */
    public void run(String description, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        current = description;
        cases++;
        long start = System.nanoTime();
        try {
            reader.read(file);
            accepted++;
        } catch (Throwable t) {
            classify(description, t);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(SLOW_CASE) > 0) bugs.putIfAbsent("slow", description + ": took " + took.toMillis() + " ms");
    }

    private void classify(String description, Throwable t) {
        String where = stackTop(t);
        if (ownErrors.stream().noneMatch(type -> type.isInstance(t))) {
            bugs.putIfAbsent(t.getClass().getName() + " at " + where, description + ": " + t);
            return;
        }
        String message = t.getMessage();
        if (message == null || message.contains("\n") || message.contains("\r")) {
            bugs.putIfAbsent("multi-line or empty message from " + where, description + ": " + t);
        } else if (!message.contains(file.getFileName().toString())) {
            bugs.putIfAbsent("message without the file name from " + where, description + ": " + message);
        } else {
            refused++;
        }
    }

    private static String stackTop(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }

    /**
     * Runs {@code cases} (which calls this fuzzer's mutation methods) under a time limit for the
     * whole batch, then fails if any case showed a bug. Returns the one-line summary, also printed.
     */
    public String check(Duration limit, Runnable cases) {
        assertTimeoutPreemptively(limit, cases::run, () -> name + ": hung on case " + current + " after " + this.cases + " cases");
        String summary = summary();
        System.out.println(summary);
        if (!bugs.isEmpty()) {
            StringBuilder report = new StringBuilder(summary).append("; ").append(bugs.size()).append(" distinct bugs:");
            bugs.entrySet().stream().limit(MAX_BUGS_LISTED)
                    .forEach(b -> report.append("\n  ").append(b.getKey()).append("\n    first: ").append(b.getValue()));
            fail(report.toString());
        }
        return summary;
    }

    /** {@code "npy fuzz: 4012 cases, 310 read, 3702 refused clearly"}. */
    public String summary() {
        return name + " fuzz: " + cases + " cases, " + accepted + " read, " + refused + " refused clearly";
    }

    // ---- Mutations -----------------------------------------------------------------------------

    /** The file cut at every length from 0 to one byte short. */
    public void truncations(String label, byte[] valid) {
        for (int length = 0; length < valid.length; length++) run(label + " cut to " + length + " bytes", Arrays.copyOf(valid, length));
    }

    /** The file cut at {@code count} random lengths (for files too long to cut at every length). */
    public void randomTruncations(String label, byte[] valid, int count) {
        for (int i = 0; i < count; i++) {
            int length = rng.nextInt(valid.length);
            run(label + " cut to " + length + " bytes", Arrays.copyOf(valid, length));
        }
    }

    /** {@code count} cases, each with 1 to 4 random bytes changed to a different random value. */
    public void byteFlips(String label, byte[] valid, int count) {
        byteFlips(label, valid, 0, valid.length, count);
    }

    /** {@code count} cases, each with 1 to 4 random bytes in [from, to) changed to a different random value. */
    public void byteFlips(String label, byte[] valid, int from, int to, int count) {
        for (int i = 0; i < count; i++) {
            byte[] bytes = valid.clone();
            StringBuilder what = new StringBuilder(label).append(" with bytes changed:");
            for (int flips = 1 + rng.nextInt(4); flips > 0; flips--) {
                int at = from + rng.nextInt(to - from);
                bytes[at] ^= (byte) (1 + rng.nextInt(255));
                what.append(' ').append(at).append("=0x").append(Integer.toHexString(bytes[at] & 0xFF));
            }
            run(what.toString(), bytes);
        }
    }

    /**
     * {@code count} cases, each with 1 to 3 random bytes in [from, to) replaced by characters of
     * {@code alphabet}: mutations a text header's parser must take apart (a digit made a bracket,
     * a comma made a minus sign, a digit added to a size).
     */
    public void textEdits(String label, byte[] valid, int from, int to, String alphabet, int count) {
        byte[] characters = alphabet.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < count; i++) {
            byte[] bytes = valid.clone();
            StringBuilder what = new StringBuilder(label).append(" with text edited:");
            for (int edits = 1 + rng.nextInt(3); edits > 0; edits--) {
                int at = from + rng.nextInt(to - from);
                bytes[at] = characters[rng.nextInt(characters.length)];
                what.append(' ').append(at).append("='").append((char) bytes[at]).append('\'');
            }
            run(what.toString(), bytes);
        }
    }

    /** {@code count} cases, each with a random run of bytes deleted, repeated or replaced by random bytes. */
    public void splices(String label, byte[] valid, int count) {
        for (int i = 0; i < count; i++) {
            int start = rng.nextInt(valid.length);
            int length = 1 + rng.nextInt(Math.min(16, valid.length - start));
            byte[] run = Arrays.copyOfRange(valid, start, start + length);
            String kind;
            switch (rng.nextInt(3)) {
                case 0 -> {
                    kind = "deleted";
                    run = new byte[0];
                }
                case 1 -> {
                    kind = "repeated";
                    run = concat(run, run);
                }
                default -> {
                    kind = "randomised";
                    for (int k = 0; k < run.length; k++) run[k] = (byte) rng.nextInt(256);
                }
            }
            byte[] bytes = concat(Arrays.copyOfRange(valid, 0, start), run, Arrays.copyOfRange(valid, start + length, valid.length));
            run(label + " with bytes " + start + ".." + (start + length - 1) + " " + kind, bytes);
        }
    }

    /**
     * Cases with the {@code width}-byte integer at {@code offset} (in {@code order}) replaced by
     * each of {@link #extremeIntegers}: declared sizes that are huge, negative or just off by one.
     */
    public void declaredSizes(String label, byte[] valid, int offset, int width, ByteOrder order) {
        long original = readInteger(valid, offset, width, order);
        for (long value : extremeIntegers(original)) {
            byte[] bytes = valid.clone();
            ByteBuffer field = ByteBuffer.wrap(bytes, offset, width).order(order);
            switch (width) {
                case 2 -> field.putShort((short) value);
                case 4 -> field.putInt((int) value);
                case 8 -> field.putLong(value);
                default -> throw new IllegalArgumentException("integer width must be 2, 4 or 8, got " + width);
            }
            run(label + " with the " + width + "-byte integer at " + offset + " set to " + value, bytes);
        }
    }

    /** {@code n} random bytes, for "the file is not this format at all". */
    public byte[] garbage(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte) rng.nextInt(256);
        return bytes;
    }

    /** Sizes a corrupt header might declare, around the true one and at every integer type's edges. */
    public static List<Long> extremeIntegers(long original) {
        List<Long> values = new ArrayList<>(List.of(original - 1, original + 1, original * 2, 0L, 1L, -1L, -2L,
                (long) Short.MAX_VALUE, 0xFFFFL, 0x10000L, (long) Integer.MAX_VALUE, (long) Integer.MAX_VALUE + 1, 0xFFFFFFFFL,
                (long) Integer.MIN_VALUE, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE));
        values.remove(original);
        return values;
    }

    private static long readInteger(byte[] bytes, int offset, int width, ByteOrder order) {
        ByteBuffer field = ByteBuffer.wrap(bytes, offset, width).order(order);
        return switch (width) {
            case 2 -> field.getShort();
            case 4 -> field.getInt();
            case 8 -> field.getLong();
            default -> throw new IllegalArgumentException("integer width must be 2, 4 or 8, got " + width);
        };
    }

    /** The arrays one after another. */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
