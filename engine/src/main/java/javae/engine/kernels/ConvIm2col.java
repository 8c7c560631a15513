package javae.engine.kernels;

import java.util.Arrays;

/**
 * The fast path of {@link ConvKernels}: convolution as matrix multiplication (im2col).
 *
 * <p>Lay every input window of an image out as one column: the window of output position
 * {@code (oy, ox)} becomes a column of cols [K = C kh kw, positions], row {@code (c, ky, kx)} holding
 * {@code x[c, oy stride - padding + ky, ox stride - padding + kx]} (zero in the padding). The weight
 * w [O, C, kh, kw] read as a matrix [O, K] then gives all three kernels as one GEMM each:
 * <pre>
 *   forward          y_n [O, positions]    = w [O, K]          cols [K, positions]
 *   backward-data    dcols [K, positions]  = w^T [K, O]        dy_n [O, positions],  then dx_n += col2im(dcols)
 *   backward-weight  dw^T [K, O]          += cols [K, positions] dy_n^T [positions, O], summed over images n
 * </pre>
 * col2im is im2col read backwards: each column entry is added back into the input pixel it was copied
 * from. Backward-weight computes the transpose of dw so that cols, the large operand, is the one read
 * as it lies and only the small dy is transposed.
 *
 * <p>cols is never built. Its rows are read where they already lie:
 * <ul>
 *   <li>The padded input is first split into its stride x stride phases ({@link #splitPhases}):
 *       padded pixel {@code (py + i s, px + j s)} goes to phase (py, px) at (i, j). Kernel cell
 *       (ky, kx) of output (oy, ox) is then phase (ky mod s, kx mod s) at (oy + ky / s, ox + kx / s):
 *       a plain shift, whatever the stride, and the padding is already zeros.</li>
 *   <li>The columns are laid out as the phases are: (oy, image, ox) with the phase's row pitch,
 *       {@code outH x count x phaseW} rather than {@code count x outH x outW}. The columns
 *       {@code ox >= outW} are junk (they read on into the next phase row), but now a whole row of
 *       cols, for a whole group of images, is ONE contiguous run of {@code outH count phaseW} floats
 *       in the phases ({@link Layout#windowRows} says where each starts). GEMM takes cols as these
 *       rows ({@link Gemm#multiplyRows}), copying a cache-sized piece at a time where its
 *       micro-kernel reads it: im2col costs one pass over the input, and cols is never written out. Backward-data likewise adds each row of dcols straight
 *       into the phases (rows overlap there: that is col2im), which are then merged into dx; its
 *       rows go in an order that keeps neighbours in different phases ({@link Layout#windowRowsByPhase}).
 *       GEMM does {@code phaseW / outW} times the useful work (1.03 to 1.25 on the VAE's layers); the
 *       junk outputs are dropped, and the output gradient is given zeros there so nothing junk
 *       reaches dx or dw.</li>
 *   <li>Layers with few output positions would give GEMM a thin right-hand side, so images are
 *       processed in groups that put at least {@link #MIN_GROUP_COLUMNS} columns side by side.</li>
 * </ul>
 * When the kernel covers the whole unpadded input (the VAE's 4x4 to 1x1 layer, and its transpose from
 * 1x1), each image is already a single column, and the whole batch is one GEMM with no copying at all.
 *
 * <p>Groups run in parallel on {@link Parallel}. Group sizes depend only on the layer's shape, and
 * the weight gradient is summed per tile of groups into partial sums that are added together in tile
 * order, so the result is the same bits on any number of threads. Each thread keeps its work arrays
 * between calls; steady-state calls allocate no arrays.
 *
 * <p>Each kernel is a loop over groups of per-group steps (split, gather, one GEMM, scatter back). A
 * backward pass that needs two kernels runs both steps on each group in turn, so the work they share
 * is done once: a convolution gathers each group's dy once for its input and weight gradients
 * ({@link #backwardDataAndWeight}), a transposed convolution splits each group of its output
 * gradient once ({@link #forwardAndBackwardWeight}), and both sum the group's planes of that
 * gradient for the bias gradient while they are in cache. A weight gradient with no input gradient
 * beside it does not gather dy at all: GEMM packs it, transposing, from where it lies, told by a
 * table where each column is ({@link Layout#outputColumns}); its rows of 16 to 32 floats are whole
 * blocks for GEMM's register transpose.
 */
final class ConvIm2col {
    private ConvIm2col() {}

    /** Images are grouped until a group has at least this many columns, to keep GEMM's n dimension wide, */
    private static final int MIN_GROUP_COLUMNS = 512;
    /** but a batch makes at least this many groups (when it has the images), so two or four threads share the work evenly. */
    private static final int MIN_GROUPS = 8;
    /** The number of partial weight gradients (fewer when there are fewer groups). Fixed, so bits do not depend on threads. */
    private static final int WEIGHT_TILES = 8;
    /** A pass over weight-shaped arrays of at least this many floats in all (transposing w, adding up the partial gradients) runs in parallel by chunks of rows. */
    private static final long PARALLEL_WEIGHT_PASS = 1 << 16;

    private static final boolean VECTOR = VectorSupport.enabled();

    /** A standalone bias gradient ({@link #biasGradient}) over at least this many floats is summed in parallel, */
    private static final long PARALLEL_BIAS_GRADIENT = 1 << 16;
    /** in this many tiles of images (fewer with fewer images). */
    private static final int BIAS_GRADIENT_TILES = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * y [N, O, outH, outW] (+)= conv(x [N, C, inH, inW], w [O, C, kh, kw]), then + b [O] unless b is null, then relu if
     * asked; added into y's values when {@code accumulate}, else written over them.
     */
    static void forward(float[] x, float[] w, float[] b, boolean relu, float[] y, boolean accumulate, int batch, int inChannels, int inH, int inW,
                        int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        if (s.kernelCoversInput) {
            // y [N, O] += x [N, K] w^T [K, O]: every image is one column already. Computed as its
            // transpose, yT [O, N] = w [O, K] x^T [K, N], because GEMM packs its transposed operand
            // with gathers and x has fewer rows than w (64 images against 256 channels in the VAE);
            // each output is still one dot product in the same order of k.
            float[] yT = SCRATCH.get().product(outChannels * batch);
            Gemm.multiply(false, true, outChannels, batch, s.rows, w, 0, x, 0, yT, 0, false);
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < outChannels; o++) y[n * outChannels + o] = accumulate ? y[n * outChannels + o] + yT[o * batch + n] : yT[o * batch + n];
            }
            ConvReference.addBiasAndRelu(y, b, relu, 0, batch, outChannels, 1);
            return;
        }
        Parallel.forEach(s.groups, group -> {
            Scratch scratch = SCRATCH.get();
            forwardGroup(splitGroup(x, group, s, scratch), w, b, relu, y, accumulate, group, s, scratch);
        });
    }

    /**
     * dx [N, C, inH, inW] (+)= the input gradient of conv, given dy [N, O, outH, outW] and w [O, C, kh, kw],
     * then + b [C] unless b is null, then relu if asked (a transposed convolution's forward, bias and ReLU);
     * added into dx's values when {@code accumulate}, else written over them.
     */
    static void backwardData(float[] dy, float[] w, float[] b, boolean relu, float[] dx, boolean accumulate, int batch, int inChannels, int inH, int inW,
                             int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        if (s.kernelCoversInput) {
            // dx [N, K] (+)= dy [N, O] w [O, K]
            Gemm.multiply(false, false, batch, s.rows, outChannels, dy, 0, w, 0, dx, 0, accumulate);
            ConvReference.addBiasAndRelu(dx, b, relu, 0, batch, inChannels, inH * inW);
            return;
        }
        float[] wT = transposeWeightByPhase(w, s);
        Parallel.forEach(s.groups, group -> {
            Scratch scratch = SCRATCH.get();
            backwardDataGroup(gatherGroup(dy, group, s, scratch), wT, b, relu, dx, accumulate, group, s, scratch);
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
        forEachGroupInWeightTiles(s, dw, (group, partials, partial, startsTile, scratch) ->
                backwardWeightGroup(splitGroup(x, group, s, scratch), dy, null, partials, partial, startsTile, group, s, scratch));
    }

    /**
     * A convolution's backward pass: {@link #backwardData} into dx (added, or written when not
     * {@code accumulateDx}), {@link #backwardWeight} into dw
     * and {@link #biasGradient} of dy into db, each skipped when its array is null, the same bits
     * with each group's dy gathered once for dx and dw (not at all without dx) and summed for db
     * while in cache. With a reluOutput (the layer ended in a ReLU and that was its output y), dy is first zeroed in place
     * where y is 0, group by group just before the group is used, so it ends as the gradient
     * before the ReLU, the one the bias gradient sums.
     */
    static void backwardDataAndWeight(float[] x, float[] dy, float[] w, float[] dx, boolean accumulateDx, float[] dw, float[] db, float[] reluOutput, int batch,
                                      int inChannels, int inH, int inW, int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        int imageOutput = outChannels * s.outH * s.outW; // the floats of dy per image
        if (s.kernelCoversInput || (dx == null && dw == null)) {
            if (reluOutput != null) ElementwiseKernels.reluBackwardInPlace(reluOutput, dy);
            if (dx != null) backwardData(dy, w, null, false, dx, accumulateDx, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (dw != null) backwardWeight(x, dy, dw, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (db != null) biasGradient(dy, db, batch, outChannels, s.outH * s.outW);
            return;
        }
        float[] wT = dx == null ? null : transposeWeightByPhase(w, s);
        float[] planeSums = db == null ? null : SCRATCH.get().planeSums(batch * outChannels);
        forEachGroupInWeightTiles(s, dw, (group, partials, partial, startsTile, scratch) -> {
            if (reluOutput != null) reluBackwardOfGroup(reluOutput, dy, group, imageOutput, s);
            if (db != null) sumPlanes(dy, planeSums, s.firstImage(group), s.imagesIn(group), outChannels, s.outH * s.outW);
            float[] dyGroup = dx == null ? null : gatherGroup(dy, group, s, scratch);
            if (dw != null) backwardWeightGroup(splitGroup(x, group, s, scratch), dy, dyGroup, partials, partial, startsTile, group, s, scratch);
            if (dx != null) backwardDataGroup(dyGroup, wT, null, false, dx, accumulateDx, group, s, scratch); // reuses the phases, done with
        });
        if (db != null) addPlaneSums(planeSums, db, batch, outChannels);
    }

    /**
     * A transposed convolution's backward pass, in the terms of the convolution it transposes:
     * {@link #forward} of x into y (its input gradient; added, or written when not {@code accumulateY}),
     * {@link #backwardWeight} with x as the
     * input into dw and {@link #biasGradient} of x into db (the transposed convolution's bias, over
     * C), each skipped when its array is null, the same bits with each group of x split into phases
     * once for y and dw and summed for db while in cache. With a reluOutput (the transposed
     * convolution's output, shaped as x), x, its output gradient, is first zeroed in place where
     * that is 0, group by group.
     */
    static void forwardAndBackwardWeight(float[] x, float[] w, float[] y, boolean accumulateY, float[] dy, float[] dw, float[] db, float[] reluOutput, int batch,
                                         int inChannels, int inH, int inW, int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Layout s = new Layout(batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        int imageInput = inChannels * inH * inW; // the floats of x per image
        if (s.kernelCoversInput || (y == null && dw == null)) {
            if (reluOutput != null) ElementwiseKernels.reluBackwardInPlace(reluOutput, x);
            if (y != null) forward(x, w, null, false, y, accumulateY, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (dw != null) backwardWeight(x, dy, dw, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (db != null) biasGradient(x, db, batch, inChannels, inH * inW);
            return;
        }
        float[] planeSums = db == null ? null : SCRATCH.get().planeSums(batch * inChannels);
        forEachGroupInWeightTiles(s, dw, (group, partials, partial, startsTile, scratch) -> {
            if (reluOutput != null) reluBackwardOfGroup(reluOutput, x, group, imageInput, s);
            if (db != null) sumPlanes(x, planeSums, s.firstImage(group), s.imagesIn(group), inChannels, inH * inW);
            float[] phases = splitGroup(x, group, s, scratch);
            if (y != null) forwardGroup(phases, w, null, false, y, accumulateY, group, s, scratch);
            if (dw != null) backwardWeightGroup(phases, dy, null, partials, partial, startsTile, group, s, scratch);
        });
        if (db != null) addPlaneSums(planeSums, db, batch, inChannels);
    }

    /**
     * db [channels] += g [N, channels, spatial] summed over images and positions: each plane summed
     * by {@link ElementwiseKernels#sum} (in parallel over tiles of images when there is enough work),
     * then the planes added into db in image order, so the bits do not depend on the number of
     * threads, and the fused backward passes above, which sum planes group by group, give the same.
     */
    static void biasGradient(float[] g, float[] db, int batch, int channels, int spatial) {
        float[] planeSums = SCRATCH.get().planeSums(batch * channels);
        int tiles = (long) batch * channels * spatial >= PARALLEL_BIAS_GRADIENT ? Math.min(batch, BIAS_GRADIENT_TILES) : 1;
        Parallel.forEach(tiles, tile -> {
            int first = tile * batch / tiles, end = (tile + 1) * batch / tiles;
            sumPlanes(g, planeSums, first, end - first, channels, spatial);
        });
        addPlaneSums(planeSums, db, batch, channels);
    }

    /** planeSums [N, channels] at images first .. first + count - 1 = the sums of their planes of g [N, channels, spatial]. */
    private static void sumPlanes(float[] g, float[] planeSums, int first, int count, int channels, int spatial) {
        for (int n = first; n < first + count; n++) {
            for (int c = 0; c < channels; c++) {
                planeSums[n * channels + c] = (float) ElementwiseKernels.sum(g, (n * channels + c) * spatial, spatial);
            }
        }
    }

    /** db [channels] += planeSums [N, channels], image by image in order. */
    private static void addPlaneSums(float[] planeSums, float[] db, int batch, int channels) {
        for (int c = 0; c < channels; c++) {
            for (int n = 0; n < batch; n++) db[c] += planeSums[n * channels + c];
        }
    }

    /** g = 0 where reluOutput <= 0, over the images of one group (each {@code imageSize} floats in both). */
    private static void reluBackwardOfGroup(float[] reluOutput, float[] g, int group, int imageSize, Layout s) {
        int from = s.firstImage(group) * imageSize;
        ElementwiseKernels.reluBackwardInPlace(reluOutput, g, from, from + s.imagesIn(group) * imageSize);
    }

    /** The phases of the images of a group of x, in this thread's scratch. */
    private static float[] splitGroup(float[] x, int group, Layout s, Scratch scratch) {
        int count = s.imagesIn(group);
        float[] phases = scratch.phases(s.phasesSize(count));
        splitPhases(x, s.firstImage(group), count, s, phases);
        return phases;
    }

    /** y (+)= the forward of one group, from the group's phases of x, then + b unless b is null and relu if asked (while the group's y is in cache). */
    private static void forwardGroup(float[] phases, float[] w, float[] b, boolean relu, float[] y, boolean accumulate, int group, Layout s, Scratch scratch) {
        int count = s.imagesIn(group), columns = count * s.wide;
        // product [O, count wide] = w [O, K] cols [K, count wide], the rows of cols read in place from the phases
        float[] product = scratch.product(s.outChannels * columns);
        // s is made anew for each call: as the token of the same weights, it lets a thread pack them once for all its groups
        Gemm.multiplyRows(false, false, s.outChannels, columns, s.rows, w, scratch.weightRows(s.outChannels, s.rows, 0),
                phases, scratch.windowRows(s, count), null, product, scratch.denseRows(s.outChannels, columns, 0), false, s);
        addGroupToImages(product, b, relu, y, accumulate, s.firstImage(group), count, s);
    }

    /** wT [K, O] = w^T with its rows in the order of {@link Layout#windowRowsByPhase}, read by every group of backward-data. */
    private static float[] transposeWeightByPhase(float[] w, Layout s) {
        Scratch callerScratch = SCRATCH.get();
        int[] rowOfCols = callerScratch.rowOfCols(s.rows);
        s.windowRowsByPhase(s.groupSize, callerScratch.windowRows(s.rows), rowOfCols);
        float[] wT = callerScratch.transposedWeight(s.rows * s.outChannels);
        Parallel.forEach(WEIGHT_TILES, (long) s.rows * s.outChannels, PARALLEL_WEIGHT_PASS, chunk -> {
            for (int i = chunk * s.rows / WEIGHT_TILES; i < (chunk + 1) * s.rows / WEIGHT_TILES; i++) {
                for (int o = 0; o < s.outChannels; o++) wT[i * s.outChannels + o] = w[o * s.rows + rowOfCols[i]];
            }
        });
        return wT;
    }

    /**
     * dx (+)= the input gradient of one group, from its gathered dy [O, count wide], then + b unless b is
     * null and relu if asked (while the group's dx is in cache). Overwrites the thread's phases.
     */
    private static void backwardDataGroup(float[] dyGroup, float[] wT, float[] b, boolean relu, float[] dx, boolean accumulate,
                                          int group, Layout s, Scratch scratch) {
        int count = s.imagesIn(group), columns = count * s.wide;
        // col2im: dcols [K, count wide] = wT [K, O] dy [O, count wide], each row of dcols added
        // straight into the phases where im2col would have read it, then merged into dx
        float[] phases = scratch.phases(s.phasesSize(count));
        Arrays.fill(phases, 0, s.phasesSize(count), 0f);
        int[] rows = scratch.windowRows(s.rows);
        s.windowRowsByPhase(count, rows, null);
        Gemm.multiplyRows(false, false, s.rows, columns, s.outChannels, wT, scratch.weightRows(s.rows, s.outChannels, 0),
                dyGroup, scratch.denseRows(s.outChannels, columns, 0), null, phases, rows, true, s); // s: the same weights, as in forwardGroup
        mergePhases(phases, dx, b, relu, accumulate, s.firstImage(group), count, s);
    }

    /**
     * partials[partial ..] as [K, O] (+)= cols [K, count wide] dy^T [count wide, O] for one group: transposed, so
     * that the big operand, cols, is read in place from the phases and only the small dy is packed
     * (transposing). dy^T is read from the group's gathered dy [O, count wide] when the caller has
     * gathered it (dyGroup) for the input gradient, else from dy [N, O, outH, outW] where it lies,
     * through a table of where each column is ({@link Layout#outputColumns}), which saves a copy of dy.
     * The first group of a tile starts its partial sum.
     */
    private static void backwardWeightGroup(float[] phases, float[] dy, float[] dyGroup, float[] partials, int partial, boolean startsTile,
                                            int group, Layout s, Scratch scratch) {
        int count = s.imagesIn(group), columns = count * s.wide, plane = s.outH * s.outW;
        float[] b = dyGroup != null ? dyGroup : dy;
        int[] bRows = dyGroup != null ? scratch.denseRows(s.outChannels, columns, 0)
                : scratch.denseRows(s.outChannels, plane, s.firstImage(group) * s.outChannels * plane);
        int[] bColumns = dyGroup != null ? null : scratch.outputColumns(s, count);
        Gemm.multiplyRows(false, true, s.rows, s.outChannels, columns, phases, scratch.windowRows(s, count),
                b, bRows, bColumns, partials, scratch.weightRows(s.rows, s.outChannels, partial), !startsTile, null);
    }

    /** One group's share of a weight gradient: where its tile's partial sum starts in partials, and whether it starts that sum. */
    private interface WeightGroupStep {
        void run(int group, float[] partials, int partial, boolean startsTile, Scratch scratch);
    }

    /**
     * Runs {@code step} for every group, in a fixed number of tiles of consecutive groups, in parallel;
     * each tile sums its groups' weight gradients into its own partial sum, the partial sums are
     * added together in tile order, and their total to dw [O, K]: the same sum on any number of
     * threads. Without a dw (null), every group runs on its own, with no partial sum.
     */
    private static void forEachGroupInWeightTiles(Layout s, float[] dw, WeightGroupStep step) {
        if (dw == null) {
            Parallel.forEach(s.groups, group -> step.run(group, null, 0, false, SCRATCH.get()));
            return;
        }
        int weightSize = s.outChannels * s.rows;
        int tiles = Math.min(WEIGHT_TILES, s.groups);
        float[] partials = SCRATCH.get().partials(tiles * weightSize); // partials [tiles, K, O]: transposed
        Parallel.forEach(tiles, tile -> {
            Scratch scratch = SCRATCH.get();
            int firstGroup = tile * s.groups / tiles, endGroup = (tile + 1) * s.groups / tiles;
            for (int group = firstGroup; group < endGroup; group++) {
                step.run(group, partials, tile * weightSize, group == firstGroup, scratch);
            }
        });
        // The partial sums are [K, O], dw is [O, K]: adding them up as they lie first leaves one
        // transposing pass, whose strided reads cost more than all the contiguous adds. Both go
        // by chunks of rows of K, in parallel when large: each element's sum is still in tile order.
        Parallel.forEach(WEIGHT_TILES, (long) tiles * weightSize, PARALLEL_WEIGHT_PASS, chunk -> {
            int fromRow = chunk * s.rows / WEIGHT_TILES, toRow = (chunk + 1) * s.rows / WEIGHT_TILES;
            int from = fromRow * s.outChannels, to = toRow * s.outChannels;
            for (int tile = 1; tile < tiles; tile++) {
                int base = tile * weightSize;
                for (int e = from; e < to; e++) partials[e] += partials[base + e];
            }
            for (int o = 0; o < s.outChannels; o++) {
                for (int row = fromRow; row < toRow; row++) dw[o * s.rows + row] += partials[row * s.outChannels + o];
            }
        });
    }

    /**
     * phases [C, s, s, phaseH, count, phaseW] (+ slack) = images first .. first + count - 1 of x,
     * zero-padded and split by (row mod s, column mod s). The images sit side by side within each
     * phase row, so a window row of all the group's images is one run.
     *
     * <p>Input row iy goes to one row of each of the s phases (py, 0 .. s-1); its columns r, r + s,
     * r + 2s, ... go, in order, to the phase whose column residue is that of r + padding
     * ({@link Layout#columnTarget}).
     */
    static void splitPhases(float[] x, int first, int count, Layout s, float[] phases) {
        Arrays.fill(phases, 0, s.phasesSize(count), 0f); // the padding, and the slack junk columns may read
        if (s.stride == 2) {
            splitPhasesStride2(x, first, count, s, phases);
            return;
        }
        for (int image = 0; image < count; image++) {
            for (int c = 0; c < s.inChannels; c++) {
                int source = ((first + image) * s.inChannels + c) * s.inH * s.inW;
                for (int iy = 0; iy < s.inH; iy++, source += s.inW) {
                    int row = s.phaseRow(count, c, iy, image);
                    for (int r = 0; r < s.stride; r++) {
                        int target = row + s.columnTarget(count, r);
                        for (int k = 0, ix = r; ix < s.inW; k++, ix += s.stride) phases[target + k] = x[source + ix];
                    }
                }
            }
        }
    }

    /**
     * {@link #splitPhases} at stride 2, every stride-2 layer of the VAE: each input row is read in
     * pairs and both phases are written in one loop (1.5-1.8x faster than a pass per phase), whole
     * vectors at a time ({@link PhaseVector}, about 1.6x faster again on conv2's input), and each
     * row's offset comes from shifts and masks ({@link Layout#phaseRowStride2}) rather than the
     * divisions of {@link Layout#phaseRow} (conv4's rows are only 8 floats long).
     */
    private static void splitPhasesStride2(float[] x, int first, int count, Layout s, float[] phases) {
        int pairs = s.inW / 2, even = s.columnTarget(count, 0), odd = s.columnTarget(count, 1);
        for (int image = 0; image < count; image++) {
            for (int c = 0; c < s.inChannels; c++) {
                int source = ((first + image) * s.inChannels + c) * s.inH * s.inW;
                for (int iy = 0; iy < s.inH; iy++, source += s.inW) {
                    int row = s.phaseRowStride2(count, c, iy, image);
                    int done = VECTOR ? PhaseVector.split(x, source, phases, row + even, row + odd, pairs) : 0;
                    for (int k = done; k < pairs; k++) {
                        phases[row + even + k] = x[source + 2 * k];
                        phases[row + odd + k] = x[source + 2 * k + 1];
                    }
                    if (s.inW % 2 == 1) phases[row + even + pairs] = x[source + 2 * pairs];
                }
            }
        }
    }

    /**
     * dx [N, C, inH, inW] (+)= the unpadded pixels of phases ({@link #splitPhases} read backwards; each
     * pixel lies in one phase, so without {@code accumulate} every pixel of the images is written once),
     * then + b [C] unless b is null, then relu if asked: plane by plane while it is in cache, the same
     * bits as {@link ConvReference#addBiasAndRelu} after the merge (the same operations in the same order).
     */
    static void mergePhases(float[] phases, float[] dx, float[] b, boolean relu, boolean accumulate, int first, int count, Layout s) {
        if (s.stride == 2) {
            mergePhasesStride2(phases, dx, b, relu, accumulate, first, count, s);
            return;
        }
        for (int image = 0; image < count; image++) {
            for (int c = 0; c < s.inChannels; c++) {
                int planeStart = ((first + image) * s.inChannels + c) * s.inH * s.inW;
                for (int iy = 0, target = planeStart; iy < s.inH; iy++, target += s.inW) {
                    int row = s.phaseRow(count, c, iy, image);
                    for (int r = 0; r < s.stride; r++) {
                        int source = row + s.columnTarget(count, r);
                        for (int k = 0, ix = r; ix < s.inW; k++, ix += s.stride) {
                            dx[target + ix] = accumulate ? dx[target + ix] + phases[source + k] : phases[source + k];
                        }
                    }
                }
                addBiasAndReluToPlane(dx, planeStart, s.inH * s.inW, b, c, relu);
            }
        }
    }

    /** {@link #mergePhases} at stride 2, as {@link #splitPhasesStride2}. */
    private static void mergePhasesStride2(float[] phases, float[] dx, float[] b, boolean relu, boolean accumulate, int first, int count, Layout s) {
        int pairs = s.inW / 2, even = s.columnTarget(count, 0), odd = s.columnTarget(count, 1);
        for (int image = 0; image < count; image++) {
            for (int c = 0; c < s.inChannels; c++) {
                int planeStart = ((first + image) * s.inChannels + c) * s.inH * s.inW;
                for (int iy = 0, target = planeStart; iy < s.inH; iy++, target += s.inW) {
                    int row = s.phaseRowStride2(count, c, iy, image);
                    int done = VECTOR ? PhaseVector.merge(phases, row + even, row + odd, dx, target, pairs, accumulate) : 0;
                    for (int k = done; k < pairs; k++) {
                        dx[target + 2 * k] = accumulate ? dx[target + 2 * k] + phases[row + even + k] : phases[row + even + k];
                        dx[target + 2 * k + 1] = accumulate ? dx[target + 2 * k + 1] + phases[row + odd + k] : phases[row + odd + k];
                    }
                    if (s.inW % 2 == 1) {
                        dx[target + 2 * pairs] = accumulate ? dx[target + 2 * pairs] + phases[row + even + pairs] : phases[row + even + pairs];
                    }
                }
                addBiasAndReluToPlane(dx, planeStart, s.inH * s.inW, b, c, relu);
            }
        }
    }

    /** The plane y[start, start + size) of a channel + b[channel] unless b is null, then relu if asked. */
    private static void addBiasAndReluToPlane(float[] y, int start, int size, float[] b, int channel, boolean relu) {
        if (b != null) {
            float bias = b[channel];
            for (int i = start; i < start + size; i++) y[i] += bias;
        }
        if (relu) ElementwiseKernels.relu(y, y, start, start + size);
    }

    /**
     * y [N, O, outH, outW] (+)= product [O, count wide] for images first .. first + count - 1, dropping
     * the junk columns, then + b [O] unless b is null, then relu if asked: plane by plane while it
     * is in cache, the same bits as {@link ConvReference#addBiasAndRelu} after the sum (the same
     * additions in the same order). Without {@code accumulate}, y's old values are not read: a fresh
     * output needs no zeroing, and costs no pass over memory to read zeros.
     */
    private static void addGroupToImages(float[] product, float[] b, boolean relu, float[] y, boolean accumulate, int first, int count, Layout s) {
        int columns = count * s.wide, plane = s.outH * s.outW;
        for (int image = 0; image < count; image++) {
            for (int o = 0; o < s.outChannels; o++) {
                int planeStart = ((first + image) * s.outChannels + o) * plane;
                for (int oy = 0; oy < s.outH; oy++) {
                    int from = o * columns + (oy * count + image) * s.phaseW, to = planeStart + oy * s.outW;
                    if (!accumulate && b == null) {
                        System.arraycopy(product, from, y, to, s.outW);
                        continue;
                    }
                    // Rows of 32 floats and fewer are too short for the JIT's own vectorisation:
                    // as a scalar loop this copy was 38% of conv1's forward pass.
                    float bias = b == null ? 0f : b[o];
                    int done = VECTOR ? PhaseVector.addRow(product, from, y, to, s.outW, b != null, bias, accumulate) : 0;
                    if (!accumulate) {
                        for (int ox = done; ox < s.outW; ox++) y[to + ox] = product[from + ox] + bias;
                    } else if (b == null) {
                        for (int ox = done; ox < s.outW; ox++) y[to + ox] += product[from + ox];
                    } else {
                        for (int ox = done; ox < s.outW; ox++) y[to + ox] = y[to + ox] + product[from + ox] + bias;
                    }
                }
                if (relu) ElementwiseKernels.relu(y, y, planeStart, planeStart + plane);
            }
        }
    }

    /** Returns the group's dy [O, count wide] gathered from dy [N, O, outH, outW] into the thread's scratch, zeros in the junk columns. */
    private static float[] gatherGroup(float[] dy, int group, Layout s, Scratch scratch) {
        int first = s.firstImage(group), count = s.imagesIn(group), columns = count * s.wide;
        float[] gathered = scratch.product(s.outChannels * columns);
        for (int image = 0; image < count; image++) {
            for (int o = 0; o < s.outChannels; o++) {
                for (int oy = 0; oy < s.outH; oy++) {
                    int to = o * columns + (oy * count + image) * s.phaseW;
                    System.arraycopy(dy, (((first + image) * s.outChannels + o) * s.outH + oy) * s.outW, gathered, to, s.outW);
                    for (int ox = s.outW; ox < s.phaseW; ox++) gathered[to + ox] = 0f;
                }
            }
        }
        return gathered;
    }

    /** A convolution's sizes, and the matrix sizes, phases and image groups derived from them. */
    static final class Layout {
        final int batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding, outH, outW;
        /** K = C kh kw: rows of cols, the reduction length of the forward GEMM. */
        final int rows;
        /** The padded image split into stride x stride phases, each phaseH x phaseW. */
        final int phaseH, phaseW;
        /** outH phaseW: the columns of cols per image, outW useful ones in every phaseW. */
        final int wide;
        final int groupSize, groups;
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
            this.phaseH = ceilDiv(inH + 2 * padding, stride);
            this.phaseW = ceilDiv(inW + 2 * padding, stride);
            this.wide = outH * phaseW;
            this.groupSize = Math.max(1, Math.min(ceilDiv(MIN_GROUP_COLUMNS, Math.max(1, wide)), ceilDiv(batch, MIN_GROUPS)));
            this.groups = ceilDiv(batch, groupSize);
            this.kernelCoversInput = padding == 0 && kernelH == inH && kernelW == inW;
        }

        int firstImage(int group) {
            return group * groupSize;
        }

        int imagesIn(int group) {
            return Math.min(groupSize, batch - firstImage(group));
        }

        /** The floats of the phases of {@code count} images, plus slack for the junk columns of the last row. */
        int phasesSize(int count) {
            return count * inChannels * stride * stride * phaseH * phaseW + phaseW;
        }

        /** Where phase (py, px) of channel c starts in the phases of a group of {@code count} images. */
        int phaseOrigin(int count, int c, int py, int px) {
            return ((c * stride + py) * stride + px) * phasePlane(count);
        }

        /**
         * Fills rows [K] with where each row (c, ky, kx) of cols finds output (0, 0) of the group's first
         * image in the phases of {@code count} images: phase (ky mod s, kx mod s) of channel c, at (ky / s, kx / s).
         */
        void windowRows(int count, int[] rows) {
            int row = 0;
            for (int c = 0; c < inChannels; c++) {
                for (int ky = 0; ky < kernelH; ky++) {
                    for (int kx = 0; kx < kernelW; kx++) {
                        rows[row++] = phaseOrigin(count, c, ky % stride, kx % stride) + (ky / stride) * count * phaseW + kx / stride;
                    }
                }
            }
        }

        /**
         * {@link #windowRows} in another order, (ky / s, kx / s, c, ky mod s, kx mod s), with
         * rowOfCols (unless null) given each one's row (c, ky, kx) of cols. Rows of cols in one phase
         * are shifts of each other, so their runs overlap; in this order neighbouring rows lie in
         * different phases, and the micro-kernel, which adds MR neighbouring rows into the phases one
         * after the other, never reads a vector that partly overlaps one it has just written (which
         * the processor cannot forward from its store buffer, and waits for).
         */
        void windowRowsByPhase(int count, int[] rows, int[] rowOfCols) {
            int i = 0;
            for (int qy = 0; qy * stride < kernelH; qy++) {
                for (int qx = 0; qx * stride < kernelW; qx++) {
                    for (int c = 0; c < inChannels; c++) {
                        for (int py = 0; py < stride; py++) {
                            for (int px = 0; px < stride; px++) {
                                int ky = py + qy * stride, kx = px + qx * stride;
                                if (ky >= kernelH || kx >= kernelW) continue;
                                if (rowOfCols != null) rowOfCols[i] = (c * kernelH + ky) * kernelW + kx;
                                rows[i++] = phaseOrigin(count, c, py, px) + qy * count * phaseW + qx;
                            }
                        }
                    }
                }
            }
        }

        /**
         * Fills columns [count wide] with where each column (oy, image, ox) of a group's output lies in
         * its first channel's plane of y [N, O, outH, outW], relative to the group's first image, or
         * -1 for the junk columns (ox >= outW).
         */
        void outputColumns(int count, int[] columns) {
            int imageOutput = outChannels * outH * outW;
            for (int oy = 0, column = 0; oy < outH; oy++) {
                for (int image = 0; image < count; image++) {
                    for (int ox = 0; ox < phaseW; ox++) columns[column++] = ox < outW ? image * imageOutput + oy * outW + ox : -1;
                }
            }
        }

        /** The floats of one phase of one channel for a group of {@code count} images: the distance from phase (py, px) to (py, px + 1). */
        int phasePlane(int count) {
            return phaseH * count * phaseW;
        }

        /** Where input row iy of channel c of the group's image lands in phase (py, 0): padded row iy + padding is row i of phase row py. */
        int phaseRow(int count, int c, int iy, int image) {
            int py = (iy + padding) % stride, i = (iy + padding) / stride;
            return phaseOrigin(count, c, py, 0) + (i * count + image) * phaseW;
        }

        /** {@link #phaseRow} at stride 2, with shifts and masks for the divisions by the stride. */
        int phaseRowStride2(int count, int c, int iy, int image) {
            int padded = iy + padding;
            return (4 * c + 2 * (padded & 1)) * phasePlane(count) + ((padded >> 1) * count + image) * phaseW;
        }

        /**
         * Where input column r (r < stride) lands relative to its row's {@link #phaseRow}: padded
         * column r + padding is column (r + padding) / s of phase column (r + padding) mod s; the
         * columns r + s, r + 2s, ... follow it one by one.
         */
        int columnTarget(int count, int r) {
            return ((r + padding) % stride) * phasePlane(count) + (r + padding) / stride;
        }

        private static int ceilDiv(int a, int b) {
            return -Math.floorDiv(-a, b);
        }
    }

    /** One thread's work arrays. They only grow, so once every layer has run once, calls allocate no arrays. */
    private static final class Scratch {
        private float[] product = new float[0];
        private float[] phases = new float[0];
        private float[] partials = new float[0];
        private float[] planeSums = new float[0];
        private int[] windowRows = new int[0];
        private int[] denseRows = new int[0];
        private int[] weightRows = new int[0];
        private int[] rowOfCols = new int[0];
        private int[] outputColumns = new int[0];
        private float[] transposedWeight = new float[0];

        float[] product(int size) {
            if (product.length < size) product = new float[size];
            return product;
        }

        float[] phases(int size) {
            if (phases.length < size) phases = new float[size];
            return phases;
        }

        float[] partials(int size) {
            if (partials.length < size) partials = new float[size];
            return partials;
        }

        float[] planeSums(int size) {
            if (planeSums.length < size) planeSums = new float[size];
            return planeSums;
        }

        /** Where each row (c, ky, kx) of cols starts in the phases of {@code count} images: {@link Layout#windowRows}. */
        int[] windowRows(Layout s, int count) {
            s.windowRows(count, windowRows(s.rows));
            return windowRows;
        }

        /** An array for K window rows. */
        int[] windowRows(int size) {
            if (windowRows.length < size) windowRows = new int[size];
            return windowRows;
        }

        /** Where each column of a group of {@code count} images lies in y or dy: {@link Layout#outputColumns}. */
        int[] outputColumns(Layout s, int count) {
            if (outputColumns.length < count * s.wide) outputColumns = new int[count * s.wide];
            s.outputColumns(count, outputColumns);
            return outputColumns;
        }

        /** An array for the row of cols behind each window row. */
        int[] rowOfCols(int size) {
            if (rowOfCols.length < size) rowOfCols = new int[size];
            return rowOfCols;
        }

        float[] transposedWeight(int size) {
            if (transposedWeight.length < size) transposedWeight = new float[size];
            return transposedWeight;
        }

        /** The rows of a dense [count, pitch] matrix from offset, such as a group's [O, count wide]: row r at offset + r pitch. */
        int[] denseRows(int count, int pitch, int offset) {
            if (denseRows.length < count) denseRows = new int[count];
            return fillRows(denseRows, count, pitch, offset);
        }

        /** Likewise, for the weight-shaped operand of the same product: w [O, K] or a partial gradient [K, O]. */
        int[] weightRows(int count, int pitch, int offset) {
            if (weightRows.length < count) weightRows = new int[count];
            return fillRows(weightRows, count, pitch, offset);
        }

        private static int[] fillRows(int[] rows, int count, int pitch, int offset) {
            for (int r = 0; r < count; r++) rows[r] = offset + r * pitch;
            return rows;
        }
    }
}
