package javae.vae.cli;

import java.util.Arrays;
import javae.engine.Autograd;
import javae.engine.Tensor;
import javae.vae.data.Dataset;
import javae.vae.model.ConvVae;

/** A trained model used without gradients: images to latent means, latent points to images. */
final class Inference {
    /** Images per forward pass: large enough to keep the kernels busy, small enough for any heap. */
    private static final int BATCH = 64;

    private Inference() {}

    /** The images at {@code indices} of {@code data}: [n, C, S, S] in [-1, 1]. */
    static Tensor images(Dataset data, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= data.size()) throw new UserInputException("image " + i + " does not exist: the split has " + data.size() + " images");
        }
        float[] out = new float[indices.length * data.imageSize()];
        data.fillBatch(indices, out);
        return Tensor.wrap(out, indices.length, data.channels(), data.height(), data.width());
    }

    /** The posterior means of the images at {@code indices}: [n][dimZ]. */
    static float[][] latentMeans(ConvVae model, Dataset data, int[] indices) {
        int dimZ = model.config().dimZ();
        float[][] means = new float[indices.length][];
        try (var scope = Autograd.noGrad()) {
            for (int start = 0; start < indices.length; start += BATCH) {
                int[] chunk = Arrays.copyOfRange(indices, start, Math.min(indices.length, start + BATCH));
                float[] mean = model.encode(images(data, chunk)).mean().data();
                for (int i = 0; i < chunk.length; i++) means[start + i] = Arrays.copyOfRange(mean, i * dimZ, (i + 1) * dimZ);
            }
        }
        return means;
    }

    /** The decoded images mu_theta(z) of latent points [n][dimZ]: [n, C, S, S]. */
    static Tensor decode(ConvVae model, float[][] points) {
        int dimZ = model.config().dimZ();
        float[] z = new float[points.length * dimZ];
        for (int i = 0; i < points.length; i++) System.arraycopy(points[i], 0, z, i * dimZ, dimZ);
        try (var scope = Autograd.noGrad()) {
            return model.decode(Tensor.wrap(z, points.length, dimZ));
        }
    }

    /** The reconstructions: each image decoded from its posterior mean. */
    static Tensor reconstruct(ConvVae model, Tensor images) {
        try (var scope = Autograd.noGrad()) {
            return model.decode(model.encode(images).mean());
        }
    }

    /** 0, 1, ..., count - 1 (at most the data's size). */
    static int[] firstIndices(Dataset data, int count) {
        int n = Math.min(count, data.size());
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) indices[i] = i;
        return indices;
    }

    /** Whether each image has the attribute (+1 in CelebA's lists). */
    static boolean[] hasAttribute(Dataset data, int[] indices, String attribute) {
        int[] values = attributeValues(data, indices, attribute);
        boolean[] has = new boolean[indices.length];
        for (int i = 0; i < indices.length; i++) has[i] = values[i] > 0;
        return has;
    }

    /** The attribute's value for each image: +1 or -1 for CelebA's attributes, the class for a label. */
    static int[] attributeValues(Dataset data, int[] indices, String attribute) {
        if (!data.attributeNames().contains(attribute)) {
            throw new UserInputException("attribute " + attribute + " is not in the data; it has " + String.join(", ", data.attributeNames()));
        }
        int[] values = new int[indices.length];
        for (int i = 0; i < indices.length; i++) values[i] = data.attribute(indices[i], attribute);
        return values;
    }
}
