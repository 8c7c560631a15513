package javae.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javae.engine.Golden;
import javae.engine.Rng;
import javae.engine.Shape;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsShapeAndBits() throws IOException {
        Rng rng = new Rng(11);
        int[][] shapes = {{2, 3, 4}, {5}, {}, {0, 3}, {1, 1, 1, 7}, {301, 300}}; // the last spans several write chunks
        for (int[] shape : shapes) {
            Tensor t = Tensor.randn(rng, shape);
            Path file = tmp.resolve("t.npy");
            Npy.write(file, t);
            Tensor back = Npy.read(file);
            assertEquals(t.shape(), back.shape());
            assertArrayEquals(t.data(), back.data());
            assertEquals(0, (Files.size(file) - 4L * t.size()) % 64, "numpy aligns the data start to 64 bytes");
        }
    }

    @Test
    void writesTheHeaderNumpyWrites() throws IOException {
        Path file = tmp.resolve("h.npy");
        Npy.write(file, Tensor.of(new float[] {1.5f, -2f}, 2, 1));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[6]);
        String header = new String(bytes, 10, 118, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(1.5f, ByteBuffer.wrap(bytes, 128, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void readsFilesWrittenByNumpy() throws IOException {
        Path dir = Golden.dir("io");
        assertTensor(Npy.read(dir.resolve("float32_2x3.npy")), ramp(6), 2, 3);
        assertTensor(Npy.read(dir.resolve("float64_2x2x2.npy")), ramp(8), 2, 2, 2);
        assertTensor(Npy.read(dir.resolve("float32_bigendian_5.npy")), ramp(5), 5);
        assertTensor(Npy.read(dir.resolve("float32_v2_3x2.npy")), ramp(6), 3, 2);
        assertTensor(Npy.read(dir.resolve("float32_scalar.npy")), new float[] {2.5f});
        assertTensor(Npy.read(dir.resolve("float32_empty_0x3.npy")), new float[0], 0, 3);
        assertTensor(Npy.read(dir.resolve("int64_7.npy")), new float[] {-3, -2, -1, 0, 1, 2, 3}, 7);
        assertTensor(Npy.read(dir.resolve("int32_2x3.npy")), new float[] {-3, -2, -1, 0, 1, 2}, 2, 3);
        assertTensor(Npy.read(dir.resolve("uint8_4.npy")), new float[] {250, 251, 252, 253}, 4);
    }

    @Test
    void refusesFortranOrder() {
        Path file = Golden.dir("io").resolve("float32_fortran_2x3.npy");
        IOException e = assertThrows(IOException.class, () -> Npy.read(file));
        assertMessage(e, "float32_fortran_2x3.npy", "Fortran");
    }

    @Test
    void badMagic() throws IOException {
        Path file = write("magic.npy", "PK\u0003\u0004 not numpy at all".getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(file)), "magic.npy", "magic");
    }

    @Test
    void truncatedFiles() throws IOException {
        Path tiny = write("tiny.npy", new byte[] {(byte) 0x93, 'N', 'U'});
        assertMessage(assertThrows(IOException.class, () -> Npy.read(tiny)), "tiny.npy", "ends inside");
        byte[] whole = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[16]);
        Path cut = write("cut.npy", java.util.Arrays.copyOf(whole, whole.length - 3));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(cut)), "cut.npy", "needs 16 data bytes, the file has 13");
    }

    @Test
    void hugeDeclaredSizesFailWithoutAllocating() throws IOException {
        Path huge = write("huge.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", new byte[8]));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(huge)), "huge.npy", "more elements");
        Path large = write("large.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (200000000,), }", new byte[8]));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(large)), "large.npy", "needs 1600000000 data bytes");
        // A version-2 header length of nearly 4 GB.
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0).putInt(0xFFFFFFF0);
        Path header = write("header.npy", b.array());
        assertMessage(assertThrows(IOException.class, () -> Npy.read(header)), "header.npy", "header length");
    }

    @Test
    void unsupportedHeaders() throws IOException {
        Path complex = write("complex.npy", npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(complex)), "complex.npy", "'<c8'");
        Path version = write("version.npy", npy(9, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(version)), "version.npy", "version 9");
        Path noShape = write("noshape.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, }", new byte[4]));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(noShape)), "noshape.npy", "'shape'");
        Path badDim = write("baddim.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", new byte[4]));
        assertMessage(assertThrows(IOException.class, () -> Npy.read(badDim)), "baddim.npy", "bad dimension 'x'");
    }

    /** i / 4 - 1, the values make_golden.py writes. */
    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i / 4f - 1;
        return v;
    }

    private static void assertTensor(Tensor t, float[] values, int... shape) {
        assertEquals(Shape.of(shape), t.shape());
        assertArrayEquals(values, t.data());
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    /** A .npy file by hand: magic, version, header length, the dict padded to 64 bytes, the data. */
    private static byte[] npy(int major, String dict, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        StringBuilder header = new StringBuilder(dict);
        while ((8 + lengthBytes + header.length() + 1) % 64 != 0) header.append(' ');
        header.append('\n');
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) b.putShort((short) header.length()); else b.putInt(header.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.array());
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }
}
