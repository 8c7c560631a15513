package javae.vae.gmm;

/**
 * The results of one mixture-VAE experiment, as written to {@code metrics.json}.
 *
 * @param components                 mixture components
 * @param modesCovered               components receiving at least half their expected share of generated samples
 * @param energyDistance             generated vs real, the mean over {@code energyDistanceDraws} independent pairs of samples
 * @param energyDistanceFloor        real vs an independent real sample of the same size, the mean over as many pairs
 * @param energyDistanceDraws        the number of sample pairs each energy distance is averaged over
 * @param meanLogLikelihoodGenerated mean log p(x) of generated samples under the true mixture
 * @param meanLogLikelihoodReal      the same for real samples
 * @param activeUnits                latent dimensions whose posterior-mean variance exceeds 0.01
 * @param tsneClusters               clusters found in the t-SNE map of the latent means of real samples
 * @param seconds                    wall time of the whole experiment
 */
public record GmmMetrics(int components, int modesCovered, double energyDistance, double energyDistanceFloor, int energyDistanceDraws,
                         double meanLogLikelihoodGenerated, double meanLogLikelihoodReal, int activeUnits,
                         int tsneClusters, double seconds) {

    /** The metrics as a JSON object with snake_case keys. */
    public String toJson() {
        return "{\n"
                + "  \"components\": " + components + ",\n"
                + "  \"modes_covered\": " + modesCovered + ",\n"
                + "  \"energy_distance\": " + energyDistance + ",\n"
                + "  \"energy_distance_floor\": " + energyDistanceFloor + ",\n"
                + "  \"energy_distance_draws\": " + energyDistanceDraws + ",\n"
                + "  \"mean_log_likelihood_generated\": " + meanLogLikelihoodGenerated + ",\n"
                + "  \"mean_log_likelihood_real\": " + meanLogLikelihoodReal + ",\n"
                + "  \"active_units\": " + activeUnits + ",\n"
                + "  \"tsne_clusters\": " + tsneClusters + ",\n"
                + "  \"seconds\": " + seconds + "\n"
                + "}\n";
    }
}
