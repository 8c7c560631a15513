package javae.vae.train;

import java.util.Arrays;
import java.util.List;
import javae.engine.Rng;
import javae.vae.data.Dataset;

/** A small in-memory data set of random smooth images for trainer tests, with one attribute "Bright". */
final class ArrayDataset implements Dataset {
    private final int count, channels, side;
    private final float[] pixels;

    /** {@code count} images of {@code channels}x{@code side}x{@code side}: gradients with random direction and offset. */
    ArrayDataset(int count, int channels, int side, long seed) {
        this.count = count;
        this.channels = channels;
        this.side = side;
        this.pixels = new float[count * imageSize()];
        Rng rng = new Rng(seed);
        for (int n = 0; n < count; n++) {
            float dx = rng.nextFloat() - 0.5f, dy = rng.nextFloat() - 0.5f, offset = rng.nextFloat() - 0.5f;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        float v = offset + dx * (x - side / 2f) / side * 2 + dy * (y - side / 2f) / side * 2;
                        pixels[((n * channels + c) * side + y) * side + x] = Math.max(-1, Math.min(1, v));
                    }
                }
            }
        }
    }

    /** Sets every pixel of image {@code index} to {@code value} (to plant a NaN). */
    void poison(int index, float value) {
        Arrays.fill(pixels, index * imageSize(), (index + 1) * imageSize(), value);
    }

    @Override public int size() { return count; }
    @Override public int channels() { return channels; }
    @Override public int height() { return side; }
    @Override public int width() { return side; }
    @Override public List<String> attributeNames() { return List.of("Bright"); }

    @Override
    public int attribute(int index, String name) {
        double sum = 0;
        for (int i = 0; i < imageSize(); i++) sum += pixels[index * imageSize() + i];
        return sum > 0 ? 1 : -1;
    }

    @Override
    public void fillBatch(int[] indices, float[] out) {
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(pixels, indices[b] * imageSize(), out, b * imageSize(), imageSize());
        }
    }
}
