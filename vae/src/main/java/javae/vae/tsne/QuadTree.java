package javae.vae.tsne;

import javae.engine.kernels.VectorSupport;

import java.util.Arrays;

/**
 * A quadtree over a 2-D embedding for Barnes-Hut repulsion, laid out for speed: the points are
 * sorted along a Morton (Z-order) curve, so every cell is a contiguous range of the sorted points
 * and nearby points are nearby in memory. Each cell knows its width, its number of points and their
 * centre of mass, so a far-away cell acts on a point as one heavy point. The tree is rebuilt,
 * reusing its arrays, every iteration.
 *
 * <p>Repulsion is computed for groups of nearby points at once (Barnes, 1990): one traversal per
 * group collects an interaction list of cells far enough from the group's bounding box (width <
 * theta * distance from the cell's centre of mass to the box, which implies the per-point
 * criterion for every point of the group, so the sums are at least as accurate as per-point
 * Barnes-Hut), plus the single points of the nearby leaves; then every point of the group runs
 * over the list in a plain loop the JIT compiler can vectorise.
 */
final class QuadTree {
    /** A cell with at most this many points is not split. */
    static final int LEAF_SIZE = 16;
    /** Points per group sharing one interaction list. */
    static final int GROUP_SIZE = 256;
    /** Bits of the Morton code per axis: cells are never split below 2^-16 of the root. */
    private static final int LEVELS = 16;

    /** Bits of a radix-sort digit: three passes cover the 2 * LEVELS bits of a cell code. */
    private static final int DIGIT_BITS = 11;

    private int n;
    private long[] keys = new long[0];   // cell code << 31 | original index, sorted by cell code
    private long[] spare = new long[0];  // the radix sort's other buffer
    private final int[] digitCounts = new int[1 << DIGIT_BITS];
    int[] original = new int[0];         // sorted position -> original point index
    double[] px = new double[0], py = new double[0]; // sorted positions
    private float[] fx = new float[0], fy = new float[0];  // the same in float, for the force kernel
    // Running sums of the sorted positions, taken from the box's corner: a cell's centre of mass
    // is two differences, not a pass over its points at every level.
    private double[] sumX = new double[0], sumY = new double[0];

    // Per node: [start, end) of the sorted points, the first of its consecutive children and how
    // many (0 for a leaf), the full width of its square cell, and its centre of mass.
    private int[] start = new int[0], end = new int[0], firstChild = new int[0], childCount = new int[0], level = new int[0], parent = new int[0];
    private double[] width = new double[0], comX = new double[0], comY = new double[0];
    private int nodes;
    private double minX, minY; // the root cell's lower-left corner
    /** The groups: nodes of at most GROUP_SIZE points whose parent has more, and larger unsplittable leaves. */
    private int[] groups = new int[0];
    private int groupCount;

    /** Rebuilds the tree over the n points of {@code y} [N, 2]. */
    void build(double[] y, int n) {
        this.n = n;
        if (keys.length != n) {
            keys = new long[n];
            spare = new long[n];
            original = new int[n];
            px = new double[n];
            py = new double[n];
            fx = new float[n];
            fy = new float[n];
            sumX = new double[n + 1];
            sumY = new double[n + 1];
            Arrays.setAll(original, s -> s);
        }
        Bounds bounds = Bounds.of(y, n);
        minX = bounds.minX();
        minY = bounds.minY();
        double size = Math.max(bounds.side(), Double.MIN_NORMAL);
        double cellsPerUnit = (1 << LEVELS) / size;
        for (int s = 0; s < n; s++) {
            int i = original[s];
            int cx = Math.min((1 << LEVELS) - 1, (int) ((y[2 * i] - minX) * cellsPerUnit));
            int cy = Math.min((1 << LEVELS) - 1, (int) ((y[2 * i + 1] - minY) * cellsPerUnit));
            keys[s] = (interleave(cx) | interleave(cy) << 1) << 31 | i;
        }
        sortByCell();
        for (int s = 0; s < n; s++) {
            int i = (int) (keys[s] & Integer.MAX_VALUE);
            original[s] = i;
            px[s] = y[2 * i];
            py[s] = y[2 * i + 1];
            fx[s] = (float) px[s];
            fy[s] = (float) py[s];
            sumX[s + 1] = sumX[s] + (px[s] - minX);
            sumY[s + 1] = sumY[s] + (py[s] - minY);
        }
        nodes = 0;
        groupCount = 0;
        addNode(0, n, 0, size);
        // Breadth first, so that the children of a node are consecutive.
        for (int node = 0; node < nodes; node++) split(node);
        for (int node = 0; node < nodes; node++) {
            boolean small = end[node] - start[node] <= GROUP_SIZE;
            boolean parentLarge = node == 0 || end[parent[node]] - start[parent[node]] > GROUP_SIZE;
            if (small ? parentLarge : childCount[node] == 0) {
                if (groupCount == groups.length) groups = Arrays.copyOf(groups, Math.max(64, 2 * groupCount));
                groups[groupCount++] = node;
            }
        }
    }

    /**
     * Sorts the keys by cell code, a stable least-significant-digit radix sort: points in the same
     * finest cell keep the previous build's order. Three linear passes; a comparison sort took
     * more than twice as long, though the keys come almost in order.
     */
    private void sortByCell() {
        int mask = (1 << DIGIT_BITS) - 1;
        for (int shift = 31; shift < 31 + 2 * LEVELS; shift += DIGIT_BITS) {
            Arrays.fill(digitCounts, 0);
            for (int s = 0; s < n; s++) digitCounts[(int) (keys[s] >>> shift) & mask]++;
            for (int digit = 0, first = 0; digit <= mask; digit++) {
                int count = digitCounts[digit];
                digitCounts[digit] = first;
                first += count;
            }
            for (int s = 0; s < n; s++) spare[digitCounts[(int) (keys[s] >>> shift) & mask]++] = keys[s];
            long[] sorted = spare;
            spare = keys;
            keys = sorted;
        }
    }

    /** Spreads the 16 bits of v to the even bits of a long. */
    private static long interleave(int v) {
        long x = v & 0xFFFFL;
        x = (x | x << 8) & 0x00FF00FFL;
        x = (x | x << 4) & 0x0F0F0F0FL;
        x = (x | x << 2) & 0x33333333L;
        x = (x | x << 1) & 0x55555555L;
        return x;
    }

    private int addNode(int from, int to, int depth, double cellWidth) {
        if (nodes == start.length) {
            int capacity = Math.max(256, 2 * nodes);
            start = Arrays.copyOf(start, capacity);
            end = Arrays.copyOf(end, capacity);
            firstChild = Arrays.copyOf(firstChild, capacity);
            childCount = Arrays.copyOf(childCount, capacity);
            level = Arrays.copyOf(level, capacity);
            parent = Arrays.copyOf(parent, capacity);
            width = Arrays.copyOf(width, capacity);
            comX = Arrays.copyOf(comX, capacity);
            comY = Arrays.copyOf(comY, capacity);
        }
        int node = nodes++;
        start[node] = from;
        end[node] = to;
        level[node] = depth;
        width[node] = cellWidth;
        firstChild[node] = 0;
        childCount[node] = 0;
        comX[node] = minX + (sumX[to] - sumX[from]) / (to - from);
        comY[node] = minY + (sumY[to] - sumY[from]) / (to - from);
        return node;
    }

    /** Splits a node of more than LEAF_SIZE points into its (non-empty) quadrants. */
    private void split(int node) {
        int from = start[node], to = end[node], depth = level[node];
        if (to - from <= LEAF_SIZE || depth == LEVELS) return;
        int shift = 31 + 2 * (LEVELS - 1 - depth); // the two code bits choosing the quadrant
        int first = nodes;
        int s = from;
        for (int quadrant = 0; quadrant < 4; quadrant++) {
            // the node's keys are sorted, so its quadrants are consecutive runs: find where this one ends
            int e = quadrant == 3 ? to : firstWithQuadrantAbove(s, to, shift, quadrant);
            if (e > s) {
                int child = addNode(s, e, depth + 1, width[node] / 2);
                parent[child] = node;
            }
            s = e;
        }
        firstChild[node] = first;
        childCount[node] = nodes - first;
    }

    /** The first position in [from, to) whose quadrant bits exceed {@code quadrant}, else to (binary search). */
    private int firstWithQuadrantAbove(int from, int to, int shift, int quadrant) {
        int low = from, high = to;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (((keys[middle] >>> shift) & 3) <= quadrant) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    int groupCount() {
        return groupCount;
    }

    /** Growable interaction list of one worker: positions and masses of the cells and points acting on a group. */
    static final class InteractionList {
        /** Room kept after the last entry for one vector of zero-mass padding. */
        static final int PADDING = 64;

        float[] x = new float[1024], y = new float[1024], mass = new float[1024];
        /** Entries in use; the arrays beyond them hold zero masses, so vector loops may overrun to a full vector. */
        int size;
        int[] stack = new int[1024];

        void add(double cx, double cy, int m) {
            if (size + PADDING > x.length) {
                x = Arrays.copyOf(x, 2 * size);
                y = Arrays.copyOf(y, 2 * size);
                mass = Arrays.copyOf(mass, 2 * size);
            }
            x[size] = (float) cx;
            y[size] = (float) cy;
            mass[size++] = m;
        }
    }

    /**
     * The repulsion on the points of group g: for each of its sorted positions s, adds
     * sum_j q_sj^2 (y_s - y_j) to {@code forceX[s]}, {@code forceY[s]} and sum_j q_sj to
     * {@code sumQ[s]}, over all j != s, with q = 1 / (1 + |y_s - y_j|^2) unnormalised.
     */
    void repulsion(int g, double theta, InteractionList list, float[] forceX, float[] forceY, float[] sumQ) {
        int group = groups[g];
        int from = start[group], to = end[group];
        double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int s = from; s < to; s++) {
            minX = Math.min(minX, px[s]);
            maxX = Math.max(maxX, px[s]);
            minY = Math.min(minY, py[s]);
            maxY = Math.max(maxY, py[s]);
        }
        collect(theta * theta, from, to, minX, maxX, minY, maxY, list);
        if (VectorSupport.enabled()) {
            RepulsionVector.accumulate(fx, fy, from, to, list, forceX, forceY, sumQ);
        } else {
            accumulate(fx, fy, from, to, list, forceX, forceY, sumQ);
        }
        // The group's own points are on the list as single points: each met itself once, at
        // distance 0, which added exactly 1 to its sum and nothing to its force.
        for (int s = from; s < to; s++) sumQ[s] -= 1;
    }

    /**
     * The reference force kernel: every point s in [from, to) against every entry of the list.
     * {@link RepulsionVector} computes the same with the Vector API.
     */
    static void accumulate(float[] px, float[] py, int from, int to, InteractionList list,
                           float[] forceX, float[] forceY, float[] sumQ) {
        float[] lx = list.x, ly = list.y, lm = list.mass;
        for (int s = from; s < to; s++) {
            float sx = px[s], sy = py[s];
            float q = 0, ax = 0, ay = 0;
            for (int e = 0; e < list.size; e++) {
                float dx = sx - lx[e], dy = sy - ly[e];
                float kernel = 1 / (1 + dx * dx + dy * dy);
                float mq = lm[e] * kernel;
                q += mq;
                ax += mq * kernel * dx;
                ay += mq * kernel * dy;
            }
            sumQ[s] = q;
            forceX[s] = ax;
            forceY[s] = ay;
        }
    }

    /**
     * Fills {@code list} with the cells accepted for the group's box and the single points of the
     * rest. Cells holding the group itself are always opened, so its own points are on the list
     * as single points.
     */
    private void collect(double thetaSquared, int groupFrom, int groupTo,
                         double minX, double maxX, double minY, double maxY, InteractionList list) {
        list.size = 0;
        int[] stack = list.stack;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            // distance from the centre of mass to the nearest point of the box
            double dx = Math.max(0, Math.max(minX - comX[node], comX[node] - maxX));
            double dy = Math.max(0, Math.max(minY - comY[node], comY[node] - maxY));
            double w = width[node];
            boolean holdsGroup = start[node] <= groupFrom && groupTo <= end[node];
            if (!holdsGroup && w * w < thetaSquared * (dx * dx + dy * dy)) {
                list.add(comX[node], comY[node], end[node] - start[node]);
            } else if (childCount[node] == 0) {
                for (int s = start[node]; s < end[node]; s++) list.add(px[s], py[s], 1);
            } else {
                if (top + 4 > stack.length) list.stack = stack = Arrays.copyOf(stack, 2 * stack.length);
                for (int c = childCount[node] - 1; c >= 0; c--) stack[top++] = firstChild[node] + c;
            }
        }
    }
}
