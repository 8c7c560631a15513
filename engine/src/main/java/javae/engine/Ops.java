package javae.engine;

/**
 * The layer ops, as functions: linear, 2-D convolution and transposed convolution, the last two
 * also fused with the ReLU that follows them. Weights are laid out as PyTorch's, so
 * {@code state_dict} tensors load unchanged. Each records its backward.
 */
public final class Ops {
    private Ops() {}

    /** x [N, in] times w [out, in] transposed, plus b [out] (b may be null): [N, out]. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return LinearAlgebra.linear(x, w, b);
    }

    /**
     * 2-D cross-correlation, as torch.nn.functional.conv2d: x [N, C, H, W], w [O, C, kh, kw],
     * b [O] or null; out [N, O, (H + 2p - kh) / s + 1, (W + 2p - kw) / s + 1].
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        return Convolution.conv2d(x, w, b, stride, padding, false);
    }

    /**
     * {@code conv2d(x, w, b, stride, padding).relu()} as one op: the same values and gradients,
     * without storing the convolution's output before the ReLU or passing over it again.
     */
    public static Tensor conv2dRelu(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        return Convolution.conv2d(x, w, b, stride, padding, true);
    }

    /**
     * Transposed 2-D convolution, as torch.nn.functional.conv_transpose2d: x [N, C, H, W],
     * w [C, O, kh, kw], b [O] or null; out [N, O, (H - 1) s - 2p + kh + op, (W - 1) s - 2p + kw + op].
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding) {
        return Convolution.convTranspose2d(x, w, b, stride, padding, outputPadding, false);
    }

    /** {@code convTranspose2d(x, w, b, stride, padding, outputPadding).relu()} as one op, as {@link #conv2dRelu}. */
    public static Tensor convTranspose2dRelu(Tensor x, Tensor w, Tensor b, int stride, int padding, int outputPadding) {
        return Convolution.convTranspose2d(x, w, b, stride, padding, outputPadding, true);
    }
}
