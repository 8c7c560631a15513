package javae.vae.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * The learning rate of each training step, a pure function of the step: a resumed run takes the
 * same rates as one left alone, with nothing to save but the step.
 */
public enum LearningRateSchedule {
    /** The base rate at every step. */
    CONSTANT {
        @Override
        public double at(double lr, long step, long totalSteps) {
            return lr;
        }
    },

    /**
     * Half a cosine from the base rate at step 0 down to 0 at step {@code totalSteps} (which never
     * runs): {@code lr * 0.5 * (1 + cos(pi * step / totalSteps))}, the closed form of PyTorch's
     * CosineAnnealingLR with T_max = totalSteps and eta_min = 0, stepped once per step. The end of a
     * run moves ever less, so its final weights settle instead of being a snapshot of a fast walk.
     * StrictMath's cosine, so the rates are the same bits on every JVM.
     */
    COSINE {
        @Override
        public double at(double lr, long step, long totalSteps) {
            return lr * 0.5 * (1 + StrictMath.cos(Math.PI * step / totalSteps));
        }
    };

    /** The rate of 0-based {@code step} of a run of {@code totalSteps} steps whose base rate is {@code lr}. */
    public abstract double at(double lr, long step, long totalSteps);

    /** The schedule a command line names (constant or cosine, in any case). */
    public static LearningRateSchedule parse(String name) {
        for (LearningRateSchedule s : values()) {
            if (s.toString().equals(name.toLowerCase(Locale.ROOT))) return s;
        }
        throw new IllegalArgumentException("expected " + String.join(" or ", Arrays.stream(values()).map(String::valueOf).toList()));
    }

    /** What a checkpoint records of the schedule: a cosine spans the run, so its length belongs to it. */
    String describe(int epochs) {
        return this == CONSTANT ? toString() : this + " over " + epochs + " epochs";
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
