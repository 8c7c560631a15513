package javae.vae.data;

import java.util.List;

/**
 * A fixed set of images of one size with per-image attributes, read in batches. CelebA and
 * Fashion-MNIST both implement it, so training and figures do not care which one they see.
 *
 * <p>Pixels come out as floats in [-1, 1] in {@code [B, C, H, W]} order (batch, channel, row,
 * column). Implementations are safe to read from several threads at once.
 */
public interface Dataset {
    /** The number of images. */
    int size();

    /** Colour channels per image: 3 for RGB, 1 for grey. */
    int channels();

    /** Image height in pixels. */
    int height();

    /** Image width in pixels. */
    int width();

    /** Floats per image: {@code channels() * height() * width()}. */
    default int imageSize() {
        return channels() * height() * width();
    }

    /** The names of the per-image attributes, e.g. CelebA's 40 or Fashion-MNIST's "label". */
    List<String> attributeNames();

    /**
     * The value of attribute {@code name} for image {@code index}: +1 or -1 for CelebA's yes/no
     * attributes, the class number for a label.
     *
     * @throws IllegalArgumentException for an unknown name or an index out of range
     */
    int attribute(int index, String name);

    /**
     * Writes the images at {@code indices} into {@code out} as {@code [B, C, H, W]} floats in
     * [-1, 1], where B is {@code indices.length}.
     *
     * @throws IllegalArgumentException if {@code out} is shorter than {@code B * imageSize()} or an index is out of range
     */
    void fillBatch(int[] indices, float[] out);
}
