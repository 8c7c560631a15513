package javae.vae.train;

import javae.engine.Rng;

/**
 * Every random number of a training run, derived from (seed, purpose, index) rather than drawn
 * from one long stream: the batch order of epoch e and the noise of step s are the same whether the
 * run went straight through or stopped and resumed, and nothing but the seed and the step needs
 * saving to continue exactly.
 */
public final class RandomStreams {
    /** Purposes: each gets its own family of streams. */
    public static final long INIT = 1, SHUFFLE = 2, NOISE = 3, VALIDATION = 4;

    private RandomStreams() {}

    /** The stream for {@code index} (an epoch, a step) of {@code purpose}, under {@code seed}. */
    public static Rng stream(long seed, long purpose, long index) {
        // Two SplitMix64 rounds scramble the three numbers, so neighbouring indices share nothing.
        long mixed = new Rng(seed ^ (purpose << 56)).nextLong();
        return new Rng(new Rng(mixed + index).nextLong());
    }

    /** A permutation of 0..count-1 (Fisher-Yates) for the given epoch. */
    public static int[] permutation(long seed, int epoch, int count) {
        Rng rng = stream(seed, SHUFFLE, epoch);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
