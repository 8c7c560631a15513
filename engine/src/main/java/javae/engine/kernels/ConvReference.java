package javae.engine.kernels;

/**
 * The plain loops that define {@link ConvKernels}: 2-D cross-correlation over NCHW arrays and its
 * two gradients, written to be read. Every output position {@code (oy, ox)} looks at the input
 * window whose top-left corner is {@code (oy * stride - padding, ox * stride - padding)}; window
 * cells that fall into the zero padding are skipped. The three loop nests visit the same
 * (output position, kernel cell) pairs; they differ only in which array they read and which they add into.
 */
final class ConvReference {
    private ConvReference() {}

    /** y [N, O, outH, outW] += conv(x [N, C, inH, inW], w [O, C, kh, kw]). */
    static void forward(float[] x, float[] w, float[] y, int batch, int inChannels, int inH, int inW,
                        int outChannels, int kernelH, int kernelW, int stride, int padding) {
        int outH = ConvKernels.outputSize(inH, kernelH, stride, padding);
        int outW = ConvKernels.outputSize(inW, kernelW, stride, padding);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float sum = 0f;
                        for (int c = 0; c < inChannels; c++) {
                            for (int ky = 0; ky < kernelH; ky++) {
                                int iy = oy * stride - padding + ky;
                                if (iy < 0 || iy >= inH) continue;
                                for (int kx = 0; kx < kernelW; kx++) {
                                    int ix = ox * stride - padding + kx;
                                    if (ix < 0 || ix >= inW) continue;
                                    sum += x[((n * inChannels + c) * inH + iy) * inW + ix]
                                            * w[((o * inChannels + c) * kernelH + ky) * kernelW + kx];
                                }
                            }
                        }
                        y[((n * outChannels + o) * outH + oy) * outW + ox] += sum;
                    }
                }
            }
        }
    }

    /** dx [N, C, inH, inW] += d(conv)/dx applied to dy [N, O, outH, outW]: each output scatters back through the kernel. */
    static void backwardData(float[] dy, float[] w, float[] dx, int batch, int inChannels, int inH, int inW,
                             int outChannels, int kernelH, int kernelW, int stride, int padding) {
        int outH = ConvKernels.outputSize(inH, kernelH, stride, padding);
        int outW = ConvKernels.outputSize(inW, kernelW, stride, padding);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float g = dy[((n * outChannels + o) * outH + oy) * outW + ox];
                        for (int c = 0; c < inChannels; c++) {
                            for (int ky = 0; ky < kernelH; ky++) {
                                int iy = oy * stride - padding + ky;
                                if (iy < 0 || iy >= inH) continue;
                                for (int kx = 0; kx < kernelW; kx++) {
                                    int ix = ox * stride - padding + kx;
                                    if (ix < 0 || ix >= inW) continue;
                                    dx[((n * inChannels + c) * inH + iy) * inW + ix]
                                            += g * w[((o * inChannels + c) * kernelH + ky) * kernelW + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** dw [O, C, kh, kw] += d(conv)/dw applied to dy [N, O, outH, outW], with x [N, C, inH, inW] the forward input. */
    static void backwardWeight(float[] x, float[] dy, float[] dw, int batch, int inChannels, int inH, int inW,
                               int outChannels, int kernelH, int kernelW, int stride, int padding) {
        int outH = ConvKernels.outputSize(inH, kernelH, stride, padding);
        int outW = ConvKernels.outputSize(inW, kernelW, stride, padding);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outChannels; o++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox++) {
                        float g = dy[((n * outChannels + o) * outH + oy) * outW + ox];
                        for (int c = 0; c < inChannels; c++) {
                            for (int ky = 0; ky < kernelH; ky++) {
                                int iy = oy * stride - padding + ky;
                                if (iy < 0 || iy >= inH) continue;
                                for (int kx = 0; kx < kernelW; kx++) {
                                    int ix = ox * stride - padding + kx;
                                    if (ix < 0 || ix >= inW) continue;
                                    dw[((o * inChannels + c) * kernelH + ky) * kernelW + kx]
                                            += g * x[((n * inChannels + c) * inH + iy) * inW + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The last touches of a layer's output y [N, channels, spatial], on batch entries first .. first +
     * count - 1: + b [channels] at every position unless b is null, then, if {@code relu}, max(0, .).
     * The fast kernels call it on the whole batch where the kernel covers the input; elsewhere they
     * do the same operations plane by plane (ConvIm2col's scatter and merge).
     */
    static void addBiasAndRelu(float[] y, float[] b, boolean relu, int first, int count, int channels, int spatial) {
        if (b != null) {
            for (int n = first; n < first + count; n++) {
                for (int c = 0; c < channels; c++) {
                    int base = (n * channels + c) * spatial;
                    for (int i = 0; i < spatial; i++) y[base + i] += b[c];
                }
            }
        }
        // relu gives the same bits on either path, so the vector kernel may serve the reference too
        if (relu) ElementwiseKernels.relu(y, y, first * channels * spatial, (first + count) * channels * spatial);
    }

    /** db [channels] += dy [N, channels, spatial] summed over batch and positions. */
    static void biasGradient(float[] dy, float[] db, int batch, int channels, int spatial) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int base = (n * channels + c) * spatial;
                float sum = 0f;
                for (int i = 0; i < spatial; i++) sum += dy[base + i];
                db[c] += sum;
            }
        }
    }
}
