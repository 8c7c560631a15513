package javae.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode automatic differentiation.
 *
 * <p>While ops run, each result that depends on a tensor requiring a gradient remembers how it was
 * made: its inputs and a backward closure ({@link GradFn}). {@link #backward(Tensor, Tensor)} then
 * walks that graph from the loss back to the leaves, in two steps: order the nodes topologically,
 * then apply the chain rule to each node after every node that uses it.
 *
 * <p>Recording is on by default; inside {@link #noGrad()} nothing is recorded, for inference.
 */
public final class Autograd {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autograd() {}

    /** How an op's result passes its gradient back: {@code outGrad} has the result's shape. */
    @FunctionalInterface
    public interface Backward {
        /**
         * Adds d(loss)/d(input) = outGrad * d(result)/d(input) into the gradient of each input that
         * requires one. outGrad is the result's own gradient, dropped as soon as this returns, so a
         * backward may overwrite it.
         */
        void apply(float[] outGrad);
    }

    /** A scope in which no graph is recorded; close it (try-with-resources) to end it. */
    public static final class NoGradScope implements AutoCloseable {
        private boolean closed;

        private NoGradScope() {
            NO_GRAD_DEPTH.get()[0]++;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                NO_GRAD_DEPTH.get()[0]--;
            }
        }
    }

    /** Starts a scope in which ops record no graph: {@code try (var s = Autograd.noGrad()) { ... }}. */
    public static NoGradScope noGrad() {
        return new NoGradScope();
    }

    /** Whether ops on this thread record the graph now. */
    public static boolean isRecording() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /**
     * Makes {@code result} a node of the graph when recording is on and any input requires a
     * gradient; otherwise returns it untouched. Every op ends with this call.
     */
    public static Tensor record(Tensor result, String op, Backward backward, Tensor... inputs) {
        if (!isRecording()) return result;
        for (Tensor input : inputs) {
            if (input != null && input.requiresGrad()) {
                result.attach(new GradFn(op, inputs, backward));
                return result;
            }
        }
        return result;
    }

    /**
     * Accumulates d(root)/d(leaf) into the gradient of every leaf that requires one.
     * {@code seed} is d(loss)/d(root), of root's shape; for a scalar loss it is 1.
     * The graph is released afterwards, so memory does not grow across training steps.
     */
    static void backward(Tensor root, Tensor seed) {
        root.data(); // throws for a root whose TensorScope has closed: its graph is gone
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor " + root.shape() + " does not require a gradient (no input of the graph requires one, or it was computed under noGrad)");
        }
        if (!seed.shape().equals(root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + seed.shape() + " differs from tensor shape " + root.shape());
        }
        // Step 1: topological order, inputs before the results made from them (iterative DFS).
        List<Tensor> order = topologicalOrder(root);
        // Step 2: chain rule, from the root back to the leaves; each node's gradient is complete
        // once every node that used it has been processed, which the reversed order guarantees.
        root.accumulateGrad(seed.data());
        Collections.reverse(order);
        for (Tensor node : order) {
            GradFn fn = node.gradFn();
            if (fn == null) continue; // a leaf: its gradient stays for the optimizer
            float[] outGrad = node.gradData();
            fn.backward.apply(outGrad);
            node.releaseGraph(); // intermediate results keep neither gradient nor inputs
            RecycledArrays.recycle(outGrad); // so its array can serve the next node of its size
        }
    }

    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, index of next input to visit}
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs;
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /** The record of how a tensor was made: the op's name, its inputs and its backward closure. */
    static final class GradFn {
        final String op;
        final Tensor[] inputs;
        final Backward backward;

        GradFn(String op, Tensor[] inputs, Backward backward) {
            this.op = op;
            this.inputs = inputs;
            this.backward = backward;
        }
    }
}
