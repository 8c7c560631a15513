package javae.vae.tsne;

/**
 * The t-SNE objective for large N: attraction exact over the sparse P of nearest neighbours
 * ({@link SparseAttraction}), repulsion approximated by a subclass (Barnes-Hut's tree or FIt-SNE's
 * interpolation grid). The gradient and the KL divergence combine the two the same way for both.
 */
abstract class SparseObjective implements Objective {
    final SparseAttraction attraction;
    final int n;

    SparseObjective(Affinities.SparseMatrix p, int n) {
        this.attraction = new SparseAttraction(p, n);
        this.n = n;
    }

    /** Fills {@code repulsion} [N, 2] with sum_j q_ij^2 Z^2 (y_i - y_j) (unnormalised) and returns Z. */
    abstract double repulsion(double[] y, double[] repulsion);

    @Override
    public final void gradient(double[] y, double exaggeration, double[] grad) {
        double z = repulsion(y, grad);
        attraction.gradient(y, exaggeration, z, grad);
    }

    @Override
    public final double klDivergence(double[] y) {
        return attraction.klDivergence(y, repulsion(y, new double[2 * n]));
    }
}
