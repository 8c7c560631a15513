package javae.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javae.engine.Tensor;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), the simplest way to move one array
 * between Python and javae.
 *
 * <p>A file is: the magic bytes {@code \x93NUMPY}, a major and minor version byte, the header
 * length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), then the header, a
 * Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}
 * padded with spaces to a multiple of 64 bytes, and finally the values in the order the header says.
 *
 * <p>{@link #read} accepts C-order arrays of float32, float64, int8/16/32/64, uint8 and bool in
 * either byte order and converts them to float32 (int64 and float64 values lose precision beyond
 * 24 bits). {@link #write} writes little-endian float32, version 1.0 (2.0 when the header needs it).
 * Malformed files fail with an {@link IOException} naming the file and the problem, checked before
 * anything large is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads the magic, version, length and header to this alignment. */
    private static final int ALIGNMENT = 64;
    /** Far larger than any real header; a bigger declared length means a corrupt file. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads an array as a float32 tensor of the same shape. */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            ByteBuffer preamble = BinaryFiles.readFully(channel, 0, 10, file, "the magic string and version");
            byte[] magic = new byte[MAGIC.length];
            preamble.get(magic);
            if (!Arrays.equals(magic, MAGIC)) throw BinaryFiles.corrupt(file, "not a .npy file (bad magic bytes)");
            int major = preamble.get() & 0xFF;
            preamble.get(); // minor version: no version so far changes the layout
            int lengthBytes;
            if (major == 1) {
                lengthBytes = 2;
            } else if (major == 2 || major == 3) {
                lengthBytes = 4;
            } else {
                throw BinaryFiles.corrupt(file, "unsupported .npy version " + major);
            }
            ByteBuffer lengthField = BinaryFiles.readFully(channel, 8, lengthBytes, file, "the header length").order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes == 2 ? lengthField.getShort() & 0xFFFF : lengthField.getInt() & 0xFFFFFFFFL;
            long dataStart = 8 + lengthBytes + headerLength;
            if (headerLength > MAX_HEADER_BYTES || dataStart > fileSize) {
                throw BinaryFiles.corrupt(file, "header length " + headerLength + " exceeds the file size " + fileSize);
            }
            ByteBuffer headerBytes = BinaryFiles.readFully(channel, 8 + lengthBytes, (int) headerLength, file, "the header");
            // Version 3 allows UTF-8 in the header; earlier ones are latin-1, which UTF-8 decodes alike for the ASCII that matters.
            Header header = parseHeader(StandardCharsets.UTF_8.decode(headerBytes).toString(), file);

            long count = 1;
            for (int d : header.shape) {
                count *= d;
                if (count > Integer.MAX_VALUE) throw BinaryFiles.corrupt(file, "shape " + Arrays.toString(header.shape) + " has more elements than a tensor can hold");
            }
            long dataBytes = count * header.type.bytes;
            if (fileSize - dataStart != dataBytes) {
                throw BinaryFiles.corrupt(file, "shape " + Arrays.toString(header.shape) + " of " + header.type.npyCode + " needs " + dataBytes
                        + " data bytes, the file has " + (fileSize - dataStart));
            }
            ByteBuffer data = BinaryFiles.readFully(channel, dataStart, dataBytes, file, "the data").order(header.order);
            float[] values = new float[(int) count];
            header.type.decode(data, values);
            return Tensor.wrap(values, header.shape);
        }
    }

    /** Writes {@code tensor} as a little-endian float32 array of its shape. */
    public static void write(Path file, Tensor tensor) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + pythonTuple(tensor.shape().toArray()) + ", }";
        int lengthBytes = 2;
        int major = 1;
        if (paddedLength(dict, lengthBytes) > 0xFFFF) {
            lengthBytes = 4;
            major = 2;
        }
        int headerLength = paddedLength(dict, lengthBytes);
        String header = dict + " ".repeat(headerLength - dict.length() - 1) + "\n";
        ByteBuffer head = ByteBuffer.allocate(8 + lengthBytes + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            head.putShort((short) headerLength);
        } else {
            head.putInt(headerLength);
        }
        head.put(header.getBytes(StandardCharsets.US_ASCII));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            BinaryFiles.writeFully(channel, head.flip());
            BinaryFiles.writeFloats(channel, tensor.data());
        }
    }

    /** The header length that makes magic, version, length field and header (with its newline) a multiple of 64. */
    private static int paddedLength(String dict, int lengthBytes) {
        int unpadded = 8 + lengthBytes + dict.length() + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        return total - 8 - lengthBytes;
    }

    /** Python's tuple syntax: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    private static String pythonTuple(int[] dims) {
        if (dims.length == 1) return "(" + dims[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) sb.append(i > 0 ? ", " : "").append(dims[i]);
        return sb.append(')').toString();
    }

    // ---- Header ------------------------------------------------------------------------------

    private static final class Header {
        final ElementType type;
        final ByteOrder order;
        final int[] shape;

        Header(ElementType type, ByteOrder order, int[] shape) {
            this.type = type;
            this.order = order;
            this.shape = shape;
        }
    }

    private static Header parseHeader(String header, Path file) throws IOException {
        String dict = header.trim();
        if (!dict.startsWith("{") || !dict.endsWith("}")) throw BinaryFiles.corrupt(file, "header is not a Python dict: " + abbreviate(dict));
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw BinaryFiles.corrupt(file, "header lacks 'descr', 'fortran_order' or 'shape': " + abbreviate(dict));
        }
        if (fortran.group(1).equals("True")) throw BinaryFiles.corrupt(file, "Fortran-order arrays are not supported (save with C order)");

        String typeCode = descr.group(1);
        if (typeCode.length() < 2) throw BinaryFiles.corrupt(file, "unsupported dtype '" + typeCode + "'");
        char byteOrder = typeCode.charAt(0);
        ElementType type = ElementType.ofNpy(typeCode.substring(1));
        if (type == null || "<>|=".indexOf(byteOrder) < 0) {
            throw BinaryFiles.corrupt(file, "unsupported dtype '" + typeCode + "' (readable: float32/64, int8/16/32/64, uint8, bool)");
        }
        ByteOrder order = byteOrder == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;

        String[] parts = shape.group(1).split(",");
        int rank = 0;
        int[] dims = new int[parts.length];
        for (String part : parts) {
            String p = part.trim();
            if (p.isEmpty()) continue; // "(5,)" and "()" leave empty pieces
            try {
                dims[rank] = Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw BinaryFiles.corrupt(file, "bad dimension '" + p + "' in shape (" + shape.group(1) + ")");
            }
            if (dims[rank] < 0) throw BinaryFiles.corrupt(file, "negative dimension in shape (" + shape.group(1) + ")");
            rank++;
        }
        return new Header(type, order, Arrays.copyOf(dims, rank));
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
