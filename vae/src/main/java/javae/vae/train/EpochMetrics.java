package javae.vae.train;

/**
 * One row of metrics.csv: the mean -ELBO (loss), reconstruction term and KL of an epoch, over the
 * training steps and over the validation images. Each is per image: a sum over pixels and latent
 * dimensions, averaged over images.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainReconstruction, double trainKl,
                           double validLoss, double validReconstruction, double validKl) {

    /** The CSV header matching {@link #toCsv()}. */
    public static final String CSV_HEADER = "epoch,train_loss,train_reconstruction,train_kl,valid_loss,valid_reconstruction,valid_kl";

    /** The row as CSV; doubles print in full so a row read back is the same number. */
    public String toCsv() {
        return epoch + "," + trainLoss + "," + trainReconstruction + "," + trainKl + "," + validLoss + "," + validReconstruction + "," + validKl;
    }

    /** Parses a row written by {@link #toCsv()}. */
    public static EpochMetrics fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 7) throw new IllegalArgumentException("metrics row has " + f.length + " fields, expected 7: " + line);
        return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
    }
}
