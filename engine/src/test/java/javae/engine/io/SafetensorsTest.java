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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.Golden;
import javae.engine.Rng;
import javae.engine.Shape;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsNamesOrderShapesBitsAndMetadata() throws IOException {
        Rng rng = new Rng(5);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("encoder.0.weight", Tensor.randn(rng, 4, 3, 3, 3));
        tensors.put("encoder.0.bias", Tensor.randn(rng, 4));
        tensors.put("a", Tensor.scalar(-7.25f));
        tensors.put("empty", Tensor.zeros(0, 2));
        tensors.put("quote\"back\\slash é\n", Tensor.randn(rng, 2, 1));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("config", "{\"dim_z\": 50}");
        Path file = tmp.resolve("model.safetensors");
        Safetensors.write(file, tensors, metadata);

        Map<String, Tensor> back = Safetensors.read(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()), "names in written order");
        for (String name : tensors.keySet()) {
            assertEquals(tensors.get(name).shape(), back.get(name).shape(), name);
            assertArrayEquals(tensors.get(name).data(), back.get(name).data(), name);
        }
        assertEquals(metadata, Safetensors.readMetadata(file));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "data starts 8-byte aligned");
    }

    @Test
    void readsHandMadeBytes() throws IOException {
        Path file = write("hand.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1.5f, -2f)));
        Map<String, Tensor> t = Safetensors.read(file);
        assertEquals(Shape.of(2), t.get("w").shape());
        assertArrayEquals(new float[] {1.5f, -2f}, t.get("w").data());
        assertTrue(Safetensors.readMetadata(file).isEmpty());
    }

    @Test
    void readsAFileWrittenByPython() throws IOException {
        Path file = Golden.dir("io").resolve("mixed.safetensors");
        Map<String, Tensor> t = Safetensors.read(file);
        assertEquals(Shape.of(2, 3), t.get("ramp").shape());
        assertArrayEquals(new float[] {-1f, -0.75f, -0.5f, -0.25f, 0f, 0.25f}, t.get("ramp").data());
        assertArrayEquals(new float[] {-1f, -0.75f, -0.5f, -0.25f}, t.get("doubles").data());
        assertArrayEquals(new float[] {-3f, -2f, -1f}, t.get("counts").data());
        assertEquals(Map.of("format", "pt", "note", "written by make_golden.py"), Safetensors.readMetadata(file));
    }

    @Test
    void malformedHeaders() throws IOException {
        String ok = "\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]";
        expectCorrupt("json.safetensors", file("{\"w\":{" + ok + "}", floats(1, 2)), "not valid JSON");
        expectCorrupt("array.safetensors", file("[1,2]", new byte[0]), "not a JSON object");
        expectCorrupt("dtype.safetensors", file("{\"w\":{\"dtype\":\"C64\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2)), "unsupported dtype C64");
        expectCorrupt("shape.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2)), "needs 12 bytes");
        expectCorrupt("offsets.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", floats(1, 2)), "data_offsets");
        expectCorrupt("meta.safetensors", file("{\"__metadata__\":{\"n\":1},\"w\":{" + ok + "}}", floats(1, 2)), "not a string");
        expectCorrupt("huge.safetensors", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,8]}}", floats(1, 2)), "more elements");
    }

    @Test
    void offsetsMustTileTheData() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        expectCorrupt("gap.safetensors", file("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", floats(1, 2, 3)), "gap or overlap");
        expectCorrupt("overlap.safetensors", file("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2)), "gap or overlap");
        expectCorrupt("short.safetensors", file("{" + a + "}", new byte[2]), "the file has 2");
        expectCorrupt("long.safetensors", file("{" + a + "}", floats(1, 2)), "the file has 8");
    }

    @Test
    void declaredHeaderLengthBeyondTheFile() throws IOException {
        for (long length : new long[] {1000, -1L, 1L << 40}) {
            ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(length).putInt(0);
            expectCorrupt("length.safetensors", b.array(), "header length " + Long.toUnsignedString(length));
        }
        expectCorrupt("empty.safetensors", new byte[3], "ends inside the header length");
    }

    @Test
    void tensorCannotBeNamedMetadata() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(tmp.resolve("m.safetensors"), Map.of("__metadata__", Tensor.zeros(1))));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    }

    private void expectCorrupt(String name, byte[] bytes, String problem) throws IOException {
        Path file = write(name, bytes);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(file), name);
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(problem), "message \"" + e.getMessage() + "\" should name " + name + " and say " + problem);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    /** The header length, the header and the data, as a safetensors file is laid out. */
    private static byte[] file(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.writeBytes(json);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }
}
