package javae.engine.io;

import java.nio.ByteBuffer;

/**
 * The element types the readers accept, with their names in both formats, their size, and their
 * conversion to float32 (int64 and float64 values lose precision beyond 24 bits).
 */
enum ElementType {
    FLOAT32("f4", "F32", 4) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            in.asFloatBuffer().get(out);
        }
    },
    FLOAT64("f8", "F64", 8) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = (float) in.getDouble();
        }
    },
    INT64("i8", "I64", 8) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = in.getLong();
        }
    },
    INT32("i4", "I32", 4) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = in.getInt();
        }
    },
    INT16("i2", "I16", 2) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = in.getShort();
        }
    },
    INT8("i1", "I8", 1) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = in.get();
        }
    },
    UINT8("u1", "U8", 1) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = in.get() & 0xFF;
        }
    },
    BOOL("b1", "BOOL", 1) {
        @Override
        void decode(ByteBuffer in, float[] out) {
            for (int i = 0; i < out.length; i++) out[i] = in.get() != 0 ? 1f : 0f;
        }
    };

    /** The type code in a .npy header's descr, without the byte-order character. */
    final String npyCode;
    /** The dtype in a safetensors header. */
    final String safetensorsName;
    final int bytes;

    ElementType(String npyCode, String safetensorsName, int bytes) {
        this.npyCode = npyCode;
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
    }

    /** Converts {@code out.length} elements from {@code in}, positioned and set to the data's byte order. */
    abstract void decode(ByteBuffer in, float[] out);

    /** The type with this .npy code ({@code "f4"}), or null. */
    static ElementType ofNpy(String code) {
        for (ElementType t : values()) if (t.npyCode.equals(code)) return t;
        return null;
    }

    /** The type with this safetensors dtype ({@code "F32"}), or null. */
    static ElementType ofSafetensors(String name) {
        for (ElementType t : values()) if (t.safetensorsName.equals(name)) return t;
        return null;
    }
}
