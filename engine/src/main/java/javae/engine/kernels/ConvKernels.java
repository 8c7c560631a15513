package javae.engine.kernels;

import java.util.Arrays;

/**
 * 2-D convolution kernels on NCHW float arrays, the building blocks of the conv2d and
 * convTranspose2d ops: the forward cross-correlation, its gradient with respect to the input
 * ("backward-data") and to the weight ("backward-weight"), and the bias broadcast and its gradient.
 *
 * <p>The convolution these methods describe always has input x [N, C, inH, inW], weight
 * w [O, C, kh, kw] and output y [N, O, outH, outW], with {@code outH = outputSize(inH, kh, stride, padding)}
 * (likewise for the width). The weight and bias gradients are always ADDED into their arrays (a
 * parameter's gradient gathers every use of it); the image-shaped results, a layer's output or an
 * input gradient, are added when {@code accumulate} is true and written over the array's old values
 * otherwise, which spares a fresh result the zeroing and the reading of those zeros. The bias is added by
 * the kernel that writes the output, image group by image group while each is in cache, rather than
 * in a pass of its own over the whole output; so is a ReLU that follows the layer.
 *
 * <p>Transposed convolution needs no kernels of its own: it is the same linear map run the other
 * way, so its forward is {@link #backwardData} and its backward-data is {@link #forward}.
 *
 * <p>The three convolution kernels run through matrix multiplication ({@code ConvIm2col}: im2col, GEMM,
 * col2im), in parallel with the same bits on any number of threads, and the bias gradient through the
 * vectorised {@link ElementwiseKernels#sum}, fused into the backward passes. The system property
 * {@code javae.conv=reference} selects the plain loops of {@code ConvReference} instead, the definition
 * the fast path is tested against; {@code javae.conv=im2col} is the default.
 */
public final class ConvKernels {
    private ConvKernels() {}

    private static final boolean REFERENCE = usesReference(System.getProperty("javae.conv", "im2col"));

    private static boolean usesReference(String choice) {
        if (!choice.equals("reference") && !choice.equals("im2col")) {
            throw new IllegalArgumentException("javae.conv must be 'im2col' or 'reference', got '" + choice + "'");
        }
        return choice.equals("reference");
    }

    /** The output length along one axis: {@code (in + 2 padding - kernel) / stride + 1}, rounded down. */
    public static int outputSize(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    /**
     * y [N, O, outH, outW] (+)= conv(x [N, C, inH, inW], w [O, C, kh, kw]), then + b [O] at every position
     * unless b is null, then max(0, .) if {@code relu} (a layer and its ReLU, when y is written, not accumulated).
     */
    public static void forward(float[] x, float[] w, float[] b, boolean relu, float[] y, boolean accumulate, int batch, int inChannels,
                               int inH, int inW, int outChannels, int kernelH, int kernelW, int stride, int padding) {
        if (REFERENCE) {
            if (!accumulate) Arrays.fill(y, 0f); // the reference adds into y
            ConvReference.forward(x, w, y, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            int spatial = outputSize(inH, kernelH, stride, padding) * outputSize(inW, kernelW, stride, padding);
            ConvReference.addBiasAndRelu(y, b, relu, 0, batch, outChannels, spatial);
        } else {
            ConvIm2col.forward(x, w, b, relu, y, accumulate, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        }
    }

    /**
     * dx [N, C, inH, inW] (+)= the gradient of conv with respect to its input, given dy [N, O, outH, outW]
     * and w [O, C, kh, kw], then + b [C] at every position unless b is null, then max(0, .) if
     * {@code relu}: with b and relu, and dx written, a transposed convolution's forward and its ReLU.
     */
    public static void backwardData(float[] dy, float[] w, float[] b, boolean relu, float[] dx, boolean accumulate, int batch, int inChannels,
                                    int inH, int inW, int outChannels, int kernelH, int kernelW, int stride, int padding) {
        if (REFERENCE) {
            if (!accumulate) Arrays.fill(dx, 0f);
            ConvReference.backwardData(dy, w, dx, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            ConvReference.addBiasAndRelu(dx, b, relu, 0, batch, inChannels, inH * inW);
        } else {
            ConvIm2col.backwardData(dy, w, b, relu, dx, accumulate, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        }
    }

    /** dw [O, C, kh, kw] += the gradient of conv with respect to its weight, given the input x [N, C, inH, inW] and dy [N, O, outH, outW]. */
    public static void backwardWeight(float[] x, float[] dy, float[] dw, int batch, int inChannels, int inH, int inW,
                                      int outChannels, int kernelH, int kernelW, int stride, int padding) {
        if (REFERENCE) ConvReference.backwardWeight(x, dy, dw, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        else ConvIm2col.backwardWeight(x, dy, dw, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
    }

    /**
     * A convolution's backward pass: {@link #backwardData} into dx (added when {@code accumulateDx}),
     * {@link #backwardWeight} into dw and the bias gradient (dy summed over images and positions) into db, each skipped when its array is null (no gradient
     * wanted), with the work they share done once. For a layer that ended in a ReLU, reluOutput is
     * its output y (else null): dy, the gradient after the ReLU, is first zeroed in place where y
     * is 0 and so becomes the gradient before it, which the bias gradient sums.
     */
    public static void backwardDataAndWeight(float[] x, float[] dy, float[] w, float[] dx, boolean accumulateDx, float[] dw, float[] db,
                                             float[] reluOutput, int batch, int inChannels, int inH, int inW, int outChannels,
                                             int kernelH, int kernelW, int stride, int padding) {
        if (REFERENCE) {
            if (reluOutput != null) ElementwiseKernels.reluBackwardInPlace(reluOutput, dy);
            if (dx != null && !accumulateDx) Arrays.fill(dx, 0f);
            if (dx != null) ConvReference.backwardData(dy, w, dx, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (dw != null) ConvReference.backwardWeight(x, dy, dw, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            int spatial = outputSize(inH, kernelH, stride, padding) * outputSize(inW, kernelW, stride, padding);
            if (db != null) ConvReference.biasGradient(dy, db, batch, outChannels, spatial);
        } else {
            ConvIm2col.backwardDataAndWeight(x, dy, w, dx, accumulateDx, dw, db, reluOutput, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        }
    }

    /**
     * A transposed convolution's backward pass, in the terms of the convolution it transposes, whose
     * input x is the transposed convolution's output gradient: {@link #forward} of x into y (the
     * input gradient, added when {@code accumulateY}), {@link #backwardWeight} of x and dy into dw and the bias gradient (x summed) into
     * db (the transposed convolution's bias, over C), each skipped when its array is null, with the
     * work they share done once. For a transposed convolution that ended in a ReLU, reluOutput is its
     * output (shaped as x; else null): x is first zeroed in place where that is 0.
     */
    public static void forwardAndBackwardWeight(float[] x, float[] w, float[] y, boolean accumulateY, float[] dy, float[] dw, float[] db,
                                                float[] reluOutput, int batch, int inChannels, int inH, int inW, int outChannels,
                                                int kernelH, int kernelW, int stride, int padding) {
        if (REFERENCE) {
            if (reluOutput != null) ElementwiseKernels.reluBackwardInPlace(reluOutput, x);
            if (y != null && !accumulateY) Arrays.fill(y, 0f);
            if (y != null) ConvReference.forward(x, w, y, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (dw != null) ConvReference.backwardWeight(x, dy, dw, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
            if (db != null) ConvReference.biasGradient(x, db, batch, inChannels, inH * inW);
        } else {
            ConvIm2col.forwardAndBackwardWeight(x, w, y, accumulateY, dy, dw, db, reluOutput, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, stride, padding);
        }
    }
}
