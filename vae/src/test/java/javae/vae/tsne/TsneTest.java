package javae.vae.tsne;

import javae.engine.Rng;
import javae.engine.kernels.Parallel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TsneTest {

    /** n points around `clusters` well-separated centres in d dimensions; labels[i] = cluster. */
    static double[][] blobs(int clusters, int perCluster, int d, double spread, long seed, int[] labels) {
        Rng rng = new Rng(seed);
        double[][] centres = new double[clusters][d];
        for (double[] c : centres) for (int a = 0; a < d; a++) c[a] = 20 * rng.nextGaussian();
        double[][] points = new double[clusters * perCluster][d];
        for (int i = 0; i < points.length; i++) {
            int c = i % clusters;
            if (labels != null) labels[i] = c;
            for (int a = 0; a < d; a++) points[i][a] = centres[c][a] + spread * rng.nextGaussian();
        }
        return points;
    }

    static double[] flat(double[][] rows) {
        int d = rows[0].length;
        double[] x = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, x, i * d, d);
        return x;
    }

    @Test
    void perplexityCalibrationHitsTheTargetEntropy() {
        Rng rng = new Rng(1);
        double[] sqDist = new double[90];
        for (int m = 0; m < sqDist.length; m++) sqDist[m] = 50 + 400 * rng.nextDouble(); // far points: exp(-d) alone would underflow
        for (double perplexity : new double[] {5, 30}) {
            double[] p = new double[90];
            double beta = Affinities.conditionalRow(sqDist, 0, 90, perplexity, p, 0);
            assertTrue(beta > 0);
            assertEquals(Math.log(perplexity), Affinities.entropy(p, 0, 90), 1e-4, "entropy for perplexity " + perplexity);
            double sum = 0;
            for (double v : p) sum += v;
            assertEquals(1, sum, 1e-12);
        }
    }

    @Test
    void nearestNeighboursMatchBruteForce() {
        int n = 300, d = 7, k = 20;
        Rng rng = new Rng(8);
        double[] x = new double[n * d];
        for (int e = 0; e < x.length; e++) x[e] = rng.nextGaussian();
        // duplicates make ties in distance, which must go to the smaller index
        System.arraycopy(x, 0, x, 5 * d, d);
        System.arraycopy(x, 0, x, 250 * d, d);
        double[] sqDist = new double[n * k];
        int[] neighbours = PairwiseDistances.nearest(x, n, d, k, sqDist);
        for (int i = 0; i < n; i++) {
            int row = i;
            Integer[] order = java.util.stream.IntStream.range(0, n).filter(j -> j != row).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble((Integer j) -> PairwiseDistances.exact(x, d, row, j))
                    .thenComparingInt(j -> j));
            for (int m = 0; m < k; m++) {
                assertEquals(order[m], neighbours[i * k + m], "neighbour " + m + " of point " + i);
                assertEquals(PairwiseDistances.exact(x, d, i, order[m]), sqDist[i * k + m], 0.0);
            }
        }
    }

    @Test
    void symmetrisedAffinitiesAreTheNormalisedDenseSumWithSortedRows() {
        int n = 60, k = 7;
        Rng rng = new Rng(3);
        int[] neighbours = new int[n * k];
        double[] conditional = new double[n * k];
        double[] dense = new double[n * n]; // P + P^T by definition
        for (int i = 0; i < n; i++) {
            // k distinct neighbours in no particular order; many pairs are neighbours both ways
            int row = i;
            int[] candidates = java.util.stream.IntStream.range(0, n).filter(j -> j != row).toArray();
            for (int m = 0; m < k; m++) {
                int pick = m + (int) (rng.nextDouble() * (candidates.length - m));
                int j = candidates[pick];
                candidates[pick] = candidates[m];
                neighbours[i * k + m] = j;
                conditional[i * k + m] = rng.nextDouble();
                dense[i * n + j] += conditional[i * k + m];
                dense[j * n + i] += conditional[i * k + m];
            }
        }
        double total = 0;
        for (double v : dense) total += v;
        Affinities.SparseMatrix p = Affinities.symmetrise(neighbours, conditional, n, k);
        int entries = 0;
        for (int i = 0; i < n; i++) {
            for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
                int j = p.cols()[e];
                if (e > p.rowStart()[i]) assertTrue(j > p.cols()[e - 1], "row " + i + " sorted, no repeated column");
                assertEquals(dense[i * n + j] / total, p.vals()[e], 1e-15, "p at (" + i + ", " + j + ")");
                entries++;
            }
        }
        int nonZero = 0;
        for (double v : dense) if (v != 0) nonZero++;
        assertEquals(nonZero, entries, "one entry per non-zero of P + P^T");
    }
    @Test
    void gradientMatchesFiniteDifferences() {
        int n = 12;
        double[] x = flat(blobs(3, 4, 4, 1, 2, null));
        ExactObjective objective = new ExactObjective(Affinities.dense(x, n, 4, 3), n);
        Rng rng = new Rng(3);
        double[] y = new double[2 * n];
        for (int e = 0; e < y.length; e++) y[e] = rng.nextGaussian();
        double[] grad = new double[2 * n];
        objective.gradient(y, 1, grad);
        double h = 1e-6;
        for (int e = 0; e < y.length; e++) {
            double keep = y[e];
            y[e] = keep + h;
            double up = objective.klDivergence(y);
            y[e] = keep - h;
            double down = objective.klDivergence(y);
            y[e] = keep;
            assertEquals((up - down) / (2 * h), grad[e], 1e-6, "d KL / d y[" + e + "]");
        }
    }

    @Test
    void barnesHutWithThetaZeroAgreesWithExact() {
        // With n = 3 * perplexity + 2 the neighbour lists hold every other point, so both P agree.
        double perplexity = 5;
        int n = 17;
        double[][] points = blobs(3, 6, 5, 1, 4, null);
        points = java.util.Arrays.copyOf(points, n);
        double[] x = flat(points);
        double[] dense = Affinities.dense(x, n, 5, perplexity);
        Affinities.SparseMatrix sparse = Affinities.neighbourRows(x, n, 5, n - 1, perplexity).symmetrised();
        Rng rng = new Rng(5);
        double[] y = new double[2 * n];
        for (int e = 0; e < y.length; e++) y[e] = rng.nextGaussian();
        double[] exactGrad = new double[2 * n];
        double[] treeGrad = new double[2 * n];
        new ExactObjective(dense, n).gradient(y, 12, exactGrad);
        new BarnesHutObjective(sparse, n, 0).gradient(y, 12, treeGrad);
        // Barnes-Hut sums its forces in float: agreement to float precision.
        double largest = 0;
        for (double g : exactGrad) largest = Math.max(largest, Math.abs(g));
        assertArrayEquals(exactGrad, treeGrad, 1e-5 * largest);
        assertEquals(new ExactObjective(dense, n).klDivergence(y), new BarnesHutObjective(sparse, n, 0).klDivergence(y), 1e-6);

        // Whole runs are not compared: the gains' sign test (+0.2 or *0.8) is discontinuous, so
        // float rounding in a near-zero gradient component changes a step by O(1) early on.
    }

    @Test
    void forceKernelWarmUpLeavesTheGradientUntouchedAndStopsWhenClosed() {
        int n = 2000;
        double[] x = flat(blobs(5, n / 5, 8, 1, 9, null));
        BarnesHutObjective objective = new BarnesHutObjective(Affinities.neighbourRows(x, n, 8, 90, 30).symmetrised(), n, 0.5);
        Rng rng = new Rng(6);
        double[] y = new double[2 * n];
        for (int e = 0; e < y.length; e++) y[e] = 5 * rng.nextGaussian();
        double[] alone = new double[2 * n];
        objective.gradient(y, 12, alone);
        ForceKernelWarmUp warmUp = ForceKernelWarmUp.start();
        double[] beside = new double[2 * n];
        for (int round = 0; round < 5; round++) {
            objective.gradient(y, 12, beside);
            assertArrayEquals(alone, beside, 0.0, "gradient while the warm-up runs, round " + round);
        }
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), warmUp::close);
        warmUp.close(); // a second close does nothing
    }

    @Test
    void quadTreeRepulsionIsCloseToTheExactSumAfterRebuilds() {
        // Clusters far from the origin, with duplicate points: the tree's cells, their centres of
        // mass and the sorted order are all exercised; rebuilt after a move, as every iteration.
        int n = 3000;
        Rng rng = new Rng(21);
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int cluster = i % 7;
            y[2 * i] = 500 + 30 * cluster + (1 + cluster % 3) * rng.nextGaussian();
            y[2 * i + 1] = -200 + 40 * (cluster % 2) + rng.nextGaussian();
        }
        QuadTree tree = new QuadTree();
        tree.build(y, n);
        for (int e = 0; e < y.length; e++) y[e] += 0.3 * rng.nextGaussian();
        System.arraycopy(y, 0, y, 2 * 100, 20); // ten duplicates in the tree that is checked: equal keys
        tree.build(y, n);

        for (int s = 0; s < n; s++) {
            int i = tree.original[s];
            assertEquals(y[2 * i], tree.px[s], 0.0, "sorted x of point " + i);
            assertEquals(y[2 * i + 1], tree.py[s], 0.0, "sorted y of point " + i);
        }
        assertEquals(n, java.util.Arrays.stream(tree.original).distinct().count(), "a permutation");

        float[] forceX = new float[n], forceY = new float[n], sumQ = new float[n];
        QuadTree.InteractionList list = new QuadTree.InteractionList();
        for (int g = 0; g < tree.groupCount(); g++) tree.repulsion(g, 0.5, list, forceX, forceY, sumQ);
        double z = 0, exactZ = 0, worst = 0;
        for (int s = 0; s < n; s++) {
            double fx = 0, fy = 0;
            for (int t = 0; t < n; t++) {
                if (t == s) continue;
                double dx = tree.px[s] - tree.px[t], dy = tree.py[s] - tree.py[t];
                double q = 1 / (1 + dx * dx + dy * dy);
                exactZ += q;
                fx += q * q * dx;
                fy += q * q * dy;
            }
            z += sumQ[s];
            worst = Math.max(worst, Math.hypot(forceX[s] - fx, forceY[s] - fy) / (1e-3 + Math.hypot(fx, fy)));
        }
        assertEquals(exactZ, z, 1e-3 * exactZ, "Z");
        assertTrue(worst < 0.05, "largest relative force error " + worst); // 0.027 here
    }

    @Test
    void separatesWellSeparatedClustersAndIsDeterministicAcrossThreadCounts() {
        int[] labels = new int[200];
        double[][] points = blobs(4, 50, 10, 1, 6, labels);
        TsneOptions options = TsneOptions.defaults().withPerplexity(15).withIterations(300);
        int threads = Parallel.threads();
        TsneResult one, two, three;
        try {
            Parallel.setThreads(1);
            one = Tsne.run(points, options.withMethod(TsneOptions.Method.BARNES_HUT));
            Parallel.setThreads(2);
            two = Tsne.run(points, options.withMethod(TsneOptions.Method.BARNES_HUT));
            Parallel.setThreads(3);
            three = Tsne.run(points, options.withMethod(TsneOptions.Method.BARNES_HUT));
        } finally {
            Parallel.setThreads(threads);
        }
        for (int i = 0; i < points.length; i++) {
            assertArrayEquals(one.embedding()[i], two.embedding()[i], 0.0);
            assertArrayEquals(one.embedding()[i], three.embedding()[i], 0.0);
        }
        // Every embedded neighbour should be a true neighbour: T(10) well above what a random map gives (~0.5).
        assertTrue(Trustworthiness.compute(points, one.embedding(), 10) > 0.95);
        TsneResult exact = Tsne.run(points, options.withMethod(TsneOptions.Method.EXACT));
        assertTrue(Trustworthiness.compute(points, exact.embedding(), 10) > 0.95);
        assertTrue(exact.klDivergence() < 1.0, "KL " + exact.klDivergence());
    }

    @Test
    void trustworthinessOfAHandCheckedCase() {
        double[][] x = column(0, 1, 2.1, 3.3, 4.6, 6, 7.5, 9.1);
        // Points 4..7 mirrored. With k = 2 the intruders are: for point 3 (at 3) point 7, input
        // rank 7 (penalty 5); for 7 (at 4) point 3, rank 4 (2); for 4 (at 7) point 6, rank 4 (2).
        // T = 1 - 2 / (8 * 2 * (16 - 6 - 1)) * 9 = 0.875, as scikit-learn gives.
        double[][] mirrored = column(0, 1, 2, 3, 7, 6, 5, 4);
        assertEquals(0.875, Trustworthiness.compute(x, mirrored, 2), 1e-12);
        assertEquals(1.0, Trustworthiness.compute(x, x, 3), 1e-12);
        // scikit-learn 1.2: trustworthiness(x, e, n_neighbors=2) and 3
        double[][] shuffled = column(3, 1, 4.2, 1.6, 5.5, 9, 2.3, 6.9);
        assertEquals(0.5555555555555556, Trustworthiness.compute(x, shuffled, 2), 1e-12);
        assertEquals(0.5138888888888888, Trustworthiness.compute(x, shuffled, 3), 1e-12);
    }

    @Test
    void forceKernelsMatchTheirScalarReferences() {
        org.junit.jupiter.api.Assumptions.assumeTrue(javae.engine.kernels.VectorSupport.enabled());
        Rng rng = new Rng(11);
        int n = 300;
        float[] yx = new float[n], yy = new float[n];
        for (int i = 0; i < n; i++) {
            yx[i] = (float) (3 * rng.nextGaussian());
            yy[i] = (float) (3 * rng.nextGaussian());
        }
        // Rows of 0 to 70 entries: empty, shorter than a vector, whole vectors plus a tail.
        int[] rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + (i * 37) % 71;
        int[] cols = new int[rowStart[n]];
        float[] vals = new float[rowStart[n]];
        for (int e = 0; e < cols.length; e++) {
            cols[e] = (int) ((e * 7919L) % n);
            vals[e] = (float) Math.abs(rng.nextGaussian());
        }
        double[] refX = new double[n], refY = new double[n], fastX = new double[n], fastY = new double[n];
        SparseAttraction.attraction(rowStart, cols, vals, yx, yy, 0, n, refX, refY);
        AttractionVector.accumulate(rowStart, cols, vals, yx, yy, 0, n, fastX, fastY);
        for (int i = 0; i < n; i++) {
            double scale = 1e-5 * (1 + Math.abs(refX[i]) + Math.abs(refY[i]));
            assertEquals(refX[i], fastX[i], scale, "attraction x of row " + i);
            assertEquals(refY[i], fastY[i], scale, "attraction y of row " + i);
        }

        QuadTree.InteractionList list = new QuadTree.InteractionList();
        for (int e = 0; e < 203; e++) list.add(3 * rng.nextGaussian(), 3 * rng.nextGaussian(), 1 + e % 5);
        float[][] ref = new float[3][n], fast = new float[3][n];
        QuadTree.accumulate(yx, yy, 0, n, list, ref[0], ref[1], ref[2]);
        RepulsionVector.accumulate(yx, yy, 0, n, list, fast[0], fast[1], fast[2]);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                assertEquals(ref[c][i], fast[c][i], 1e-5 * (1 + Math.abs(ref[c][i])), "repulsion " + c + " of point " + i);
            }
        }
    }

    @Test
    void distanceSkipStopsAtTheFirstCloserColumnWithTheScalarBits() {
        int n = 203, d = 5; // 203: whole vectors and a partial one at 256 or 512 bits
        Rng rng = new Rng(12);
        double[] x = new double[n * d];
        for (int e = 0; e < x.length; e++) x[e] = rng.nextGaussian();
        System.arraycopy(x, 0, x, 7 * d, d); // a duplicate: distance 0, clamped
        PairwiseDistances distances = new PairwiseDistances(x, n, d);
        PairwiseDistances.Block block = distances.block(0, distances.blockRows(0));
        for (int r = 0; r < distances.blockRows(0); r++) {
            for (int trial = 0; trial < 20; trial++) {
                int from = rng.nextInt(n + 1);
                // thresholds equal to distances in the row: a skip that expanded with other
                // rounding would stop at a column that is not closer, or pass one that is
                float threshold = trial == 0 ? 0f : block.distance(r, rng.nextInt(n));
                int e = block.skipAtLeast(r, from, threshold);
                assertTrue(from <= e && e <= n, "skip from " + from + " went to " + e);
                for (int j = from; j < e; j++) {
                    assertTrue(block.distance(r, j) >= threshold, "row " + r + " skipped the closer column " + j);
                }
                if (javae.engine.kernels.VectorSupport.enabled()) {
                    boolean stoppedAtCloser = e < n && block.distance(r, e) < threshold;
                    int wholeVectorsEnd = from + (n - from) / SelectionVector.lanes() * SelectionVector.lanes();
                    assertTrue(e == n || stoppedAtCloser || e == wholeVectorsEnd, "row " + r + " stopped at " + e + " for nothing");
                } else {
                    assertEquals(from, e, "without the Vector API the caller checks every column");
                }
            }
        }
    }

    @Test
    void trustworthinessMatchesItsDefinitionOnAPoorEmbedding() {
        // A random embedding has intruders everywhere: many points fall inside each embedded
        // neighbourhood, which exercises the candidate scan of every row (n > 64: several blocks).
        Rng rng = new Rng(7);
        int n = 150, d = 5, k = 6;
        double[][] x = new double[n][d];
        double[][] e = new double[n][2];
        for (double[] row : x) for (int c = 0; c < d; c++) row[c] = rng.nextGaussian();
        for (double[] row : e) for (int c = 0; c < 2; c++) row[c] = rng.nextGaussian();
        double penalty = 0;
        for (int i = 0; i < n; i++) {
            for (int j : bruteForceNearest(e, i, k)) {
                int rank = 1; // 1 + points strictly closer to i than j in the input
                for (int l = 0; l < n; l++) if (l != i && sq(x[i], x[l]) < sq(x[i], x[j])) rank++;
                penalty += Math.max(0, rank - k);
            }
        }
        double expected = 1 - 2.0 / (n * (double) k * (2.0 * n - 3.0 * k - 1.0)) * penalty;
        assertEquals(expected, Trustworthiness.compute(x, e, k), 1e-12);
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) s += (a[c] - b[c]) * (a[c] - b[c]);
        return s;
    }

    private static int[] bruteForceNearest(double[][] points, int i, int k) {
        return java.util.stream.IntStream.range(0, points.length).filter(j -> j != i).boxed()
                .sorted(java.util.Comparator.comparingDouble((Integer j) -> sq(points[i], points[j])).thenComparing(j -> j))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) rows[i] = new double[] {values[i]};
        return rows;
    }

    @Test
    void badInputGivesOneClearLine() {
        TsneOptions options = TsneOptions.defaults().withPerplexity(5);
        double[][] good = blobs(2, 10, 3, 1, 7, null);
        double[][] ragged = good.clone();
        ragged[4] = new double[] {1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tsne.run(ragged, options));
        assertEquals("t-SNE input row 4 has 2 values, row 0 has 3", e.getMessage());
        double[][] withNan = good.clone();
        withNan[7] = new double[] {1, Double.NaN, 3};
        e = assertThrows(IllegalArgumentException.class, () -> Tsne.run(withNan, options));
        assertEquals("t-SNE input row 7, column 1 is NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tsne.run(java.util.Arrays.copyOf(good, 15), options));
        assertEquals("t-SNE needs at least 3 * perplexity + 1 = 16 points for perplexity 5.0, got 15", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trustworthiness.compute(good, java.util.Arrays.copyOf(good, 19), 3));
        assertEquals("trustworthiness: 20 points but 19 embedded rows", e.getMessage());
    }
}
