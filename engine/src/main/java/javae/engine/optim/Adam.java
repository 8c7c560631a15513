package javae.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import javae.engine.Shape;
import javae.engine.Tensor;
import javae.engine.kernels.Parallel;

/**
 * Adam (Kingma and Ba, 2015), computed exactly as {@code torch.optim.Adam} (without amsgrad):
 * for each parameter p with gradient g, at its step t = 1, 2, ...
 * <pre>
 *   g = g + weight_decay * p                        (L2 penalty added to the gradient)
 *   m = beta1 * m + (1 - beta1) * g                  (exp_avg)
 *   v = beta2 * v + (1 - beta2) * g * g              (exp_avg_sq)
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The bias corrections are computed in double, the rest in float32, in PyTorch's order of
 * operations. The state of each parameter is PyTorch's: {@code step} (a float scalar, as PyTorch
 * keeps it), {@code exp_avg} and {@code exp_avg_sq}.
 *
 * <p>The learning rate can change between steps ({@link #setLearningRate}), as a PyTorch scheduler
 * changes {@code param_groups[0]["lr"]}: the next step uses the new value, the moments go on as they were.
 */
public final class Adam extends Optimizer {
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    /** Adam with PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, no weight decay. */
    public Adam(Map<String, Tensor> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with every hyperparameter given: step size {@code lr}, decay rates {@code beta1} and
     * {@code beta2} in [0, 1) of the two moments, {@code eps} added to the denominator, and an L2
     * {@code weightDecay} added to the gradient.
     */
    public Adam(Map<String, Tensor> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(parameters);
        if (!(lr >= 0) || !(eps >= 0) || !(weightDecay >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: bad hyperparameters lr " + lr + ", betas " + beta1 + "/" + beta2 + ", eps " + eps + ", weight decay " + weightDecay);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** The step size of the updates from the next on (not negative, as in the constructor). */
    public void setLearningRate(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("Adam: bad learning rate " + lr);
        this.lr = lr;
    }

    /** The step size of the next update. */
    public double learningRate() {
        return lr;
    }

    @Override
    protected Map<String, Shape> bufferShapes(Shape parameter) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("step", Shape.of());
        shapes.put("exp_avg", parameter);
        shapes.put("exp_avg_sq", parameter);
        return shapes;
    }

    @Override
    protected void update(float[] p, float[] grad, Map<String, Tensor> buffers, Shape shape) {
        if (buffers.isEmpty()) {
            buffers.put("step", Tensor.scalar(0f));
            buffers.put("exp_avg", Tensor.zeros(shape));
            buffers.put("exp_avg_sq", Tensor.zeros(shape));
        }
        float[] step = buffers.get("step").data();
        float[] m = buffers.get("exp_avg").data();
        float[] v = buffers.get("exp_avg_sq").data();
        step[0] += 1;
        double biasCorrection1 = 1 - Math.pow(beta1, step[0]);
        double biasCorrection2 = 1 - Math.pow(beta2, step[0]);
        // Scalars enter PyTorch's float32 kernels rounded to float; so they do here.
        float stepSize = (float) (lr / biasCorrection1);
        float biasCorrection2Sqrt = (float) Math.sqrt(biasCorrection2);
        float b1 = (float) beta1, oneMinusB1 = (float) (1 - beta1);
        float b2 = (float) beta2, oneMinusB2 = (float) (1 - beta2);
        float epsilon = (float) eps, decay = (float) weightDecay;
        // Every element on its own, so a large parameter is updated in parallel chunks.
        Parallel.forEachChunk(p.length, Parallel.MIN_CHUNKED_LENGTH, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = decay == 0 ? grad[i] : grad[i] + decay * p[i];
                m[i] = m[i] * b1 + oneMinusB1 * g;
                v[i] = v[i] * b2 + oneMinusB2 * g * g;
                float denom = (float) Math.sqrt(v[i]) / biasCorrection2Sqrt + epsilon;
                p[i] = p[i] + -stepSize * m[i] / denom;
            }
        });
    }
}
