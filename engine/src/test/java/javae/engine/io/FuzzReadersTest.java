package javae.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javae.engine.Golden;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.fuzz.Fuzzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged .npy and safetensors files, from seeded mutations of small valid ones
 * (numpy's own files among them): every one is read or refused with an IOException naming the
 * file, never another exception, an OutOfMemoryError from a declared size, or a hang. The case
 * counts are printed and asserted.
 */
class FuzzReadersTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Characters of a .npy header: a mutation among them keeps it looking like a dict. */
    private static final String NPY_HEADER_CHARACTERS = "0123456789-,()' :<>|={}fiubLTrueFalse";
    /** Characters of a safetensors header: JSON punctuation, digits, dtype letters. */
    private static final String JSON_CHARACTERS = "0123456789-+.eE{}[]\":, FIU\\tnul";

    @TempDir
    Path tmp;

    @Test
    void npyFilesAreReadOrRefusedClearly() throws IOException {
        Fuzzer fuzz = new Fuzzer("npy", tmp.resolve("case.npy"), 61, Npy::read, IOException.class);
        List<byte[]> seeds = npySeeds();
        String summary = fuzz.check(LIMIT, () -> {
            for (int s = 0; s < seeds.size(); s++) {
                byte[] valid = seeds.get(s);
                String label = "seed " + s;
                int headerEnd = npyDataStart(valid);
                fuzz.truncations(label, valid);
                fuzz.byteFlips(label, valid, 100);
                fuzz.textEdits(label, valid, 10, headerEnd, NPY_HEADER_CHARACTERS, 150);
                fuzz.splices(label, valid, 40);
                fuzz.declaredSizes(label, valid, 8, valid[6] == 1 ? 2 : 4, ByteOrder.LITTLE_ENDIAN);
            }
            for (String shape : hostileShapes()) {
                fuzz.run("shape " + shape, npyFile("<f4", shape, new byte[8]));
            }
            for (int n = 0; n < 64; n++) fuzz.run("garbage of " + n * 7 + " bytes", fuzz.garbage(n * 7));
        });
        assertTrue(fuzz.cases() >= 5000, summary);
    }

    @Test
    void safetensorsFilesAreReadOrRefusedClearly() throws IOException {
        Fuzzer fuzz = new Fuzzer("safetensors", tmp.resolve("case.safetensors"), 62, Safetensors::read, IOException.class);
        List<byte[]> seeds = safetensorsSeeds();
        String summary = fuzz.check(LIMIT, () -> {
            for (int s = 0; s < seeds.size(); s++) {
                byte[] valid = seeds.get(s);
                String label = "seed " + s;
                int headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                fuzz.truncations(label, valid);
                fuzz.byteFlips(label, valid, 600);
                fuzz.textEdits(label, valid, 8, headerEnd, JSON_CHARACTERS, 1500);
                fuzz.splices(label, valid, 150);
                fuzz.declaredSizes(label, valid, 0, 8, ByteOrder.LITTLE_ENDIAN);
            }
            for (String entry : hostileEntries()) {
                fuzz.run("entry " + entry, safetensorsFile("{\"t\":" + entry + "}", new byte[8]));
            }
            // A parser that recurses per bracket must not overflow its stack on a deep header.
            fuzz.run("100000 nested arrays", safetensorsFile("[".repeat(100_000) + "]".repeat(100_000), new byte[0]));
            fuzz.run("100000 nested objects", safetensorsFile("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), new byte[0]));
            for (int n = 0; n < 64; n++) fuzz.run("garbage of " + n * 7 + " bytes", fuzz.garbage(n * 7));
        });
        assertTrue(fuzz.cases() >= 5000, summary);
    }

    /** The harness itself: an unmutated file reads back, so the success path is exercised for real. */
    @Test
    void unmutatedSeedsReadBack() throws IOException {
        Path file = tmp.resolve("seed.safetensors");
        Files.write(file, safetensorsSeeds().get(0));
        assertArrayEquals(new float[] {1, -2, 3.5f, 0}, Safetensors.read(file).get("w").data());
    }

    // ---- Seeds ---------------------------------------------------------------------------------

    /** numpy's files from the golden folder, plus files this reader wrote. */
    private List<byte[]> npySeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(Golden.dir("io"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".npy")).sorted().toList()) seeds.add(Files.readAllBytes(f));
        }
        Path written = tmp.resolve("written.npy");
        Npy.write(written, Tensor.randn(new Rng(3), 2, 1, 3));
        seeds.add(Files.readAllBytes(written));
        seeds.add(npyFile("<i2", "(2, 2)", new byte[8]));
        seeds.add(npyFile("|b1", "(3,)", new byte[] {0, 1, 2}));
        return seeds;
    }

    private List<byte[]> safetensorsSeeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.wrap(new float[] {1, -2, 3.5f, 0}, 2, 2));
        tensors.put("b", Tensor.wrap(new float[] {0.25f}, 1));
        tensors.put("empty", Tensor.zeros(0, 3));
        Path written = tmp.resolve("written.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>(); // ordered: the seed file, and so every case, is the same on every run
        metadata.put("format", "pt");
        metadata.put("step", "12");
        Safetensors.write(written, tensors, metadata);
        seeds.add(Files.readAllBytes(written));
        seeds.add(Files.readAllBytes(Golden.dir("io").resolve("mixed.safetensors")));
        return seeds;
    }

    /** Shapes whose element count is huge, overflows, is negative or is not a number. */
    private static List<String> hostileShapes() {
        return List.of("(2147483647,)", "(2147483648,)", "(65536, 65536)", "(2147483647, 2147483647, 2147483647)",
                "(-1,)", "(-2, -1)", "(0, 2147483647)", "(2147483647, 0)", "(99999999999999999999,)", "(1e9,)", "(2.5,)",
                "(,)", "(,,,)", "()", "(1, 2", "1, 2)", "(0x10,)", "(2L, 1L)", "(" + "1, ".repeat(5000) + "2)");
    }

    /** Safetensors entries with huge, negative, overflowing or ill-typed shapes and offsets. */
    private static List<String> hostileEntries() {
        List<String> entries = new ArrayList<>();
        String[] shapes = {"[2147483647]", "[2147483648]", "[65536,65536]", "[2147483647,2147483647,2147483647]", "[-1]", "[0,-1]",
            "[9223372036854775807]", "[99999999999999999999]", "[1.5]", "[\"2\"]", "[]", "[[2]]", "{}", "null", "2"};
        String[] offsets = {"[0,8]", "[0,-8]", "[8,0]", "[0,9223372036854775807]", "[-9223372036854775808,8]", "[0]", "[0,8,16]",
            "[0,8.0]", "null", "[\"0\",\"8\"]"};
        for (String shape : shapes) entries.add("{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,8]}");
        for (String offset : offsets) entries.add("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":" + offset + "}");
        for (String dtype : new String[] {"\"F16\"", "\"f32\"", "\"\"", "1", "null", "[\"F32\"]"}) {
            entries.add("{\"dtype\":" + dtype + ",\"shape\":[2],\"data_offsets\":[0,8]}");
        }
        entries.add("{}");
        entries.add("[]");
        entries.add("\"F32\"");
        return entries;
    }

    /** A version 1.0 .npy file with this header dict (padded like numpy's) and data. */
    private static byte[] npyFile(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return Fuzzer.concat(head.array(), header.getBytes(StandardCharsets.ISO_8859_1), data);
    }

    /** Where the data of a well-formed .npy file starts (the end of its header). */
    private static int npyDataStart(byte[] npy) {
        ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        return npy[6] == 1 ? 10 + (b.getShort(8) & 0xFFFF) : 12 + b.getInt(8);
    }

    /** A safetensors file with this header text (not padded) and data. */
    private static byte[] safetensorsFile(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array();
        return Fuzzer.concat(length, json, data);
    }
}
