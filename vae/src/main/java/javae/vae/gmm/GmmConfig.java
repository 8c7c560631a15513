package javae.vae.gmm;

/**
 * Settings of the mixture-VAE experiment; {@link #defaults()} are the measured choice explained in
 * {@link GmmExperiment}. Immutable; {@code withX} returns a changed copy.
 *
 * @param components     mixture components (10)
 * @param dim            data dimension (3)
 * @param samples        training samples drawn from the mixture
 * @param evalSamples    size of the generated sample and of each real sample the metrics compare
 * @param hidden         hidden layer sizes of the encoder (the decoder mirrors them)
 * @param latent         latent dimensions
 * @param epochs         passes over the training samples
 * @param batch          minibatch size
 * @param learningRate   Adam's learning rate
 * @param warmupEpochs   epochs over which the KL weight grows linearly from 0 to 1
 * @param decoderVariance the decoder's fixed variance in standardised units, or NaN to learn it
 * @param expost         generate from a mixture fitted to the aggregate posterior instead of the prior
 * @param seed           seeds the mixture, the samples, the weights and the training
 */
public record GmmConfig(int components, int dim, int samples, int evalSamples, int[] hidden, int latent,
                        int epochs, int batch, double learningRate, int warmupEpochs, double decoderVariance, boolean expost, long seed) {

    public GmmConfig {
        if (components < 1 || dim < 1 || samples < 1 || evalSamples < 2 || latent < 1 || epochs < 1 || batch < 1 || warmupEpochs < 0) {
            throw new IllegalArgumentException("gmm: components, dim, samples, evalSamples, latent, epochs and batch must be positive, got "
                    + components + ", " + dim + ", " + samples + ", " + evalSamples + ", " + latent + ", " + epochs + ", " + batch);
        }
        if (!(decoderVariance > 0) && !Double.isNaN(decoderVariance)) {
            throw new IllegalArgumentException("gmm: decoder variance must be positive (or NaN: learned), got " + decoderVariance);
        }
        if (!(learningRate > 0)) throw new IllegalArgumentException("gmm: learning rate must be positive, got " + learningRate);
        hidden = hidden.clone();
    }

    /** The defaults (see {@link GmmExperiment} for how they were chosen). */
    public static GmmConfig defaults() {
        return new GmmConfig(10, 3, 10_000, 2_000, new int[] {64, 64}, 3, 60, 128, 2e-3, 10, 3e-4, true, 1);
    }

    public GmmConfig withComponents(int value) { return new GmmConfig(value, dim, samples, evalSamples, hidden, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withDim(int value) { return new GmmConfig(components, value, samples, evalSamples, hidden, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withSamples(int value) { return new GmmConfig(components, dim, value, evalSamples, hidden, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withEvalSamples(int value) { return new GmmConfig(components, dim, samples, value, hidden, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withHidden(int... value) { return new GmmConfig(components, dim, samples, evalSamples, value, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withLatent(int value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, value, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withEpochs(int value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, value, batch, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withBatch(int value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, epochs, value, learningRate, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withLearningRate(double value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, epochs, batch, value, warmupEpochs, decoderVariance, expost, seed); }
    public GmmConfig withWarmupEpochs(int value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, epochs, batch, learningRate, value, decoderVariance, expost, seed); }
    public GmmConfig withDecoderVariance(double value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, epochs, batch, learningRate, warmupEpochs, value, expost, seed); }
    public GmmConfig withExpost(boolean value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, value, seed); }
    public GmmConfig withSeed(long value) { return new GmmConfig(components, dim, samples, evalSamples, hidden, latent, epochs, batch, learningRate, warmupEpochs, decoderVariance, expost, value); }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }
}
