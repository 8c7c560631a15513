package javae.vae.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import javae.engine.Tensor;
import org.junit.jupiter.api.Test;

/** The three Gaussian formulas against values worked out by hand. */
class GaussianTest {

    @Test
    void logLikelihoodOfAnIndependentGaussianMatchesTheFormula() {
        // x = (1, 2), mean = (0, 2), variance 0.5 in both: the first term is
        // -0.5 (log(2 pi 0.5) + 1 / 0.5) = -0.5 log(pi) - 1, the second -0.5 log(pi); sum -log(pi) - 1.
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor mean = Tensor.of(new float[] {0, 2}, 1, 2);
        Tensor ll = Gaussian.logLikelihood(x, mean, Tensor.scalar(0.5f));
        assertArrayEquals(new int[] {1}, ll.shape().toArray());
        assertEquals(-Math.log(Math.PI) - 1, ll.item(), 1e-5);
    }

    @Test
    void logLikelihoodSumsEachExampleSeparatelyWithPerValueVariances() {
        // Example 0: x = 0 under N(0, 1): -0.5 log(2 pi). Example 1: x = 3 under N(1, 4): -0.5 (log(8 pi) + 1).
        Tensor x = Tensor.of(new float[] {0, 3}, 2, 1);
        Tensor mean = Tensor.of(new float[] {0, 1}, 2, 1);
        Tensor variance = Tensor.of(new float[] {1, 4}, 2, 1);
        float[] ll = Gaussian.logLikelihood(x, mean, variance).data();
        assertEquals(-0.5 * Math.log(2 * Math.PI), ll[0], 1e-5);
        assertEquals(-0.5 * (Math.log(8 * Math.PI) + 1), ll[1], 1e-5);
    }

    @Test
    void logLikelihoodGradientPullsTheMeanTowardsTheData() {
        // d/dm of -0.5 (x - m)^2 / v is (x - m) / v: (1 - 0) / 0.5 = 2 and (2 - 2) / 0.5 = 0.
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor mean = Tensor.of(new float[] {0, 2}, 1, 2).requiresGrad(true);
        Gaussian.logLikelihood(x, mean, Tensor.scalar(0.5f)).sum().backward();
        assertArrayEquals(new float[] {2, 0}, mean.grad().data(), 1e-5f);
    }

    @Test
    void aScalarVarianceGivesTheValuesAndGradientsOfTheSameVarianceEverywhere() {
        // The scalar path sums the squared errors first, in one fused op; a variance of x's shape
        // takes the general path. Same formula, so the same values and gradients to float rounding.
        javae.engine.Rng rng = new javae.engine.Rng(4);
        Tensor x = Tensor.randn(rng, 3, 2, 5, 5);
        Tensor mean = Tensor.randn(rng, 3, 2, 5, 5).requiresGrad(true);
        Tensor scalarVariance = Tensor.scalar(0.3f).requiresGrad(true);
        Tensor scalar = Gaussian.logLikelihood(x, mean, scalarVariance);
        scalar.sum().backward();
        float[] scalarGrad = mean.grad().data().clone();
        mean.zeroGrad();
        Tensor varianceEverywhere = Tensor.full(0.3f, 3, 2, 5, 5).requiresGrad(true);
        Tensor everywhere = Gaussian.logLikelihood(x, mean, varianceEverywhere);
        everywhere.sum().backward();
        assertArrayEquals(everywhere.data(), scalar.data(), 1e-4f);
        assertArrayEquals(mean.grad().data(), scalarGrad, 1e-5f);
        assertArrayEquals(new int[] {3}, scalar.shape().toArray());
        // the one variance's gradient is the sum of what each value's own variance would get
        double summed = 0;
        for (float g : varianceEverywhere.grad().data()) summed += g;
        assertEquals(summed, scalarVariance.grad().item(), 1e-5 * Math.abs(summed));
    }

    @Test
    void anEmptyBatchGivesAnEmptyLogLikelihoodOnBothPaths() {
        Tensor x = Tensor.zeros(0, 2, 3);
        assertArrayEquals(new int[] {0}, Gaussian.logLikelihood(x, Tensor.zeros(0, 2, 3), Tensor.scalar(0.1f)).shape().toArray());
        assertArrayEquals(new int[] {0}, Gaussian.logLikelihood(x, Tensor.zeros(0, 2, 3), Tensor.full(0.1f, 0, 2, 3)).shape().toArray());
    }

    @Test
    void klToStandardNormalMatchesTheClosedForm() {
        // mean (1, 0), variance (1, 2): 0.5 ((1 + 1 - 1 - 0) + (2 + 0 - 1 - log 2)) = 1 - 0.5 log 2.
        Tensor mean = Tensor.of(new float[] {1, 0}, 1, 2);
        Tensor variance = Tensor.of(new float[] {1, 2}, 1, 2);
        assertEquals(1 - 0.5 * Math.log(2), Gaussian.klToStandardNormal(mean, variance).item(), 1e-6);
    }

    @Test
    void klIsZeroExactlyAtTheStandardNormal() {
        Tensor kl = Gaussian.klToStandardNormal(Tensor.zeros(3, 4), Tensor.ones(3, 4));
        assertArrayEquals(new float[] {0, 0, 0}, kl.data(), 0f);
    }

    @Test
    void reparameterisationScalesNoiseByTheStandardDeviation() {
        Tensor mean = Tensor.of(new float[] {1, 2}, 1, 2).requiresGrad(true);
        Tensor variance = Tensor.of(new float[] {4, 0.25f}, 1, 2).requiresGrad(true);
        Tensor z = Gaussian.reparameterise(mean, variance, Tensor.of(new float[] {0.5f, -2}, 1, 2));
        assertArrayEquals(new float[] {2, 1}, z.data(), 1e-6f);
        // dz/dmean = 1; dz/dvariance = noise / (2 sqrt(variance)) = 0.5 / 4 and -2 / 1.
        z.sum().backward();
        assertArrayEquals(new float[] {1, 1}, mean.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0.125f, -2}, variance.grad().data(), 1e-6f);
    }
}
