package javae.vae.tsne;

import java.util.Arrays;

/**
 * A point-region quadtree over a 2-D embedding, for Barnes-Hut: every cell knows how many points it
 * holds and their centre of mass, so a far-away cell acts on a point as one heavy point.
 * Nodes live in parallel arrays (no objects per node) and the tree is rebuilt, reusing the arrays,
 * every iteration. Building is sequential; it is cheap next to the force sums.
 */
final class QuadTree {
    private static final int NONE = -1;

    // Per node: the square cell (centre, half width), the points inside (count, summed position),
    // the first of four consecutive children (NONE for a leaf) and, for a leaf, the position of
    // its point. Coincident points share one leaf.
    private double[] centreX, centreY, halfWidth, sumX, sumY, leafX, leafY;
    private int[] count, firstChild;
    private int nodes;

    QuadTree() {
        allocate(1024);
    }

    private void allocate(int capacity) {
        centreX = new double[capacity];
        centreY = new double[capacity];
        halfWidth = new double[capacity];
        sumX = new double[capacity];
        sumY = new double[capacity];
        leafX = new double[capacity];
        leafY = new double[capacity];
        count = new int[capacity];
        firstChild = new int[capacity];
    }

    private void grow() {
        int capacity = centreX.length * 2;
        centreX = Arrays.copyOf(centreX, capacity);
        centreY = Arrays.copyOf(centreY, capacity);
        halfWidth = Arrays.copyOf(halfWidth, capacity);
        sumX = Arrays.copyOf(sumX, capacity);
        sumY = Arrays.copyOf(sumY, capacity);
        leafX = Arrays.copyOf(leafX, capacity);
        leafY = Arrays.copyOf(leafY, capacity);
        count = Arrays.copyOf(count, capacity);
        firstChild = Arrays.copyOf(firstChild, capacity);
    }

    private int newNode(double cx, double cy, double hw) {
        if (nodes == centreX.length) grow();
        int node = nodes++;
        centreX[node] = cx;
        centreY[node] = cy;
        halfWidth[node] = hw;
        sumX[node] = 0;
        sumY[node] = 0;
        count[node] = 0;
        firstChild[node] = NONE;
        return node;
    }

    /** Rebuilds the tree over the n points of {@code y} [N, 2]. */
    void build(double[] y, int n) {
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        // A little margin so that the extreme points lie strictly inside the root.
        double hw = Math.max(maxX - minX, maxY - minY) / 2 * (1 + 1e-6) + 1e-12;
        nodes = 0;
        newNode((minX + maxX) / 2, (minY + maxY) / 2, hw);
        for (int i = 0; i < n; i++) insert(y[2 * i], y[2 * i + 1]);
    }

    private void insert(double x, double y) {
        int node = 0;
        while (true) {
            if (firstChild[node] == NONE) {
                if (count[node] == 0 || (leafX[node] == x && leafY[node] == y)) {
                    // An empty leaf takes the point; a coincident one just counts it again.
                    leafX[node] = x;
                    leafY[node] = y;
                    add(node, x, y);
                    return;
                }
                split(node);
            }
            add(node, x, y);
            node = firstChild[node] + quadrant(node, x, y);
        }
    }

    private void add(int node, double x, double y) {
        count[node]++;
        sumX[node] += x;
        sumY[node] += y;
    }

    /** Turns a leaf into four children and moves its (possibly repeated) point down into one. */
    private void split(int node) {
        double hw = halfWidth[node] / 2;
        double cx = centreX[node], cy = centreY[node];
        int first = newNode(cx - hw, cy - hw, hw);
        newNode(cx + hw, cy - hw, hw);
        newNode(cx - hw, cy + hw, hw);
        newNode(cx + hw, cy + hw, hw);
        firstChild[node] = first;
        int child = first + quadrant(node, leafX[node], leafY[node]);
        leafX[child] = leafX[node];
        leafY[child] = leafY[node];
        count[child] = count[node];
        sumX[child] = sumX[node];
        sumY[child] = sumY[node];
    }

    private int quadrant(int node, double x, double y) {
        return (x >= centreX[node] ? 1 : 0) + (y >= centreY[node] ? 2 : 0);
    }

    /**
     * The repulsion on the point at (x, y), which is one of the tree's points: adds
     * sum_j q_ij^2 (y_i - y_j) to {@code force[offset..offset+1]} and returns sum_j q_ij, both
     * over all j != i with q_ij = 1 / (1 + |y_i - y_j|^2) unnormalised. A cell whose width is below
     * theta times its distance counts as one point of its mass at its centre of mass.
     * {@code stack} must hold at least 3 * depth + 4 entries; 256 is far more than enough.
     */
    double repulsion(double x, double y, double theta, double[] force, int offset, int[] stack) {
        double thetaSquared = theta * theta;
        double sumQ = 0, fx = 0, fy = 0;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            int points = count[node];
            if (points == 0) continue;
            boolean leaf = firstChild[node] == NONE;
            double dx, dy;
            if (leaf) {
                dx = x - leafX[node];
                dy = y - leafY[node];
            } else {
                dx = x - sumX[node] / points;
                dy = y - sumY[node] / points;
            }
            double distSquared = dx * dx + dy * dy;
            double width = 2 * halfWidth[node];
            if (leaf || width * width < thetaSquared * distSquared) {
                // A leaf at distance 0 holds the point itself (and any points coincident with it).
                if (leaf && distSquared == 0) points--;
                double q = 1 / (1 + distSquared);
                double mass = points * q;
                sumQ += mass;
                fx += mass * q * dx;
                fy += mass * q * dy;
            } else {
                int first = firstChild[node];
                if (top + 4 > stack.length) throw new IllegalStateException("quadtree deeper than its traversal stack");
                for (int c = 3; c >= 0; c--) stack[top++] = first + c;
            }
        }
        force[offset] += fx;
        force[offset + 1] += fy;
        return sumQ;
    }
}
