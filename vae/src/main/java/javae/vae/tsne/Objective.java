package javae.vae.tsne;

/**
 * The t-SNE cost KL(P || Q) of a 2-D embedding and its gradient, with Student-t similarities
 * q_ij = (1 + |y_i - y_j|^2)^-1 / Z. The gradient is
 * dC/dy_i = 4 sum_j (a p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j), a = early exaggeration.
 */
interface Objective {
    /** Writes the gradient [N, 2] at {@code y} [N, 2] into {@code grad}, with P multiplied by {@code exaggeration}. */
    void gradient(double[] y, double exaggeration, double[] grad);

    /** KL(P || Q) in nats at {@code y}. */
    double klDivergence(double[] y);

    /** Smallest probability that enters a logarithm, as scikit-learn's float32 tiny guard. */
    double TINY = Float.MIN_NORMAL;
}
