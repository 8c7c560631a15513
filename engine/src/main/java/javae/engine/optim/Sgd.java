package javae.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import javae.engine.Shape;
import javae.engine.Tensor;

/**
 * Stochastic gradient descent with momentum, computed as {@code torch.optim.SGD} (no dampening,
 * no Nesterov): for each parameter p with gradient g,
 * <pre>
 *   g = g + weight_decay * p
 *   buf = g at the first step, momentum * buf + g after   (momentum_buffer)
 *   p = p - lr * buf
 * </pre>
 * With momentum 0 there is no buffer and the step is plain {@code p = p - lr * g}.
 */
public final class Sgd extends Optimizer {
    private final double lr;
    private final double momentum;
    private final double weightDecay;

    /** Plain gradient descent. */
    public Sgd(Map<String, Tensor> parameters, double lr) {
        this(parameters, lr, 0, 0);
    }

    /** SGD with step size {@code lr}, {@code momentum} (0 for none) and an L2 {@code weightDecay} added to the gradient. */
    public Sgd(Map<String, Tensor> parameters, double lr, double momentum, double weightDecay) {
        super(parameters);
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Sgd: bad hyperparameters lr " + lr + ", momentum " + momentum + ", weight decay " + weightDecay);
        }
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    protected Map<String, Shape> bufferShapes(Shape parameter) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        if (momentum != 0) shapes.put("momentum_buffer", parameter);
        return shapes;
    }

    @Override
    protected void update(float[] p, float[] grad, Map<String, Tensor> buffers, Shape shape) {
        float rate = (float) lr, mu = (float) momentum, decay = (float) weightDecay;
        boolean first = momentum != 0 && buffers.isEmpty();
        if (first) buffers.put("momentum_buffer", Tensor.zeros(shape));
        float[] buf = momentum != 0 ? buffers.get("momentum_buffer").data() : null;
        for (int i = 0; i < p.length; i++) {
            float g = decay == 0 ? grad[i] : grad[i] + decay * p[i];
            if (buf != null) {
                buf[i] = first ? g : buf[i] * mu + g;
                g = buf[i];
            }
            p[i] = p[i] + -rate * g;
        }
    }
}
