package javae.vae.tsne;

/** The bounding box of a 2-D embedding y [N, 2]: its lower-left corner and its longer side. */
record Bounds(double minX, double minY, double side) {
    static Bounds of(double[] y, int n) {
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        return new Bounds(minX, minY, Math.max(maxX - minX, maxY - minY));
    }
}
