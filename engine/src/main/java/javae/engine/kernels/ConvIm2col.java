package javae.engine.kernels;

/**
 * The fast path of {@link ConvKernels}: convolution as matrix multiplication (im2col).
 *
 * <p>Lay every input window of an image out as one column: the window of output position
 * {@code l = (oy, ox)} becomes column l of cols [K = C kh kw, L = outH outW], row {@code (c, ky, kx)}
 * holding {@code x[c, oy stride - padding + ky, ox stride - padding + kx]} (zero in the padding).
 * The weight w [O, C, kh, kw] read as a matrix [O, K] then gives all three kernels as one GEMM each:
 * <pre>
 *   forward          y_n [O, L]  += w [O, K]    cols [K, L]
 *   backward-data    dcols [K, L] = w^T [K, O]  dy_n [O, L],  then dx_n += col2im(dcols)
 *   backward-weight  dw [O, K]   += dy_n [O, L] cols^T [L, K], summed over images n
 * </pre>
 * col2im is im2col read backwards: each column entry is added back into the input pixel it was copied from.
 *
 * <p>Layers whose output is small (L = 16 on an 8x8 input) would give GEMM a thin right-hand side,
 * so images are processed in groups that put at least {@link #MIN_GROUP_COLUMNS} columns side by side:
 * cols [K, G L], column {@code g L + l} for image g of the group. When the kernel covers the whole
 * unpadded input (the VAE's 4x4 to 1x1 layer, and its transpose from 1x1), each image is already a single
 * column and the whole batch is one GEMM with no copying at all.
 *
 * <p>Groups run in parallel on {@link Parallel}. Group sizes depend only on the layer's shape, and
 * the weight gradient is summed per tile of groups into partial sums that are added together in tile
 * order, so the result is the same bits on any number of threads. Each thread keeps its work arrays
 * between calls; steady-state calls allocate no arrays.
 */
final class ConvIm2col {
    private ConvIm2col() {}

    /** Images are grouped until a group has at least this many output positions, to keep GEMM's n dimension wide. */
    private static final int MIN_GROUP_COLUMNS = 256;
    /** The number of partial weight gradients (at most; fewer when there are fewer groups). Fixed, so bits do not depend on threads. */
    private static final int WEIGHT_TILES = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** y [N, O, outH, outW] += conv(x [N, C, inH, inW], w [O, C, kh, kw]). */
    static void forward(float[] x, float[] w, float[] y, int batch, int inChannels, int inH, int inW,
                        int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        if (s.kernelCoversInput) {
            // y [N, O] += x [N, K] w^T [K, O]: every image is one column already
            Gemm.multiply(false, true, batch, outChannels, s.rows, x, 0, w, 0, y, 0, true);
            return;
        }
        Parallel.forEach(s.groups, group -> {
            Scratch scratch = SCRATCH.get();
            int first = s.firstImage(group), count = s.imagesIn(group), columns = count * s.positions;
            float[] cols = scratch.columns(s.rows * columns); // cols [K, count L]
            im2col(x, first, count, s, cols);
            if (count == 1) {
                // a group of one image has exactly y_n's layout [O, L]: multiply straight into it
                Gemm.multiply(false, false, outChannels, columns, s.rows, w, 0, cols, 0, y, first * s.outputSize, true);
            } else {
                float[] product = scratch.product(outChannels * columns); // product [O, count L]
                Gemm.multiply(false, false, outChannels, columns, s.rows, w, 0, cols, 0, product, 0, false);
                addGroupToImages(product, y, first, count, s);
            }
        });
    }

    /** dx [N, C, inH, inW] += the input gradient of conv, given dy [N, O, outH, outW] and w [O, C, kh, kw]. */
    static void backwardData(float[] dy, float[] w, float[] dx, int batch, int inChannels, int inH, int inW,
                             int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        if (s.kernelCoversInput) {
            // dx [N, K] += dy [N, O] w [O, K]
            Gemm.multiply(false, false, batch, s.rows, outChannels, dy, 0, w, 0, dx, 0, true);
            return;
        }
        Parallel.forEach(s.groups, group -> {
            Scratch scratch = SCRATCH.get();
            int first = s.firstImage(group), count = s.imagesIn(group), columns = count * s.positions;
            float[] dyGroup = count == 1 ? dy : gatherGroup(dy, first, count, s, scratch.product(outChannels * columns));
            int dyOffset = count == 1 ? first * s.outputSize : 0;
            float[] dcols = scratch.columns(s.rows * columns); // dcols [K, count L] = w^T [K, O] dy [O, count L]
            Gemm.multiply(true, false, s.rows, columns, outChannels, w, 0, dyGroup, dyOffset, dcols, 0, false);
            col2im(dcols, dx, first, count, s);
        });
    }

    /** dw [O, C, kh, kw] += the weight gradient of conv, given the input x [N, C, inH, inW] and dy [N, O, outH, outW]. */
    static void backwardWeight(float[] x, float[] dy, float[] dw, int batch, int inChannels, int inH, int inW,
                               int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        if (s.kernelCoversInput) {
            // dw [O, K] += dy^T [O, N] x [N, K]
            Gemm.multiply(true, false, outChannels, s.rows, batch, dy, 0, x, 0, dw, 0, true);
            return;
        }
        int weightSize = outChannels * s.rows;
        int tiles = Math.min(WEIGHT_TILES, s.groups);
        float[] partials = SCRATCH.get().partials(tiles * weightSize); // partials [tiles, O, K]
        Parallel.forEach(tiles, tile -> {
            Scratch scratch = SCRATCH.get();
            int firstGroup = tile * s.groups / tiles, endGroup = (tile + 1) * s.groups / tiles;
            for (int group = firstGroup; group < endGroup; group++) {
                int first = s.firstImage(group), count = s.imagesIn(group), columns = count * s.positions;
                float[] cols = scratch.columns(s.rows * columns);
                im2col(x, first, count, s, cols);
                float[] dyGroup = count == 1 ? dy : gatherGroup(dy, first, count, s, scratch.product(outChannels * columns));
                int dyOffset = count == 1 ? first * s.outputSize : 0;
                // partial [O, K] (+)= dy [O, count L] cols^T [count L, K]; the tile's first group starts it
                Gemm.multiply(false, true, outChannels, s.rows, columns, dyGroup, dyOffset, cols, 0,
                        partials, tile * weightSize, group > firstGroup);
            }
        });
        for (int tile = 0; tile < tiles; tile++) { // in tile order: the same sum on any number of threads
            int base = tile * weightSize;
            for (int i = 0; i < weightSize; i++) dw[i] += partials[base + i];
        }
    }

    /**
     * cols [K, count L] = the input windows of images first .. first + count - 1 of x [N, C, inH, inW]:
     * row (c, ky, kx), column (image, oy, ox). Rows of the output that fall into the padding are zero;
     * within a row, the valid run of ox is computed once, so the inner loop is a plain strided copy.
     */
    private static void im2col(float[] x, int first, int count, Layout s, float[] cols) {
        int columns = count * s.positions, plane = s.inH * s.inW;
        for (int c = 0; c < s.inChannels; c++) {
            for (int ky = 0; ky < s.kernelH; ky++) {
                int oyFirst = s.firstInside(ky), oyEnd = s.endInside(ky, s.inH, s.outH);
                for (int kx = 0; kx < s.kernelW; kx++) {
                    int oxFirst = s.firstInside(kx), oxEnd = s.endInside(kx, s.inW, s.outW);
                    int row = (c * s.kernelH + ky) * s.kernelW + kx;
                    for (int image = 0; image < count; image++) {
                        int source = ((first + image) * s.inChannels + c) * plane;
                        int target = row * columns + image * s.positions;
                        for (int oy = 0; oy < s.outH; oy++) {
                            int t = target + oy * s.outW;
                            if (oy < oyFirst || oy >= oyEnd) {
                                for (int ox = 0; ox < s.outW; ox++) cols[t + ox] = 0f;
                                continue;
                            }
                            // x index of output column ox is start + ox * stride
                            int start = source + (oy * s.stride - s.padding + ky) * s.inW - s.padding + kx;
                            for (int ox = 0; ox < oxFirst; ox++) cols[t + ox] = 0f;
                            if (s.stride == 1) {
                                System.arraycopy(x, start + oxFirst, cols, t + oxFirst, oxEnd - oxFirst);
                            } else {
                                for (int ox = oxFirst; ox < oxEnd; ox++) cols[t + ox] = x[start + ox * s.stride];
                            }
                            for (int ox = oxEnd; ox < s.outW; ox++) cols[t + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** dx [N, C, inH, inW] += col2im(dcols [K, count L]): every column entry goes back to the pixel im2col copied it from. */
    private static void col2im(float[] dcols, float[] dx, int first, int count, Layout s) {
        int columns = count * s.positions, plane = s.inH * s.inW;
        for (int c = 0; c < s.inChannels; c++) {
            for (int ky = 0; ky < s.kernelH; ky++) {
                int oyFirst = s.firstInside(ky), oyEnd = s.endInside(ky, s.inH, s.outH);
                for (int kx = 0; kx < s.kernelW; kx++) {
                    int oxFirst = s.firstInside(kx), oxEnd = s.endInside(kx, s.inW, s.outW);
                    int row = (c * s.kernelH + ky) * s.kernelW + kx;
                    for (int image = 0; image < count; image++) {
                        int target = ((first + image) * s.inChannels + c) * plane;
                        int source = row * columns + image * s.positions;
                        for (int oy = oyFirst; oy < oyEnd; oy++) {
                            int from = source + oy * s.outW;
                            int start = target + (oy * s.stride - s.padding + ky) * s.inW - s.padding + kx;
                            for (int ox = oxFirst; ox < oxEnd; ox++) dx[start + ox * s.stride] += dcols[from + ox];
                        }
                    }
                }
            }
        }
    }

    /** y [N, O, L] += product [O, count L] for images first .. first + count - 1. */
    private static void addGroupToImages(float[] product, float[] y, int first, int count, Layout s) {
        int columns = count * s.positions;
        for (int image = 0; image < count; image++) {
            for (int o = 0; o < s.outChannels; o++) {
                int from = o * columns + image * s.positions, to = ((first + image) * s.outChannels + o) * s.positions;
                for (int l = 0; l < s.positions; l++) y[to + l] += product[from + l];
            }
        }
    }

    /** Returns group [O, count L] filled from dy [N, O, L] for images first .. first + count - 1 (addGroupToImages' inverse). */
    private static float[] gatherGroup(float[] dy, int first, int count, Layout s, float[] group) {
        int columns = count * s.positions;
        for (int image = 0; image < count; image++) {
            for (int o = 0; o < s.outChannels; o++) {
                System.arraycopy(dy, ((first + image) * s.outChannels + o) * s.positions, group, o * columns + image * s.positions, s.positions);
            }
        }
        return group;
    }

    /** A convolution's sizes, and the matrix sizes and image groups derived from them. */
    private static final class Layout {
        final int inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding, outH, outW;
        /** K = C kh kw: rows of cols, the reduction length of the forward GEMM. */
        final int rows;
        /** L = outH outW: columns of cols per image. */
        final int positions;
        /** O L: the floats of one image's output. */
        final int outputSize;
        final int batch, groupSize, groups;
        /** Each image is one window: no padding and the kernel exactly as large as the input. */
        final boolean kernelCoversInput;

        Layout(int batch, int inChannels, int inH, int inW, int outChannels, int kernelH, int kernelW, int stride, int padding) {
            this.batch = batch;
            this.inChannels = inChannels;
            this.inH = inH;
            this.inW = inW;
            this.outChannels = outChannels;
            this.kernelH = kernelH;
            this.kernelW = kernelW;
            this.stride = stride;
            this.padding = padding;
            this.outH = ConvKernels.outputSize(inH, kernelH, stride, padding);
            this.outW = ConvKernels.outputSize(inW, kernelW, stride, padding);
            this.rows = inChannels * kernelH * kernelW;
            this.positions = outH * outW;
            this.outputSize = outChannels * positions;
            this.groupSize = Math.max(1, Math.min(batch, ceilDiv(MIN_GROUP_COLUMNS, Math.max(1, positions))));
            this.groups = ceilDiv(batch, groupSize);
            this.kernelCoversInput = padding == 0 && kernelH == inH && kernelW == inW;
        }

        int firstImage(int group) {
            return group * groupSize;
        }

        int imagesIn(int group) {
            return Math.min(groupSize, batch - firstImage(group));
        }

        /** The first output index whose window cell at kernel offset k lies inside the input (not in the leading padding). */
        int firstInside(int k) {
            return Math.max(0, ceilDiv(padding - k, stride));
        }

        /** One past the last output index (of {@code out}) whose window cell at kernel offset k lies inside an input of length {@code in}. */
        int endInside(int k, int in, int out) {
            return Math.max(firstInside(k), Math.min(out, Math.floorDiv(in - 1 + padding - k, stride) + 1));
        }

        private static int ceilDiv(int a, int b) {
            return -Math.floorDiv(-a, b);
        }
    }

    /** One thread's work arrays. They only grow, so once every layer has run once, calls allocate no arrays. */
    private static final class Scratch {
        private float[] columns = new float[0];
        private float[] product = new float[0];
        private float[] partials = new float[0];

        float[] columns(int size) {
            if (columns.length < size) columns = new float[size];
            return columns;
        }

        float[] product(int size) {
            if (product.length < size) product = new float[size];
            return product;
        }

        float[] partials(int size) {
            if (partials.length < size) partials = new float[size];
            return partials;
        }
    }
}
