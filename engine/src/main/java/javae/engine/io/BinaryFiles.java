package javae.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** What both formats need: bounded reads at a position, float writes, and errors that name the file. */
final class BinaryFiles {
    /** Floats written per buffer, so that a large tensor needs no second copy of its size. */
    private static final int CHUNK = 1 << 16;

    private BinaryFiles() {}

    /**
     * Exactly {@code length} bytes at {@code position}, or an IOException saying what was cut off.
     * Callers check declared sizes against the file size first, so nothing larger than the file is allocated.
     */
    static ByteBuffer readFully(FileChannel channel, long position, long length, Path file, String what) throws IOException {
        if (position + length > channel.size()) throw corrupt(file, "file ends inside " + what + " (" + channel.size() + " bytes)");
        if (length > Integer.MAX_VALUE - 8) throw corrupt(file, what + " takes " + length + " bytes, more than one read here can hold (2 GB)");
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) throw corrupt(file, "file ends inside " + what);
        }
        return buffer.flip();
    }

    /**
     * An IOException whose message is {@code <file>: <problem>}, on one line: control characters
     * (a newline quoted from a damaged header) are shown as '?'.
     */
    static IOException corrupt(Path file, String problem) {
        return new IOException(file + ": " + problem.replaceAll("\\p{Cntrl}", "?"));
    }

    /** Writes all of {@code buffer} (from its position to its limit). */
    static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /** Writes {@code values} as little-endian float32, in chunks. */
    static void writeFloats(FileChannel channel, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * Math.min(CHUNK, values.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += CHUNK) {
            int count = Math.min(CHUNK, values.length - start);
            buffer.clear();
            buffer.asFloatBuffer().put(values, start, count);
            buffer.limit(4 * count);
            writeFully(channel, buffer);
        }
    }
}
