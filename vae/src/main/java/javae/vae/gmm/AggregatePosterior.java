package javae.vae.gmm;

import org.apache.commons.math3.distribution.MixtureMultivariateNormalDistribution;
import org.apache.commons.math3.distribution.fitting.MultivariateNormalMixtureExpectationMaximization;

import java.util.Arrays;

/**
 * Ex-post density estimation (Ghosh et al., 2020): instead of the prior N(0, I), sample latent
 * points from a Gaussian mixture fitted by EM (commons-math3) to the encoder's posterior means of
 * the training data, the "aggregate posterior" the decoder was actually trained on.
 */
final class AggregatePosterior {
    /** EM runs on at most this many latent means: commons-math3's EM is general-purpose, hence slow. */
    static final int MAX_FIT_POINTS = 2000;
    static final int MAX_EM_ITERATIONS = 200;
    static final double EM_TOLERANCE = 1e-5;

    private AggregatePosterior() {}

    /**
     * {@code n} latent samples [n][Z] from a {@code components}-Gaussian mixture fitted to the first
     * {@link #MAX_FIT_POINTS} of {@code latentMeans} (the training samples are independent, so the
     * first ones are a random subsample).
     */
    static double[][] sample(double[][] latentMeans, int components, int n, long seed) {
        double[][] fitPoints = Arrays.copyOf(latentMeans, Math.min(latentMeans.length, MAX_FIT_POINTS));
        MultivariateNormalMixtureExpectationMaximization em = new MultivariateNormalMixtureExpectationMaximization(fitPoints);
        em.fit(MultivariateNormalMixtureExpectationMaximization.estimate(fitPoints, components), MAX_EM_ITERATIONS, EM_TOLERANCE);
        MixtureMultivariateNormalDistribution fitted = em.getFittedModel();
        fitted.reseedRandomGenerator(seed);
        return fitted.sample(n);
    }
}
