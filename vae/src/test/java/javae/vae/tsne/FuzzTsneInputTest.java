package javae.vae.tsne;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.engine.fuzz.Fuzzer;
import javae.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged t-SNE inputs, CSV and .npy, from seeded mutations of small valid files:
 * each is read or refused with an IllegalArgumentException or IOException whose one line names the
 * file; never another exception, an OutOfMemoryError from a declared shape, or a hang.
 */
class FuzzTsneInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    /** Characters of a numeric CSV: a mutation among them keeps it looking like one. */
    private static final String CSV_CHARACTERS = "0123456789.,-+eE \n\r\tNaInfity\"";
    private static final String CSV = """
            x,y,z,label
            0.5,1.25,-3,0
            1e-3,2.5E2,7,1
            -0.75,0,12.5,2
            3,4,5,0
            -1,-2,-3,1
            6.0,7.0,8.0,2
            """;

    @TempDir
    Path tmp;

    @Test
    void csvFilesAreReadOrRefusedClearly() {
        byte[] valid = CSV.getBytes(StandardCharsets.US_ASCII);
        Fuzzer fuzz = new Fuzzer("t-SNE CSV", tmp.resolve("points.csv"), 81, file -> TsneInput.read(file, 3),
                IllegalArgumentException.class, IOException.class);
        String summary = fuzz.check(LIMIT, () -> {
            fuzz.truncations("csv", valid);
            fuzz.byteFlips("csv", valid, 1200);
            fuzz.textEdits("csv", valid, 0, valid.length, CSV_CHARACTERS, 1500);
            fuzz.splices("csv", valid, 400);
            for (int n = 0; n < 50; n++) fuzz.run("garbage of " + n * 9 + " bytes", fuzz.garbage(n * 9));
        });
        assertTrue(fuzz.cases() >= 3000, summary);
    }

    @Test
    void npyFilesAreReadOrRefusedClearly() throws IOException {
        Path seed = tmp.resolve("seed.npy");
        Npy.write(seed, Tensor.randn(new Rng(8), 5, 3));
        byte[] valid = Files.readAllBytes(seed);
        Fuzzer fuzz = new Fuzzer("t-SNE npy", tmp.resolve("points.npy"), 82, file -> TsneInput.read(file, -1),
                IllegalArgumentException.class, IOException.class);
        String summary = fuzz.check(LIMIT, () -> {
            fuzz.truncations("npy", valid);
            fuzz.byteFlips("npy", valid, 600);
            fuzz.textEdits("npy", valid, 10, 128, "0123456789,() -", 600);
            // Empty arrays with a huge declared side: no data bytes, but a naive reader allocates the rows.
            for (String shape : new String[] {"(2147483647, 0)", "(0, 2147483647)", "(0, 0)", "(1000000000, 0)", "(0,)", "()"}) {
                fuzz.run("shape " + shape, npyHeader(shape));
            }
        });
        assertTrue(fuzz.cases() >= 1000, summary);
    }

    /** The harness reads the unmutated CSV, so the success path is exercised. */
    @Test
    void unmutatedCsvReads() throws IOException {
        Path file = tmp.resolve("points.csv");
        Files.writeString(file, CSV);
        TsneInput input = TsneInput.read(file, 3);
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, input.labels());
        assertArrayEquals(new double[] {0.5, 1.25, -3}, input.points()[0]);
    }

    /** A float32 .npy file with this shape and no data. */
    private static byte[] npyHeader(String shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return Fuzzer.concat(head.array(), header.getBytes(StandardCharsets.US_ASCII));
    }
}
