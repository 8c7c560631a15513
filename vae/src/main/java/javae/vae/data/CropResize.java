package javae.vae.data;

/**
 * Centre crop, then downscale by area averaging: every output pixel is the average of the source
 * pixels under it, each weighted by the fraction of its area that the output pixel covers. This is
 * the box filter that anti-aliases a large downscale (148 to 64) properly, where bilinear sampling
 * would skip most source pixels.
 */
final class CropResize {
    private final int cropSize;
    private final int outSize;
    // Output pixel j averages source pixels first[j] .. first[j] + weights[j].length - 1 of the crop.
    private final int[] first;
    private final float[][] weights;

    /** Crops a {@code cropSize} square from the centre and resizes it to {@code outSize} square. */
    CropResize(int cropSize, int outSize) {
        if (outSize < 1 || cropSize < outSize) {
            throw new IllegalArgumentException("crop size " + cropSize + " must be at least the image size " + outSize + " (>= 1)");
        }
        this.cropSize = cropSize;
        this.outSize = outSize;
        this.first = new int[outSize];
        this.weights = new float[outSize][];
        double scale = (double) cropSize / outSize; // source pixels per output pixel
        for (int j = 0; j < outSize; j++) {
            double start = j * scale, end = (j + 1) * scale;
            int from = (int) Math.floor(start), to = Math.min(cropSize, (int) Math.ceil(end));
            first[j] = from;
            weights[j] = new float[to - from];
            for (int x = from; x < to; x++) {
                double overlap = Math.min(end, x + 1) - Math.max(start, x);
                weights[j][x - from] = (float) (overlap / scale);
            }
        }
    }

    /**
     * Crops and resizes one packed-RGB image.
     *
     * @param rgb the source pixels as 0xRRGGBB ints, row-major, {@code width x height}
     * @param out receives {@code [3, outSize, outSize]} bytes (unsigned) from {@code outOffset}
     */
    void apply(int[] rgb, int width, int height, byte[] out, int outOffset) {
        if (width < cropSize || height < cropSize) {
            throw new IllegalArgumentException(width + "x" + height + " image is smaller than the " + cropSize + " crop");
        }
        int left = (width - cropSize) / 2, top = (height - cropSize) / 2;
        float[] rows = new float[cropSize * outSize]; // one channel after the horizontal pass: [cropSize, outSize]
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c; // red, green, blue
            // horizontal pass: every crop row to outSize columns
            for (int y = 0; y < cropSize; y++) {
                int rowStart = (top + y) * width + left;
                for (int j = 0; j < outSize; j++) {
                    float sum = 0;
                    float[] w = weights[j];
                    for (int k = 0; k < w.length; k++) sum += w[k] * ((rgb[rowStart + first[j] + k] >> shift) & 0xFF);
                    rows[y * outSize + j] = sum;
                }
            }
            // vertical pass: cropSize rows to outSize rows
            int channelOffset = outOffset + c * outSize * outSize;
            for (int i = 0; i < outSize; i++) {
                float[] w = weights[i];
                for (int j = 0; j < outSize; j++) {
                    float sum = 0;
                    for (int k = 0; k < w.length; k++) sum += w[k] * rows[(first[i] + k) * outSize + j];
                    out[channelOffset + i * outSize + j] = (byte) Math.min(255, Math.round(sum));
                }
            }
        }
    }
}
