package javae.vae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javae.engine.Rng;
import javae.engine.Tensor;
import javae.vae.data.Dataset;
import javae.vae.model.ConvVae;
import javae.vae.model.LatentProjection;
import javae.vae.model.LatentSpace;
import javae.vae.model.LinearProbe;
import javae.vae.tsne.Tsne;
import javae.vae.tsne.TsneOptions;

/**
 * The report's figures and the ones beyond it, each drawn from a trained model into a PNG and
 * returning its numbers for metrics.json. Shared by the single commands and by {@code demo}.
 */
final class Figures {
    /** Each 64x64 image is drawn this many times larger (twice for 32x32 and below). */
    private static int scale(ConvVae model) {
        return model.config().imageSize() >= 64 ? 2 : 4;
    }

    private Figures() {}

    /** {@code rows x columns} images decoded from z ~ N(0, I): the report's 4x5 grid of generated faces. */
    static Map<String, Object> samples(ConvVae model, int rows, int columns, long seed, Path png) throws IOException {
        Rng rng = new Rng(seed);
        float[][] z = new float[rows * columns][model.config().dimZ()];
        for (float[] point : z) {
            for (int j = 0; j < point.length; j++) point[j] = (float) rng.nextGaussian();
        }
        Pictures.grid(Inference.decode(model, z), columns, scale(model), png);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", rows * columns);
        m.put("seed", seed);
        return m;
    }

    /** Originals in the first row, their reconstructions (decoded posterior means) in the second. */
    static Map<String, Object> reconstruction(ConvVae model, Dataset data, int count, Path png) throws IOException {
        int[] indices = Inference.firstIndices(data, count);
        Tensor originals = Inference.images(data, indices);
        Tensor reconstructions = Inference.reconstruct(model, originals);
        float[] both = new float[originals.size() * 2];
        System.arraycopy(originals.data(), 0, both, 0, originals.size());
        System.arraycopy(reconstructions.data(), 0, both, originals.size(), originals.size());
        int[] shape = originals.shape().toArray();
        shape[0] *= 2;
        Pictures.grid(Tensor.wrap(both, shape), indices.length, scale(model), png);
        double squared = 0;
        for (int i = 0; i < originals.size(); i++) {
            double d = originals.data()[i] - reconstructions.data()[i];
            squared += d * d;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reconstructed_images", indices.length);
        m.put("reconstruction_mse", squared / originals.size());
        return m;
    }

    /** Image a, the decoded points between the latent means of a and b, image b, in one row. */
    static Map<String, Object> interpolation(ConvVae model, Dataset data, int from, int to, int steps, boolean slerp, Path png) throws IOException {
        int[] ends = {from, to};
        float[][] means = Inference.latentMeans(model, data, ends);
        float[][] path = slerp ? LatentSpace.slerp(means[0], means[1], steps) : LatentSpace.linear(means[0], means[1], steps);
        Tensor originals = Inference.images(data, ends);
        Tensor decoded = Inference.decode(model, path);
        int per = originals.size() / 2;
        float[] row = new float[per * (steps + 2)];
        System.arraycopy(originals.data(), 0, row, 0, per);
        System.arraycopy(decoded.data(), 0, row, per, decoded.size());
        System.arraycopy(originals.data(), per, row, per * (steps + 1), per);
        int[] shape = originals.shape().toArray();
        shape[0] = steps + 2;
        Pictures.grid(Tensor.wrap(row, shape), steps + 2, scale(model), png);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from_image", from);
        m.put("to_image", to);
        m.put("steps", steps);
        m.put("path", slerp ? "slerp" : "linear");
        return m;
    }

    /**
     * The latent means of {@code count} images projected to 2-D (PCA, or t-SNE when {@code tsne})
     * and coloured by an attribute, and how well the attribute separates: a linear probe's held-out
     * accuracy in the full latent space.
     */
    static Map<String, Object> latentMap(ConvVae model, Dataset data, String attribute, int count, boolean tsne, Path png) throws IOException {
        int[] indices = Inference.firstIndices(data, count);
        int[] values = Inference.attributeValues(data, indices, attribute);
        float[][] means = Inference.latentMeans(model, data, indices);
        double[][] xy = tsne ? Tsne.run(toDoubles(means), TsneOptions.defaults().withSeed(7)).embedding() : LatentProjection.pca2d(means);
        String projection = tsne ? "t-SNE" : "PCA";
        String title = "Latent means (" + projection + "), coloured by " + attribute;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attribute", attribute);
        m.put("points", indices.length);
        m.put("projection", projection);
        if (isYesNo(values)) {
            boolean[] has = new boolean[values.length];
            for (int i = 0; i < values.length; i++) has[i] = values[i] > 0;
            Pictures.scatter(xy, has, title, attribute, png);
            LinearProbe.Result probe = LinearProbe.evaluate(means, has, 7);
            m.put("with_attribute", count(has));
            m.put("attribute_separation", probe.heldOutAccuracy());
            m.put("attribute_separation_means", "held-out accuracy of a logistic regression on the latent means (" + probe.trainPoints()
                    + " fit, " + probe.heldOutPoints() + " held out)");
            m.put("majority_class_rate", probe.majorityRate());
        } else {
            Pictures.labelledScatter(xy, values, title, png); // a class label such as Fashion-MNIST's: one colour per class
        }
        return m;
    }

    /** Whether an attribute is CelebA's kind, +1 or -1, rather than a class number. */
    private static boolean isYesNo(int[] values) {
        for (int v : values) if (v != 1 && v != -1) return false;
        return true;
    }

    /**
     * The attribute vector (mean latent with the attribute minus without, over {@code count}
     * images) added at several strengths to faces without it: one row per face, one column per strength.
     */
    static Map<String, Object> attributeVector(ConvVae model, Dataset data, String attribute, int count, int faces, float[] strengths, Path png) throws IOException {
        int[] indices = Inference.firstIndices(data, count);
        boolean[] has = Inference.hasAttribute(data, indices, attribute);
        float[][] means = Inference.latentMeans(model, data, indices);
        float[] vector = LatentSpace.attributeVector(means, has);
        List<float[]> points = new ArrayList<>();
        int shown = 0;
        for (int i = 0; i < indices.length && shown < faces; i++) {
            if (has[i]) continue;
            for (float s : strengths) points.add(LatentSpace.move(means[i], vector, s));
            shown++;
        }
        Pictures.grid(Inference.decode(model, points.toArray(new float[0][])), strengths.length, scale(model), png);
        double norm = 0;
        for (float v : vector) norm += v * v;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attribute", attribute);
        m.put("images_for_vector", indices.length);
        m.put("with_attribute", count(has));
        m.put("vector_norm", Math.sqrt(norm));
        m.put("faces", shown);
        List<Object> s = new ArrayList<>();
        for (float v : strengths) s.add((double) v);
        m.put("strengths", s);
        return m;
    }

    /**
     * Latent traversals: from the latent mean of one image, each of the {@code dims} most active
     * coordinates (largest spread of the latent means over up to 200 images; after short training
     * most coordinates are unused) swept over its mean +- {@code spreads} standard deviations
     * while the others stay; one row per coordinate.
     */
    static Map<String, Object> traversal(ConvVae model, Dataset data, int image, int dims, int steps, float spreads, Path png) throws IOException {
        float[] base = Inference.latentMeans(model, data, new int[] {image})[0];
        float[][] means = Inference.latentMeans(model, data, Inference.firstIndices(data, 200));
        int dim = base.length;
        double[] centre = new double[dim], deviation = new double[dim];
        for (int j = 0; j < dim; j++) {
            for (float[] m : means) centre[j] += m[j] / (double) means.length;
            for (float[] m : means) deviation[j] += (m[j] - centre[j]) * (m[j] - centre[j]) / means.length;
            deviation[j] = Math.sqrt(deviation[j]);
        }
        Integer[] order = new Integer[dim];
        for (int j = 0; j < dim; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Double.compare(deviation[b], deviation[a])); // most active first
        List<float[]> points = new ArrayList<>();
        List<Object> axes = new ArrayList<>();
        for (int i = 0; i < Math.min(dims, dim); i++) {
            int axis = order[i];
            float from = (float) (centre[axis] - spreads * deviation[axis]), to = (float) (centre[axis] + spreads * deviation[axis]);
            points.addAll(List.of(LatentSpace.traversal(base, axis, from, to, steps)));
            axes.add(axis);
        }
        Pictures.grid(Inference.decode(model, points.toArray(new float[0][])), steps, scale(model), png);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image);
        m.put("dimensions", axes);
        m.put("steps", steps);
        m.put("spreads", (double) spreads);
        return m;
    }

    private static double[][] toDoubles(float[][] points) {
        double[][] d = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            d[i] = new double[points[i].length];
            for (int j = 0; j < d[i].length; j++) d[i][j] = points[i][j];
        }
        return d;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) if (f) n++;
        return n;
    }
}
