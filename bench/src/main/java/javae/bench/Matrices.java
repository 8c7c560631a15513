package javae.bench;

import java.util.SplittableRandom;

/** Benchmark inputs: seeded, so every fork multiplies the same numbers. */
final class Matrices {
    private Matrices() {}

    /** {@code length} floats uniform in [-1, 1). */
    static float[] random(SplittableRandom random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float) (random.nextDouble() * 2 - 1);
        return values;
    }
}
