package javae.vae.model;

import javae.engine.Rng;

/**
 * How well a binary attribute can be read off the latent means: a logistic regression trained on
 * part of the points and scored on the rest. Accuracy near the majority-class rate means the
 * latent space ignores the attribute; near 1 means one direction separates it.
 */
public final class LinearProbe {
    private static final int EPOCHS = 300;
    private static final double LEARNING_RATE = 0.5;
    private static final double L2 = 1e-3;

    /**
     * @param heldOutAccuracy fraction of held-out points classified right
     * @param majorityRate    accuracy of always guessing the more frequent class, on the same points
     * @param trainPoints     points used for fitting
     * @param heldOutPoints   points used for scoring
     */
    public record Result(double heldOutAccuracy, double majorityRate, int trainPoints, int heldOutPoints) {}

    private LinearProbe() {}

    /**
     * Fits on a random 70% of the points (full-batch gradient descent on standardised features)
     * and scores on the other 30%.
     */
    public static Result evaluate(float[][] points, boolean[] labels, long seed) {
        int count = points.length, dim = points[0].length;
        if (count < 10) throw new IllegalArgumentException("linear probe: needs at least 10 points, got " + count);
        int[] order = shuffled(count, new Rng(seed));
        int trainCount = (int) Math.round(count * 0.7);
        double[][] x = standardised(points);

        double[] w = new double[dim];
        double bias = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            double[] gradW = new double[dim];
            double gradB = 0;
            for (int n = 0; n < trainCount; n++) {
                int i = order[n];
                double error = sigmoid(dot(w, x[i]) + bias) - (labels[i] ? 1 : 0); // d(cross-entropy)/d(logit)
                for (int j = 0; j < dim; j++) gradW[j] += error * x[i][j];
                gradB += error;
            }
            for (int j = 0; j < dim; j++) w[j] -= LEARNING_RATE * (gradW[j] / trainCount + L2 * w[j]);
            bias -= LEARNING_RATE * gradB / trainCount;
        }

        int correct = 0, positives = 0, heldOut = count - trainCount;
        for (int n = trainCount; n < count; n++) {
            int i = order[n];
            boolean predicted = dot(w, x[i]) + bias > 0;
            if (predicted == labels[i]) correct++;
            if (labels[i]) positives++;
        }
        double majority = Math.max(positives, heldOut - positives) / (double) heldOut;
        return new Result(correct / (double) heldOut, majority, trainCount, heldOut);
    }

    private static double[][] standardised(float[][] points) {
        int count = points.length, dim = points[0].length;
        double[][] x = new double[count][dim];
        for (int j = 0; j < dim; j++) {
            double mean = 0, square = 0;
            for (float[] p : points) mean += p[j] / (double) count;
            for (float[] p : points) square += (p[j] - mean) * (p[j] - mean) / count;
            double scale = square > 0 ? 1 / Math.sqrt(square) : 1;
            for (int i = 0; i < count; i++) x[i][j] = (points[i][j] - mean) * scale;
        }
        return x;
    }

    private static int[] shuffled(int count, Rng rng) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        return order;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
