package javae.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.Tensor;

/**
 * The safetensors format, in which PyTorch users exchange weights: named tensors and an optional
 * map of string metadata in one file.
 *
 * <p>A file is: an unsigned 64-bit little-endian header length N; N bytes of UTF-8 JSON mapping
 * each tensor's name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}}
 * (plus an optional {@code "__metadata__"} object of strings); then the data buffer, in which each
 * tensor occupies bytes {@code [begin, end)}, little-endian, row-major. The tensors tile the buffer
 * exactly, without gaps or overlaps.
 *
 * <p>{@link #read} accepts F32, F64, I64, I32, I16, I8, U8 and BOOL and converts to float32;
 * {@link #write} writes F32. Tensors come back in the order of their data, which is the order they
 * were written in. Malformed files fail with an {@link IOException} naming the file and the problem,
 * checked before anything large is allocated.
 */
public final class Safetensors {
    private static final String METADATA = "__metadata__";
    /** The reference implementation's limit; a larger declared header means a corrupt file. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    /** Writers pad the header with spaces so that the data starts 8-byte aligned. */
    private static final int ALIGNMENT = 8;

    private Safetensors() {}

    /** Every tensor in the file, by name, in data order; values converted to float32. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(channel, file);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                ByteBuffer bytes = BinaryFiles.readFully(channel, header.dataStart + e.begin, e.end - e.begin, file, "tensor " + e.name)
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] values = new float[(int) e.count];
                e.type.decode(bytes, values);
                tensors.put(e.name, Tensor.wrap(values, e.shape));
            }
            return tensors;
        }
    }

    /** The {@code __metadata__} strings of the file (empty if it has none), reading only the header. */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(channel, file).metadata;
        }
    }

    /** Writes the tensors as F32, in the map's order, without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Writes the tensors as F32, in the map's order, with {@code metadata} as {@code __metadata__} (if not empty). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(METADATA)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.append(separator).append(Json.quote(m.getKey())).append(':').append(Json.quote(m.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            if (t.getKey().equals(METADATA)) throw new IllegalArgumentException("safetensors: a tensor cannot be named " + METADATA);
            long bytes = 4L * t.getValue().size();
            if (json.length() > 1) json.append(',');
            json.append(Json.quote(t.getKey())).append(":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(t.getValue().shape().toArray()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] headerBytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(headerBytes);
            while (head.hasRemaining()) head.put((byte) ' ');
            BinaryFiles.writeFully(channel, head.flip());
            for (Tensor t : tensors.values()) BinaryFiles.writeFloats(channel, t.data());
        }
    }

    // ---- Header ------------------------------------------------------------------------------

    private static final class Header {
        final long dataStart;
        final List<Entry> entries;
        final Map<String, String> metadata;

        Header(long dataStart, List<Entry> entries, Map<String, String> metadata) {
            this.dataStart = dataStart;
            this.entries = entries;
            this.metadata = metadata;
        }
    }

    /** One tensor's place in the data buffer. */
    private static final class Entry {
        final String name;
        final ElementType type;
        final int[] shape;
        final long count;
        final long begin;
        final long end;

        Entry(String name, ElementType type, int[] shape, long count, long begin, long end) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.count = count;
            this.begin = begin;
            this.end = end;
        }
    }

    /** Reads and validates the header: every entry well formed, the entries tiling the data buffer exactly. */
    private static Header readHeader(FileChannel channel, Path file) throws IOException {
        long fileSize = channel.size();
        long headerLength = BinaryFiles.readFully(channel, 0, 8, file, "the header length").order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
            throw BinaryFiles.corrupt(file, "declared header length " + Long.toUnsignedString(headerLength) + " does not fit the file size " + fileSize);
        }
        String text = StandardCharsets.UTF_8.decode(BinaryFiles.readFully(channel, 8, (int) headerLength, file, "the header")).toString();
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw BinaryFiles.corrupt(file, "header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) throw BinaryFiles.corrupt(file, "header is not a JSON object");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> field : ((Map<?, ?>) parsed).entrySet()) {
            String name = (String) field.getKey();
            if (name.equals(METADATA)) {
                if (!(field.getValue() instanceof Map)) throw BinaryFiles.corrupt(file, METADATA + " is not an object");
                for (Map.Entry<?, ?> m : ((Map<?, ?>) field.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) throw BinaryFiles.corrupt(file, METADATA + " value of \"" + m.getKey() + "\" is not a string");
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
            } else {
                entries.add(parseEntry(name, field.getValue(), file));
            }
        }

        // The entries, sorted by position, must cover [0, data length) without gap or overlap.
        long dataStart = 8 + headerLength;
        long dataLength = fileSize - dataStart;
        entries.sort((a, b) -> Long.compare(a.begin, b.begin));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin != expected) {
                throw BinaryFiles.corrupt(file, "tensor " + e.name + " starts at data byte " + e.begin + ", expected " + expected + " (gap or overlap)");
            }
            expected = e.end;
        }
        if (expected != dataLength) {
            throw BinaryFiles.corrupt(file, "tensors declare " + expected + " data bytes, the file has " + dataLength);
        }
        return new Header(dataStart, entries, Collections.unmodifiableMap(metadata));
    }

    private static Entry parseEntry(String name, Object value, Path file) throws IOException {
        if (!(value instanceof Map)) throw BinaryFiles.corrupt(file, "entry for tensor " + name + " is not an object");
        Map<?, ?> fields = (Map<?, ?>) value;
        Object dtype = fields.get("dtype");
        ElementType type = dtype instanceof String ? ElementType.ofSafetensors((String) dtype) : null;
        if (type == null) throw BinaryFiles.corrupt(file, "tensor " + name + " has unsupported dtype " + dtype + " (readable: F32, F64, I64, I32, I16, I8, U8, BOOL)");
        List<Long> shape = longs(fields.get("shape"), -1, name, "shape", file);
        List<Long> offsets = longs(fields.get("data_offsets"), 2, name, "data_offsets", file);

        int[] dims = new int[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = shape.get(i);
            if (d < 0 || d > Integer.MAX_VALUE) throw BinaryFiles.corrupt(file, "tensor " + name + " has a bad dimension " + d);
            dims[i] = (int) d;
            count *= d;
            if (count > Integer.MAX_VALUE) throw BinaryFiles.corrupt(file, "tensor " + name + " has more elements than a tensor can hold: shape " + shape);
        }
        long begin = offsets.get(0), end = offsets.get(1);
        if (begin < 0 || end < begin || end - begin != count * type.bytes) {
            throw BinaryFiles.corrupt(file, "tensor " + name + " of shape " + shape + " and dtype " + type.safetensorsName + " needs " + count * type.bytes
                    + " bytes, data_offsets " + offsets + " give " + (end - begin));
        }
        return new Entry(name, type, dims, count, begin, end);
    }

    /** A JSON array of non-negative integers, of {@code length} (any length if negative). */
    private static List<Long> longs(Object value, int length, String tensor, String field, Path file) throws IOException {
        if (!(value instanceof List)) throw BinaryFiles.corrupt(file, "tensor " + tensor + " lacks the array " + field);
        List<Long> result = new ArrayList<>();
        for (Object o : (List<?>) value) {
            if (!(o instanceof Long) || (Long) o < 0) throw BinaryFiles.corrupt(file, "tensor " + tensor + " has a bad " + field + " " + value);
            result.add((Long) o);
        }
        if (length >= 0 && result.size() != length) throw BinaryFiles.corrupt(file, "tensor " + tensor + " has " + result.size() + " " + field + ", expected " + length);
        return result;
    }
}
