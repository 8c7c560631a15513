package javae.vae.tsne;

/**
 * What a t-SNE run produced: the embedding [N][2], the final KL(P || Q) in nats (for Barnes-Hut
 * with Z estimated by the tree, as scikit-learn reports it), the method used and the wall time.
 */
public record TsneResult(double[][] embedding, double klDivergence, TsneOptions.Method method, double seconds) {}
