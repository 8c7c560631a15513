package javae.vae.train;

import java.util.Map;
import javae.engine.Tensor;

/** Finds the first tensor or image holding NaN or an infinity, so training can stop where trouble starts. */
public final class NumericGuard {
    private NumericGuard() {}

    /** The name of the first tensor with a non-finite value, or null when all are finite. */
    public static String firstNonFinite(Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            for (float v : e.getValue().data()) {
                if (!Float.isFinite(v)) return e.getKey();
            }
        }
        return null;
    }

    /** The index of the first block of {@code blockSize} values (an image of a batch) holding a non-finite value, or -1. */
    public static int firstNonFinite(float[] values, int blockSize) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) return i / blockSize;
        }
        return -1;
    }
}
