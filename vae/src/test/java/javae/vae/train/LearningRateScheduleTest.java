package javae.vae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rate of each step, against values known by hand. */
class LearningRateScheduleTest {
    private static final double LR = 1e-3;

    @Test
    void constantIsTheBaseRateAtEveryStep() {
        for (long step : new long[] {0, 1, 99, 1000}) assertEquals(LR, LearningRateSchedule.CONSTANT.at(LR, step, 100));
    }

    @Test
    void cosineFallsFromTheBaseRateToZeroAlongHalfACosine() {
        LearningRateSchedule cosine = LearningRateSchedule.COSINE;
        assertEquals(LR, cosine.at(LR, 0, 100), "cos 0 = 1: the first step takes the base rate");
        assertEquals(LR * (1 + Math.sqrt(0.5)) / 2, cosine.at(LR, 25, 100), 1e-18, "a quarter through: cos(pi/4) = sqrt(1/2)");
        assertEquals(LR / 2, cosine.at(LR, 50, 100), "half way: cos(pi/2) = 0, to the last bit");
        assertEquals(LR * (1 - Math.sqrt(0.5)) / 2, cosine.at(LR, 75, 100), 1e-18);
        assertEquals(0.0, cosine.at(LR, 100, 100), "the step after the last: cos pi = -1");
        double last = cosine.at(LR, 99, 100);
        assertEquals(LR * (Math.PI / 100) * (Math.PI / 100) / 4, last, 1e-4 * last, "the last step: (1 - cos d) / 2 = d^2 / 4 for small d");
        for (long step = 1; step < 100; step++) {
            assertTrue(cosine.at(LR, step, 100) < cosine.at(LR, step - 1, 100), "falls at every step: " + step);
            assertEquals(LR, cosine.at(LR, step, 100) + cosine.at(LR, 100 - step, 100), 1e-18, "symmetric about the middle: " + step);
        }
    }

    @Test
    void parsesItsNamesInAnyCaseAndSaysWhatItExpects() {
        assertEquals(LearningRateSchedule.COSINE, LearningRateSchedule.parse("Cosine"));
        assertEquals(LearningRateSchedule.CONSTANT, LearningRateSchedule.parse("constant"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step"));
        assertEquals("expected constant or cosine", e.getMessage());
        assertEquals("constant", LearningRateSchedule.CONSTANT.describe(3));
        assertEquals("cosine over 3 epochs", LearningRateSchedule.COSINE.describe(3));
    }
}
