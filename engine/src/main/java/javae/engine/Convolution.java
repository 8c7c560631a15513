package javae.engine;

import javae.engine.kernels.ConvKernels;

/**
 * 2-D convolution and transposed convolution on NCHW tensors, with PyTorch's weight layouts.
 *
 * <p>Both are one linear map read in two directions. A convolution with weight w [O, C, kh, kw]
 * takes an image with C channels to one with O channels; its transpose, with the same w, takes O
 * channels back to C. So the transposed convolution's forward is the convolution's backward-data,
 * and its backward-data is the convolution's forward: the kernels in {@link ConvKernels} serve both.
 *
 * <p>Either may end in a ReLU ({@code relu}): y = max(0, layer(x)), one op instead of two. The
 * kernels clamp each group of images while it is still in cache, so the layer's output before the
 * ReLU is never stored; backward zeroes the output gradient where y is 0, in place (on the fast
 * path group by group, just before each group is used), and goes on as without the ReLU. The
 * values and gradients are the same bits as the layer followed by relu().
 *
 * <p>The kernels write the output over a recycled array ({@link TensorScope}) without zeroing it
 * first, and likewise the input's gradient when theirs is its first contribution.
 */
final class Convolution {
    private Convolution() {}

    /** y [N, O, outH, outW] = conv(x [N, C, H, W], w [O, C, kh, kw]) + b [O], then max(0, y) if relu. */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding, boolean relu) {
        requireRank("conv2d", "input x [N, C, H, W]", x);
        requireRank("conv2d", "weight w [O, C, kh, kw]", w);
        requireStrideAndPadding("conv2d", stride, padding);
        int batch = x.dim(0), channels = x.dim(1), height = x.dim(2), width = x.dim(3);
        int outChannels = w.dim(0), kernelH = w.dim(2), kernelW = w.dim(3);
        if (w.dim(1) != channels) {
            throw new IllegalArgumentException("conv2d: weight " + w.shape() + " expects " + w.dim(1)
                    + " input channels but input x " + x.shape() + " has " + channels);
        }
        if (height + 2 * padding < kernelH || width + 2 * padding < kernelW) {
            throw new IllegalArgumentException("conv2d: kernel " + kernelH + "x" + kernelW + " of weight " + w.shape()
                    + " is larger than the padded input " + (height + 2 * padding) + "x" + (width + 2 * padding)
                    + " (input x " + x.shape() + ", padding " + padding + ")");
        }
        requireBias("conv2d", b, outChannels, w);
        int outH = ConvKernels.outputSize(height, kernelH, stride, padding);
        int outW = ConvKernels.outputSize(width, kernelW, stride, padding);

        float[] y = TensorScope.resultArray(batch * outChannels * outH * outW); // y [N, O, outH, outW]
        ConvKernels.forward(x.data(), w.data(), b == null ? null : b.data(), relu, y, false,
                batch, channels, height, width, outChannels, kernelH, kernelW, stride, padding);
        return Autograd.record(Tensor.wrap(y, batch, outChannels, outH, outW), relu ? "conv2d+relu" : "conv2d", g -> {
            // with relu, the kernel first makes g the gradient before the ReLU, in place
            InputGradient dx = InputGradient.of(x);
            ConvKernels.backwardDataAndWeight(x.data(), g, w.data(), dx.array(), dx.accumulate(), gradientIfWanted(w), gradientIfWanted(b),
                    relu ? y : null, batch, channels, height, width, outChannels, kernelH, kernelW, stride, padding);
        }, x, w, b);
    }

    /**
     * y [N, O, outH, outW] = convT(x [N, C, H, W], w [C, O, kh, kw]) + b [O], then max(0, y) if relu, with
     * outH = (H - 1) stride - 2 padding + kh + outputPadding (likewise for the width).
     *
     * <p>The convolution this op transposes runs from y's shape to x's: its input is
     * [N, O, outH, outW], its output [N, C, H, W], and its weight is w read as conv's
     * [O' = C, C' = O, kh, kw], which is exactly w's layout. Since
     * {@code ConvKernels.outputSize(outH, kh, stride, padding) == H} whenever 0 <= outputPadding < stride,
     * the kernels recover H and W from outH and outW. Then:
     * forward = conv backward-data (x plays conv's output gradient),
     * x gradient = conv forward of g, and
     * w gradient = conv backward-weight with g as conv's input and x as conv's output gradient.
     */
    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding, boolean relu) {
        requireRank("convTranspose2d", "input x [N, C, H, W]", x);
        requireRank("convTranspose2d", "weight w [C, O, kh, kw]", w);
        requireStrideAndPadding("convTranspose2d", stride, padding);
        if (outputPadding < 0 || outputPadding >= stride) {
            throw new IllegalArgumentException("convTranspose2d: output padding must be in [0, stride) = [0, " + stride + "), got " + outputPadding);
        }
        int batch = x.dim(0), channels = x.dim(1), height = x.dim(2), width = x.dim(3);
        int outChannels = w.dim(1), kernelH = w.dim(2), kernelW = w.dim(3);
        if (w.dim(0) != channels) {
            throw new IllegalArgumentException("convTranspose2d: weight " + w.shape() + " expects " + w.dim(0)
                    + " input channels but input x " + x.shape() + " has " + channels);
        }
        requireBias("convTranspose2d", b, outChannels, w);
        int outH = (height - 1) * stride - 2 * padding + kernelH + outputPadding;
        int outW = (width - 1) * stride - 2 * padding + kernelW + outputPadding;
        if (height < 1 || width < 1 || outH < 1 || outW < 1) {
            throw new IllegalArgumentException("convTranspose2d: input x " + x.shape() + " with weight " + w.shape() + ", stride " + stride
                    + ", padding " + padding + ", output padding " + outputPadding + " gives an empty output " + outH + "x" + outW);
        }

        float[] y = TensorScope.resultArray(batch * outChannels * outH * outW); // y [N, O, outH, outW]
        ConvKernels.backwardData(x.data(), w.data(), b == null ? null : b.data(), relu, y, false,
                batch, outChannels, outH, outW, channels, kernelH, kernelW, stride, padding);
        return Autograd.record(Tensor.wrap(y, batch, outChannels, outH, outW), relu ? "convTranspose2d+relu" : "convTranspose2d", g -> {
            // with relu, the kernel first makes g the gradient before the ReLU, in place
            InputGradient dx = InputGradient.of(x);
            ConvKernels.forwardAndBackwardWeight(g, w.data(), dx.array(), dx.accumulate(), x.data(), gradientIfWanted(w), gradientIfWanted(b),
                    relu ? y : null, batch, outChannels, outH, outW, channels, kernelH, kernelW, stride, padding);
        }, x, w, b);
    }

    /** t's gradient array, or null when t is null or wants none: the kernels then skip computing it. */
    private static float[] gradientIfWanted(Tensor t) {
        return t != null && t.requiresGrad() ? t.gradData() : null;
    }

    /**
     * Where a kernel puts the input's gradient: written over an uncleared array when it is the first
     * contribution, added into the gradient otherwise; array null when x wants none.
     */
    private record InputGradient(float[] array, boolean accumulate) {
        static InputGradient of(Tensor x) {
            if (!x.requiresGrad()) return new InputGradient(null, false);
            boolean first = x.gradIsUnset();
            return new InputGradient(first ? x.gradDataToOverwrite() : x.gradData(), !first);
        }
    }

    private static void requireRank(String op, String role, Tensor t) {
        if (t.rank() != 4) throw new IllegalArgumentException(op + ": " + role + " must have rank 4, got shape " + t.shape());
    }

    private static void requireStrideAndPadding(String op, int stride, int padding) {
        if (stride < 1) throw new IllegalArgumentException(op + ": stride must be at least 1, got " + stride);
        if (padding < 0) throw new IllegalArgumentException(op + ": padding must be at least 0, got " + padding);
    }

    private static void requireBias(String op, Tensor b, int outChannels, Tensor w) {
        if (b != null && (b.rank() != 1 || b.dim(0) != outChannels)) {
            throw new IllegalArgumentException(op + ": bias b must have shape [" + outChannels + "] for weight " + w.shape() + ", got " + b.shape());
        }
    }
}
