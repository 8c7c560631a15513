package javae.vae.model;

/**
 * The shape of a {@link ConvVae}: the images it reads and writes, the latent size and the
 * observation noise.
 *
 * @param channels  3 for RGB faces, 1 for Fashion-MNIST
 * @param imageSize the side of the square images: 64 for faces, 32 for Fashion-MNIST (padded from 28)
 * @param dimZ      the number of latent dimensions (the report uses 50)
 * @param varX      the variance of the Gaussian p(x|z) around the decoded image (the report uses 0.1)
 */
public record VaeConfig(int channels, int imageSize, int dimZ, float varX) {

    /** The report's defaults: latent size 50 and observation variance 0.1. */
    public static final int DEFAULT_DIM_Z = 50;
    public static final float DEFAULT_VAR_X = 0.1f;

    /** Checks the values, naming the first one that is out of range. */
    public VaeConfig {
        if (channels < 1) throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        if (dimZ < 1) throw new IllegalArgumentException("dim-z must be at least 1, got " + dimZ);
        if (!(varX > 0) || Float.isInfinite(varX)) throw new IllegalArgumentException("var-x must be a positive number, got " + varX);
        if (Integer.bitCount(imageSize) != 1 || imageSize < 8 || imageSize > 64) {
            throw new IllegalArgumentException("image size must be 8, 16, 32 or 64, got " + imageSize);
        }
    }

    /** 64x64 RGB faces, as in the report. */
    public static VaeConfig faces(int dimZ, float varX) {
        return new VaeConfig(3, 64, dimZ, varX);
    }

    /** 32x32 grey images: Fashion-MNIST padded from 28x28. */
    public static VaeConfig fashionMnist(int dimZ, float varX) {
        return new VaeConfig(1, 32, dimZ, varX);
    }

    /** The number of stride-2 layers that halve the image down to 4x4: 4 for 64x64, 3 for 32x32. */
    public int stridedLayers() {
        return Integer.numberOfTrailingZeros(imageSize) - 2;
    }

    /** For messages: "3x64x64 images, dim_z 50, var_x 0.1". */
    @Override
    public String toString() {
        return channels + "x" + imageSize + "x" + imageSize + " images, dim_z " + dimZ + ", var_x " + varX;
    }

    /** The number of values in one image. */
    public int pixels() {
        return channels * imageSize * imageSize;
    }
}
