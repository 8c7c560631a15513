package javae.vae.tsne;

import javae.engine.kernels.Parallel;

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

    /**
     * The part of the repulsion at {@code y} that runs on one thread (Barnes-Hut's tree), done
     * before {@link #repulsion}; none by default.
     */
    void prepareRepulsion(double[] y) {}

    /**
     * Fills {@code repulsion} [N, 2] with sum_j q_ij^2 Z^2 (y_i - y_j) (unnormalised) and returns Z,
     * once {@link #prepareRepulsion} has seen the same {@code y}.
     */
    abstract double repulsion(double[] y, double[] repulsion);

    @Override
    public final void gradient(double[] y, double exaggeration, double[] grad) {
        // The attraction does not need the repulsion's preparation: one parallel pass runs that
        // serial work as one more tile beside the attraction's, so no thread waits for it.
        attraction.load(y);
        Parallel.forEach(1 + attraction.tiles(), tile -> {
            if (tile == 0) {
                prepareRepulsion(y);
            } else {
                attraction.forces(tile - 1);
            }
        });
        double z = repulsion(y, grad);
        attraction.combine(exaggeration, z, grad);
    }

    @Override
    public final double klDivergence(double[] y) {
        prepareRepulsion(y);
        return attraction.klDivergence(y, repulsion(y, new double[2 * n]));
    }
}
