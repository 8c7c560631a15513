package javae.engine;

import java.util.Arrays;
import javae.engine.kernels.ElementwiseKernels;

/**
 * An n-dimensional array of float32 values, contiguous and row-major, that can take part in
 * reverse-mode automatic differentiation.
 *
 * <p>A tensor made by an op on inputs that require gradients remembers how it was made
 * (see {@link Autograd}); {@link #backward()} on a scalar loss then fills {@link #grad()} of every
 * leaf that {@link #requiresGrad()}. Gradients accumulate across calls until {@link #zeroGrad()}.
 *
 * <p>The values live in one {@code float[]} ({@link #data()}), which kernels and readers use
 * directly; shapes are documented as {@code [N, C, H, W]} for images, {@code [N, F]} for rows.
 * A result made inside a {@link TensorScope} gives its array back when the scope closes, and then
 * has no values any more.
 */
public final class Tensor {
    private float[] data; // null once released by its TensorScope
    private final Shape shape;
    private boolean requiresGrad;
    private Tensor grad;
    private Autograd.GradFn gradFn;

    private Tensor(float[] data, Shape shape) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor: " + data.length + " values do not fill shape " + shape);
        }
        this.data = data;
        this.shape = shape;
        TensorScope.adopt(this, data);
    }

    // ---- Creation ------------------------------------------------------------------------------

    /** A tensor holding a copy of {@code values} (row-major), with the given shape; their counts must agree. */
    public static Tensor of(float[] values, int... shape) {
        return new Tensor(values.clone(), Shape.of(shape));
    }

    /** A tensor that uses {@code values} as its storage, without copying: writes show through. */
    public static Tensor wrap(float[] values, int... shape) {
        return new Tensor(values, Shape.of(shape));
    }

    /** A tensor that uses {@code values} as its storage, without copying. */
    public static Tensor wrap(float[] values, Shape shape) {
        return new Tensor(values, shape);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, Shape.of());
    }

    /** All zeros. */
    public static Tensor zeros(int... shape) {
        Shape s = Shape.of(shape);
        return new Tensor(new float[s.size()], s);
    }

    /** All zeros, of a given shape. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(new float[shape.size()], shape);
    }

    /** All ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** Every element equal to {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Independent standard normal values drawn from {@code rng}, in row-major order, of the given shape. */
    public static Tensor randn(Rng rng, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = (float) rng.nextGaussian();
        return t;
    }

    /** Independent values uniform in [{@code low}, {@code high}) drawn from {@code rng}. */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) t.data[i] = low + (high - low) * rng.nextFloat();
        return t;
    }

    // ---- Values and shape ----------------------------------------------------------------------

    /** The live storage, row-major: writing to it changes this tensor. */
    public float[] data() {
        if (data == null) {
            throw new IllegalStateException("tensor " + shape + " was released when the TensorScope it was made in closed;"
                    + " read what must outlive a scope (item(), toArray()) before closing it");
        }
        return data;
    }

    /** A copy of the values, row-major. */
    public float[] toArray() {
        return data().clone();
    }

    /** The dimensions, outermost first: {@code [N, C, H, W]} for a batch of images. */
    public Shape shape() {
        return shape;
    }

    /** The length of dimension {@code axis} (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** The number of dimensions: 0 for a scalar, 4 for {@code [N, C, H, W]}. */
    public int rank() {
        return shape.rank();
    }

    /** The number of elements. */
    public int size() {
        return shape.size();
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (size() != 1) throw new IllegalArgumentException("item: tensor of shape " + shape + " has " + size() + " elements, not 1");
        return data()[0];
    }

    /** The element at a full index, e.g. {@code get(n, c, h, w)}. */
    public float get(int... index) {
        return data()[offset(index)];
    }

    /** Sets the element at a full index (no gradient is recorded: for building inputs). */
    public void set(float value, int... index) {
        data()[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length + ", tensor has shape " + shape);
        int[] strides = shape.strides();
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + shape);
            off += index[i] * strides[i];
        }
        return off;
    }

    @Override
    public String toString() {
        String values = data == null ? "[released]" : data.length <= 8 ? Arrays.toString(data) : Arrays.toString(Arrays.copyOf(data, 8)).replace("]", ", ...]");
        return "Tensor" + shape + values + (requiresGrad ? " requiresGrad" : "");
    }

    // ---- Gradients -----------------------------------------------------------------------------

    /** Whether gradients flow into this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf (a parameter, an input) as needing its gradient; returns this. */
    public Tensor requiresGrad(boolean required) {
        if (gradFn != null && !required) throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + gradFn.op + ": use detach()");
        this.requiresGrad = required;
        return this;
    }

    /** The accumulated gradient d(loss)/d(this), of this tensor's shape, or null before any backward. */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (sets it to zero in place, keeping the buffer; a large one in parallel chunks). */
    public void zeroGrad() {
        if (grad != null) ElementwiseKernels.zero(grad.data);
    }

    /** Adds {@code g} (this tensor's shape, flat) into the gradient; for the backward of custom ops. */
    public void accumulateGrad(float[] g) {
        if (g.length != size()) throw new IllegalArgumentException("accumulateGrad: " + g.length + " values for shape " + shape);
        float[] acc = gradData();
        for (int i = 0; i < acc.length; i++) acc[i] += g[i];
    }

    /**
     * The gradient's storage, created as zeros on first use; ops' backward closures add into it. An
     * intermediate result's is recycled once its backward has run ({@link RecycledArrays}).
     */
    float[] gradData() {
        if (grad == null) grad = new Tensor(gradFn == null ? new float[size()] : RecycledArrays.zeros(size()), shape);
        return grad.data;
    }

    /** Whether no gradient has reached this tensor yet: the next contribution is the first, and may write instead of add. */
    boolean gradIsUnset() {
        return grad == null;
    }

    /**
     * The gradient's storage for its first contribution, which writes every element (only when
     * {@link #gradIsUnset()}): a recycled array is not zeroed first, as {@link #gradData()} would.
     */
    float[] gradDataToOverwrite() {
        if (grad != null) throw new IllegalStateException("gradDataToOverwrite: the gradient of " + shape + " already holds a contribution");
        grad = new Tensor(gradFn == null ? new float[size()] : RecycledArrays.toOverwrite(size()), shape);
        return grad.data;
    }

    /** The name of the op that made this tensor, or null for a leaf. */
    public String op() {
        return gradFn == null ? null : gradFn.op;
    }

    /** Back-propagates from this one-element loss: fills the gradients of all leaves that need them. */
    public void backward() {
        if (size() != 1) throw new IllegalArgumentException("backward: loss must have one element, got shape " + shape + "; pass a gradient of that shape");
        Autograd.backward(this, Tensor.full(1f, shape.toArray()));
    }

    /** Back-propagates from this tensor with d(loss)/d(this) = {@code gradient}. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient);
    }

    /** The same values (shared storage), cut off from the graph: no gradient flows through it. */
    public Tensor detach() {
        return new Tensor(data(), shape);
    }

    Autograd.GradFn gradFn() {
        return gradFn;
    }

    void attach(Autograd.GradFn fn) {
        this.gradFn = fn;
        this.requiresGrad = true;
    }

    /** Drops this intermediate result's link to its inputs and its gradient, after backward used them. */
    void releaseGraph() {
        gradFn = null;
        grad = null;
    }

    /** Gives up the values, whose array the closing {@link TensorScope} takes back, and the graph. */
    void release() {
        data = null;
        releaseGraph();
    }

    // ---- Ops (each defined, forward and backward side by side, in its op family's class) --------

    /** Elementwise {@code this + other} with NumPy broadcasting: [2, 3] + [3] is [2, 3], [N, 1] + [1, M] is [N, M]. */
    public Tensor add(Tensor other) {
        return Arithmetic.add(this, other);
    }

    /** Elementwise {@code this - other} with NumPy broadcasting; the result has the broadcast shape. */
    public Tensor sub(Tensor other) {
        return Arithmetic.sub(this, other);
    }

    /** Elementwise {@code this * other} with NumPy broadcasting; the result has the broadcast shape. */
    public Tensor mul(Tensor other) {
        return Arithmetic.mul(this, other);
    }

    /** Elementwise {@code this / other} with NumPy broadcasting; the result has the broadcast shape. */
    public Tensor div(Tensor other) {
        return Arithmetic.div(this, other);
    }

    /** {@code this + s} for every element; same shape. */
    public Tensor add(float s) {
        return Arithmetic.addScalar(this, s);
    }

    /** {@code this - s} for every element; same shape. */
    public Tensor sub(float s) {
        return Arithmetic.addScalar(this, -s);
    }

    /** {@code this * s} for every element; same shape. */
    public Tensor mul(float s) {
        return Arithmetic.mulScalar(this, s);
    }

    /** {@code this / s} for every element (computed as a product with 1 / s); same shape. */
    public Tensor div(float s) {
        return Arithmetic.mulScalar(this, 1f / s);
    }

    // ---- Elementwise functions, reductions, products, activations, reshaping ------------------

    /** Elementwise {@code -this}; same shape. */
    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** Elementwise e^this; same shape. */
    public Tensor exp() {
        return Elementwise.exp(this);
    }

    /** Elementwise natural logarithm; same shape. */
    public Tensor log() {
        return Elementwise.log(this);
    }

    /** Elementwise square root; same shape. */
    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** Elementwise this^2; same shape. */
    public Tensor square() {
        return Elementwise.square(this);
    }

    /** Elementwise this^p; same shape. */
    public Tensor pow(float p) {
        return Elementwise.pow(this, p);
    }

    /** The sum of all elements: a rank-0 tensor (shape []). */
    public Tensor sum() {
        return Reductions.sumAll(this);
    }

    /**
     * The sum along {@code axes} (negative count from the end; none given means all, as in PyTorch);
     * kept as length-1 dimensions when {@code keepDims}: [N, C, H, W] summed over 1, 2, 3 is [N],
     * or [N, 1, 1, 1] with keepDims.
     */
    public Tensor sum(boolean keepDims, int... axes) {
        return Reductions.sum(this, keepDims, axes);
    }

    /**
     * Per row of the first axis, the sum of (this - other)^2 over all the other axes: [N, ...]
     * with [N, ...] gives [N]. One fused op, the same as {@code sub(other).square().sum(false, 1, ..)}.
     */
    public Tensor squaredDistance(Tensor other) {
        return Reductions.squaredDistance(this, other);
    }

    /** The mean of all elements: a rank-0 tensor (shape []). */
    public Tensor mean() {
        return Reductions.meanAll(this);
    }

    /** The mean along {@code axes} (none given means all); kept as length-1 dimensions when {@code keepDims}. */
    public Tensor mean(boolean keepDims, int... axes) {
        return Reductions.mean(this, keepDims, axes);
    }

    /** Matrix product: [m, k] x [k, n] -> [m, n], or batched [b, m, k] x [b, k, n] -> [b, m, n]. */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    /** Elementwise max(0, this); same shape. Its gradient is 1 where this is positive, 0 elsewhere. */
    public Tensor relu() {
        return Activations.relu(this);
    }

    /** Elementwise: this where positive, slope * this elsewhere; same shape. */
    public Tensor leakyRelu(float slope) {
        return Activations.leakyRelu(this, slope);
    }

    /** Elementwise logistic sigmoid 1 / (1 + e^-this), computed without overflow; same shape. */
    public Tensor sigmoid() {
        return Activations.sigmoid(this);
    }

    /** Elementwise hyperbolic tangent, in (-1, 1); same shape. */
    public Tensor tanh() {
        return Activations.tanh(this);
    }

    /** Elementwise softplus log(1 + e^this), computed without overflow for any input; same shape, every value positive. */
    public Tensor softplus() {
        return Activations.softplus(this);
    }

    /** The same values in a new shape of equal size; one dimension may be -1 (inferred). Shares storage. */
    public Tensor reshape(int... shape) {
        return Reshaping.reshape(this, shape);
    }

    /** All dimensions from {@code startAxis} on merged into one: [N, C, H, W].flatten(1) is [N, C*H*W]. */
    public Tensor flatten(int startAxis) {
        return Reshaping.flatten(this, startAxis);
    }

    /**
     * Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}, copied:
     * [N, 2 dimZ].slice(1, 0, dimZ) is [N, dimZ]. The gradient flows back into those elements only.
     */
    public Tensor slice(int axis, int start, int end) {
        return Reshaping.slice(this, axis, start, end);
    }

    /** The parts joined along {@code axis}; all other dimensions must agree: [N, a] and [N, b] along 1 give [N, a + b]. */
    public static Tensor concat(int axis, Tensor... parts) {
        return Reshaping.concat(axis, parts);
    }
}
