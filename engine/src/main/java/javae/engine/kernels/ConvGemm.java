package javae.engine.kernels;

/**
 * Convolution through im2col and {@link Gemm}: a prototype of {@link ConvKernels}' fast path, with
 * the same contract (NCHW arrays; every method adds into its destination) and tested against
 * {@link ConvReference}.
 *
 * <p>For one image, im2col copies every input window into a column: col [C*kh*kw, outH*outW], zero
 * where a window hangs into the padding. The convolution is then one matrix product per image:
 * <pre>
 *   forward          y_n  [O, outH*outW]       += w [O, C*kh*kw] * col_n
 *   backward-data    dcol [C*kh*kw, outH*outW]  = w^T * dy_n,  then col2im adds dcol back into dx_n
 *   backward-weight  dw   [O, C*kh*kw]         += dy_n * col_n^T, for n = 0, 1, ... in this order
 * </pre>
 * Forward and backward-data run the images in parallel (each writes only its own slice); backward-
 * weight sums over images in a fixed order and lets each GEMM use the threads. So results are the
 * same bits on any number of threads.
 */
final class ConvGemm {
    /** Each thread's column buffer, grown to the largest image it has unfolded. */
    private static final ThreadLocal<float[][]> COLUMNS = ThreadLocal.withInitial(() -> new float[1][0]);

    private ConvGemm() {}

    /** y [N, O, outH, outW] += conv(x [N, C, inH, inW], w [O, C, kh, kw]). */
    static void forward(float[] x, float[] w, float[] y, int batch, int inChannels, int inH, int inW,
                        int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Geometry g = new Geometry(inChannels, inH, inW, kernelH, kernelW, stride, padding);
        Parallel.forEach(batch, n -> {
            float[] col = columns(g.patch * g.spatial);
            im2col(x, n * g.imageSize, col, g);
            Gemm.multiply(false, false, outChannels, g.spatial, g.patch, w, 0, col, 0,
                    y, n * outChannels * g.spatial, true);
        });
    }

    /** dx [N, C, inH, inW] += the gradient of conv with respect to its input, given dy [N, O, outH, outW]. */
    static void backwardData(float[] dy, float[] w, float[] dx, int batch, int inChannels, int inH, int inW,
                             int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Geometry g = new Geometry(inChannels, inH, inW, kernelH, kernelW, stride, padding);
        Parallel.forEach(batch, n -> {
            float[] dcol = columns(g.patch * g.spatial);
            Gemm.multiply(true, false, g.patch, g.spatial, outChannels, w, 0, dy, n * outChannels * g.spatial,
                    dcol, 0, false);
            col2imAdd(dcol, dx, n * g.imageSize, g);
        });
    }

    /** dw [O, C, kh, kw] += the gradient of conv with respect to its weight, given x and dy [N, O, outH, outW]. */
    static void backwardWeight(float[] x, float[] dy, float[] dw, int batch, int inChannels, int inH, int inW,
                               int outChannels, int kernelH, int kernelW, int stride, int padding) {
        Geometry g = new Geometry(inChannels, inH, inW, kernelH, kernelW, stride, padding);
        float[] col = columns(g.patch * g.spatial);
        for (int n = 0; n < batch; n++) {
            im2col(x, n * g.imageSize, col, g);
            Gemm.multiply(false, true, outChannels, g.patch, g.spatial, dy, n * outChannels * g.spatial,
                    col, 0, dw, 0, true);
        }
    }

    /** The sizes im2col and col2im need, derived once per call. */
    private static final class Geometry {
        final int channels, inH, inW, kernelH, kernelW, stride, padding, outH, outW;
        final int imageSize, patch, spatial;

        Geometry(int channels, int inH, int inW, int kernelH, int kernelW, int stride, int padding) {
            this.channels = channels;
            this.inH = inH;
            this.inW = inW;
            this.kernelH = kernelH;
            this.kernelW = kernelW;
            this.stride = stride;
            this.padding = padding;
            this.outH = ConvKernels.outputSize(inH, kernelH, stride, padding);
            this.outW = ConvKernels.outputSize(inW, kernelW, stride, padding);
            this.imageSize = channels * inH * inW;
            this.patch = channels * kernelH * kernelW;
            this.spatial = outH * outW;
        }
    }

    private static float[] columns(int size) {
        float[][] holder = COLUMNS.get();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }

    /** col [C*kh*kw, outH*outW]: row (c, ky, kx), column (oy, ox) holds x[c, oy*s-p+ky, ox*s-p+kx], or 0 in the padding. */
    private static void im2col(float[] x, int xStart, float[] col, Geometry g) {
        int row = 0;
        for (int c = 0; c < g.channels; c++) {
            for (int ky = 0; ky < g.kernelH; ky++) {
                for (int kx = 0; kx < g.kernelW; kx++, row++) {
                    int dst = row * g.spatial;
                    for (int oy = 0; oy < g.outH; oy++) {
                        int iy = oy * g.stride - g.padding + ky;
                        for (int ox = 0; ox < g.outW; ox++, dst++) {
                            int ix = ox * g.stride - g.padding + kx;
                            boolean inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
                            col[dst] = inside ? x[xStart + (c * g.inH + iy) * g.inW + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: adds each column entry back into the input cell it was copied from. */
    private static void col2imAdd(float[] col, float[] dx, int dxStart, Geometry g) {
        int row = 0;
        for (int c = 0; c < g.channels; c++) {
            for (int ky = 0; ky < g.kernelH; ky++) {
                for (int kx = 0; kx < g.kernelW; kx++, row++) {
                    int src = row * g.spatial;
                    for (int oy = 0; oy < g.outH; oy++) {
                        int iy = oy * g.stride - g.padding + ky;
                        for (int ox = 0; ox < g.outW; ox++, src++) {
                            int ix = ox * g.stride - g.padding + kx;
                            if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) {
                                dx[dxStart + (c * g.inH + iy) * g.inW + ix] += col[src];
                            }
                        }
                    }
                }
            }
        }
    }
}
