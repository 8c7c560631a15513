package javae.engine.nn;

import java.util.Arrays;
import javae.engine.Tensor;

/**
 * The layers without parameters, for {@link Sequential}: elementwise activations and reshapes.
 * Each delegates to the tensor op of the same name, where forward and backward are defined.
 */
public final class Activations {
    private Activations() {}

    /** max(0, x), as {@code torch.nn.ReLU}. */
    public static final class ReLU extends Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x.relu();
        }
    }

    /** x where positive, slope * x elsewhere, as {@code torch.nn.LeakyReLU} (default slope 0.01). */
    public static final class LeakyReLU extends Layer {
        private final float slope;

        /** With PyTorch's default slope 0.01. */
        public LeakyReLU() {
            this(0.01f);
        }

        /** With {@code slope} for negative inputs. */
        public LeakyReLU(float slope) {
            this.slope = slope;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.leakyRelu(slope);
        }
    }

    /** tanh(x), as {@code torch.nn.Tanh}. */
    public static final class Tanh extends Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x.tanh();
        }
    }

    /** 1 / (1 + e^-x), as {@code torch.nn.Sigmoid}. */
    public static final class Sigmoid extends Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x.sigmoid();
        }
    }

    /** log(1 + e^x), as {@code torch.nn.Softplus} with beta 1 (stable for any input). */
    public static final class Softplus extends Layer {
        @Override
        public Tensor forward(Tensor x) {
            return x.softplus();
        }
    }

    /** [N, C, H, W] to [N, C*H*W]: every dimension from {@code startAxis} (default 1) on merged, as {@code torch.nn.Flatten}. */
    public static final class Flatten extends Layer {
        private final int startAxis;

        /** Keeps the batch axis: [N, C, H, W] to [N, C*H*W]. */
        public Flatten() {
            this(1);
        }

        /** Merges every dimension from {@code startAxis} on (negative counts from the end). */
        public Flatten(int startAxis) {
            this.startAxis = startAxis;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.flatten(startAxis);
        }
    }

    /** Dimension {@code axis} split into {@code sizes}, as {@code torch.nn.Unflatten}: [N, 256] to [N, 256, 1, 1]. */
    public static final class Unflatten extends Layer {
        private final int axis;
        private final int[] sizes;

        /** Splits dimension {@code axis} into {@code sizes}, whose product must equal its length. */
        public Unflatten(int axis, int... sizes) {
            this.axis = axis;
            this.sizes = sizes.clone();
        }

        @Override
        public Tensor forward(Tensor x) {
            int a = x.shape().normalizeAxis(axis);
            int product = 1;
            for (int s : sizes) product *= s;
            if (product != x.dim(a)) {
                throw new IllegalArgumentException("Unflatten: dimension " + a + " of " + x.shape() + " cannot be split into " + Arrays.toString(sizes));
            }
            int[] dims = x.shape().toArray();
            int[] shape = new int[dims.length - 1 + sizes.length];
            System.arraycopy(dims, 0, shape, 0, a);
            System.arraycopy(sizes, 0, shape, a, sizes.length);
            System.arraycopy(dims, a + 1, shape, a + sizes.length, dims.length - a - 1);
            return x.reshape(shape);
        }
    }
}
