package javae.engine;

/**
 * A small seeded random source whose whole state is one {@code long}, so a checkpoint can save it
 * and a resumed run continues the same stream. SplitMix64 (Steele, Lea and Flood, 2014) for the
 * bits; Box-Muller through {@link StrictMath} for normals, so the same seed gives the same numbers
 * on every JDK.
 */
public final class Rng {
    private long state;

    /** A generator seeded with {@code seed}; equal seeds give equal streams. */
    public Rng(long seed) {
        this.state = seed;
    }

    /** The whole state; {@code new Rng(rng.state())} continues exactly where {@code rng} is. */
    public long state() {
        return state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Standard normal, by Box-Muller (one of the pair, so the state stays a single long). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1], so the log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** A new generator for an independent stream, derived from this one's next output. */
    public Rng split() {
        return new Rng(nextLong());
    }
}
