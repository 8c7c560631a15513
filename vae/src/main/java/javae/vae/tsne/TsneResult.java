package javae.vae.tsne;

/**
 * What a t-SNE run produced: the embedding [N][2], the final KL(P || Q) in nats (summed exactly
 * over P's entries, with Z from the same approximation as the gradient: the tree for Barnes-Hut, as
 * scikit-learn reports it, the grid for FFT), the method used and the wall time.
 */
public record TsneResult(double[][] embedding, double klDivergence, TsneOptions.Method method, double seconds) {}
