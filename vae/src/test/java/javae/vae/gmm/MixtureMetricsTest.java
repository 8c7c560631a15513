package javae.vae.gmm;

import javae.engine.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MixtureMetricsTest {

    /** Two unit-variance components at -10 and +10 in 1-D, equal weights. */
    private static GaussianMixture twoPeaks() {
        return new GaussianMixture(new double[] {1, 1}, new double[][] {{-10}, {10}},
                new double[][][] {{{1}}, {{1}}});
    }

    @Test
    void energyDistanceOfHandComputedCases() {
        // {0} vs {1}: 2 * 1 - 0 - 0
        assertEquals(2, MixtureMetrics.energyDistance(new double[][] {{0}}, new double[][] {{1}}), 1e-12);
        // {0, 2} vs {1}: E|X-Y| = 1, E|X-X'| = (0 + 2 + 2 + 0) / 4 = 1, E|Y-Y'| = 0: 2 - 1 = 1
        assertEquals(1, MixtureMetrics.energyDistance(new double[][] {{0}, {2}}, new double[][] {{1}}), 1e-12);
        // 2-D, a 3-4-5 triangle: E|X-Y| = 5/2, E|X-X'| = 10/4, E|Y-Y'| = 0: 5 - 2.5
        assertEquals(2.5, MixtureMetrics.energyDistance(new double[][] {{0, 0}, {3, 4}}, new double[][] {{0, 0}}), 1e-12);
        double[][] same = {{1, 2}, {3, 5}, {-1, 0}};
        assertEquals(0, MixtureMetrics.energyDistance(same, same.clone()), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixtureMetrics.energyDistance(same, new double[][] {{1}}));
        assertEquals("energy distance: dimension 2 vs 1", e.getMessage());
    }

    @Test
    void meanEnergyDistanceAveragesThePairs() {
        // The pairs of the hand-computed cases above: ({0}, {1}) gives 2, ({0, 2}, {1}) gives 1.
        double[][][] a = {{{0}}, {{0}, {2}}};
        double[][][] b = {{{1}}, {{1}}};
        assertEquals(1.5, MixtureMetrics.meanEnergyDistance(a, b), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixtureMetrics.meanEnergyDistance(a, new double[][][] {{{1}}}));
        assertEquals("energy distance: 2 vs 1 samples, need equally many, at least one", e.getMessage());
    }

    @Test
    void oneEnergyDistanceBetweenRealSamplesIsNoisyTheMeanOfSixteenIsSteadier() {
        // Far-apart modes: the mode counts of each sample fluctuate, and one energy distance
        // between two real samples with them, by far more than the mean over sixteen pairs.
        GaussianMixture mixture = GaussianMixture.random(10, 3, 1);
        int n = 500, estimates = 6, draws = 16;
        double singleMin = Double.POSITIVE_INFINITY, singleMax = 0, meanMin = Double.POSITIVE_INFINITY, meanMax = 0;
        long seed = 100;
        for (int e = 0; e < estimates; e++) {
            double[][][] a = new double[draws][][], b = new double[draws][][];
            for (int r = 0; r < draws; r++) {
                a[r] = mixture.sample(n, seed++).points();
                b[r] = mixture.sample(n, seed++).points();
                double single = MixtureMetrics.energyDistance(a[r], b[r]);
                singleMin = Math.min(singleMin, single);
                singleMax = Math.max(singleMax, single);
            }
            double mean = MixtureMetrics.meanEnergyDistance(a, b);
            meanMin = Math.min(meanMin, mean);
            meanMax = Math.max(meanMax, mean);
        }
        assertTrue(singleMax > 4 * singleMin, "single draws " + singleMin + " .. " + singleMax);
        assertTrue(meanMax < 2 * meanMin, "means of 16 " + meanMin + " .. " + meanMax);
    }

    @Test
    void modesCoveredCountsHalfTheExpectedShare() {
        GaussianMixture mixture = twoPeaks();
        // 10 samples: the expected share is 5 each, so a component needs at least 2.5 of them.
        double[][] twoOnTheRight = {{-10}, {-9}, {-11}, {-10.5}, {-9.5}, {-8}, {-12}, {-10}, {9}, {11}};
        assertArrayEquals(new int[] {8, 2}, MixtureMetrics.componentCounts(mixture, twoOnTheRight));
        assertEquals(1, MixtureMetrics.modesCovered(mixture, twoOnTheRight));
        double[][] threeOnTheRight = twoOnTheRight.clone();
        threeOnTheRight[0] = new double[] {10};
        assertEquals(2, MixtureMetrics.modesCovered(mixture, threeOnTheRight));
    }

    @Test
    void densityResponsibilitiesAndLikelihood() {
        GaussianMixture mixture = twoPeaks();
        // At 0 both components are equally likely; density = 2 * 0.5 * N(10; 0, 1).
        double expected = Math.exp(-50) / Math.sqrt(2 * Math.PI);
        assertEquals(expected, mixture.density(new double[] {0}), expected * 1e-12);
        assertEquals(Math.log(expected), mixture.logDensity(new double[] {0}), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, mixture.responsibilities(new double[] {0}), 1e-12);
        // Far away the density underflows, the log-density does not.
        assertEquals(0, mixture.density(new double[] {500}));
        assertEquals(Math.log(0.5 / Math.sqrt(2 * Math.PI)) - 0.5 * 490 * 490, mixture.logDensity(new double[] {500}), 1e-6);
        assertEquals(Math.log(0.5 / Math.sqrt(2 * Math.PI)) - 0.5,
                MixtureMetrics.meanLogLikelihood(mixture, new double[][] {{9}, {-11}}), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mixture.logDensity(new double[] {1, 2}));
        assertEquals("mixture: point of dimension 2, the mixture has dimension 1", e.getMessage());
    }

    @Test
    void randomMixtureIsSeededSeparatedAndMatchesCommonsMath() {
        GaussianMixture mixture = GaussianMixture.random(10, 3, 42);
        for (int a = 0; a < 10; a++) {
            for (int b = 0; b < a; b++) {
                double sq = 0;
                for (int c = 0; c < 3; c++) sq += Math.pow(mixture.mean(a)[c] - mixture.mean(b)[c], 2);
                assertTrue(Math.sqrt(sq) >= GaussianMixture.MIN_SEPARATION);
            }
        }
        double minWeight = 1, maxWeight = 0, totalWeight = 0;
        for (int c = 0; c < 10; c++) {
            minWeight = Math.min(minWeight, mixture.weight(c));
            maxWeight = Math.max(maxWeight, mixture.weight(c));
            totalWeight += mixture.weight(c);
        }
        assertEquals(1, totalWeight, 1e-12);
        assertTrue(maxWeight > 1.5 * minWeight, "unequal weights");

        GaussianMixture.Sample sample = mixture.sample(4000, 7);
        assertArrayEquals(sample.points()[123], mixture.sample(4000, 7).points()[123], 0.0, "same seed, same samples");
        int agree = 0;
        for (int i = 0; i < 4000; i++) {
            double[] x = sample.points()[i];
            assertEquals(Math.log(mixture.density(x)), mixture.logDensity(x), 1e-9);
            if (mixture.mostLikelyComponent(x) == sample.components()[i]) agree++;
        }
        assertTrue(agree > 0.99 * 4000, "separated components: the true component is almost always the most likely, " + agree);
        assertEquals(10, MixtureMetrics.modesCovered(mixture, sample.points()));
        // A second real sample is close, a shifted one is far.
        double floor = MixtureMetrics.energyDistance(sample.points(), mixture.sample(4000, 8).points());
        double[][] shifted = new double[4000][];
        for (int i = 0; i < 4000; i++) shifted[i] = new double[] {sample.points()[i][0] + 1, sample.points()[i][1], sample.points()[i][2]};
        assertTrue(MixtureMetrics.energyDistance(sample.points(), shifted) > 10 * floor);
    }

    @Test
    void activeUnitsCountsDimensionsThatVary() {
        Rng rng = new Rng(3);
        double[][] means = new double[500][4];
        for (double[] m : means) {
            m[0] = rng.nextGaussian();        // variance 1: active
            m[1] = 0.05 * rng.nextGaussian(); // variance 0.0025: collapsed
            m[2] = 7;                         // constant: collapsed
            m[3] = 0.5 * rng.nextGaussian();  // variance 0.25: active
        }
        assertEquals(2, MixtureMetrics.activeUnits(means));
    }

    @Test
    void clusterCountFindsTenBlobsAndOne() {
        Rng rng = new Rng(9);
        double[][] points = new double[1000][2];
        for (int i = 0; i < 1000; i++) {
            int c = i % 10;
            points[i][0] = 30 * Math.cos(2 * Math.PI * c / 10) + rng.nextGaussian();
            points[i][1] = 30 * Math.sin(2 * Math.PI * c / 10) + rng.nextGaussian();
        }
        assertEquals(10, ClusterCount.count(points));
        double[][] one = new double[300][];
        for (int i = 0; i < 300; i++) one[i] = new double[] {rng.nextGaussian(), rng.nextGaussian()};
        assertEquals(1, ClusterCount.count(one));
    }
}
