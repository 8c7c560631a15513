package javae.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javae.engine.io.Safetensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every op against PyTorch: for each file in src-test-data/golden/ops (one case: an op, its
 * arguments in the metadata, seeded float32 inputs, PyTorch's float64 output and the gradient of
 * every input for a fixed upstream gradient), runs the op, back-propagates the same upstream
 * gradient, and compares.
 *
 * <p>Tolerances, as |got - expected| <= atol + rtol * |expected|: forward 1e-5 + 1e-4 relative;
 * gradients 1e-4 + 1e-3 relative. The references are exact (float64, rounded once), so the
 * difference is javae's float32 rounding alone: a few ulps per value for elementwise ops and
 * growing with the length of the sums in convolutions and matmuls (up to 16x16x2 products summed
 * for a weight gradient, of values up to about 30 in size); observed at most 1.5e-6 absolute,
 * about ten times below the tolerances. A wrong index, stride or formula moves values by
 * O(0.1..1), far beyond them.
 */
class GoldenOpsTest {
    static final double FORWARD_ATOL = 1e-5, FORWARD_RTOL = 1e-4;
    static final double GRAD_ATOL = 1e-4, GRAD_RTOL = 1e-3;
    /** Every op the engine promises to match PyTorch on; a missing golden file fails here rather than passing unnoticed. */
    static final Set<String> REQUIRED_OPS = new TreeSet<>(List.of("conv2d", "conv_transpose2d", "linear", "softplus", "relu", "leaky_relu",
            "sigmoid", "tanh", "exp", "log", "sqrt", "neg", "square", "pow", "sum", "squared_distance", "mean", "matmul", "add", "sub", "mul", "div"));

    @TestFactory
    Stream<DynamicTest> everyOpMatchesPyTorch() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Golden.dir("ops"))) {
            files.filter(f -> f.toString().endsWith(".safetensors")).sorted().forEach(cases::add);
        }
        Set<String> covered = new TreeSet<>();
        for (Path file : cases) covered.add(Safetensors.readMetadata(file).get("op"));
        assertEquals(REQUIRED_OPS, covered, "ops with golden cases in " + Golden.dir("ops"));
        return cases.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString().replace(".safetensors", ""), () -> check(file)));
    }

    private static void check(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".safetensors", "");
        Map<String, Tensor> golden = Safetensors.read(file);
        Map<String, String> args = Safetensors.readMetadata(file);
        // The inputs: every tensor that is not the output or a gradient, set to require gradients.
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> t : golden.entrySet()) {
            if (!t.getKey().equals("out") && !t.getKey().startsWith("grad_")) inputs.put(t.getKey(), t.getValue().requiresGrad(true));
        }
        Tensor out = apply(args, inputs);
        Golden.assertClose(name + " out", golden.get("out"), out, FORWARD_ATOL, FORWARD_RTOL);
        out.backward(golden.get("grad_out"));
        for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
            Tensor grad = in.getValue().grad();
            if (grad == null) fail(name + ": no gradient reached input " + in.getKey());
            Golden.assertClose(name + " grad_" + in.getKey(), golden.get("grad_" + in.getKey()), grad, GRAD_ATOL, GRAD_RTOL);
        }
    }

    /** Runs the case's op, named as in PyTorch, on its inputs. */
    private static Tensor apply(Map<String, String> args, Map<String, Tensor> in) {
        String op = args.get("op");
        switch (op) {
            case "conv2d":
                return Ops.conv2d(in.get("x"), in.get("w"), in.get("b"), integer(args, "stride"), integer(args, "padding"));
            case "conv_transpose2d":
                return Ops.convTranspose2d(in.get("x"), in.get("w"), in.get("b"), integer(args, "stride"), integer(args, "padding"), integer(args, "output_padding"));
            case "linear": return Ops.linear(in.get("x"), in.get("w"), in.get("b"));
            case "softplus": return in.get("x").softplus();
            case "relu": return in.get("x").relu();
            case "leaky_relu": return in.get("x").leakyRelu(Float.parseFloat(args.get("slope")));
            case "sigmoid": return in.get("x").sigmoid();
            case "tanh": return in.get("x").tanh();
            case "exp": return in.get("x").exp();
            case "log": return in.get("x").log();
            case "sqrt": return in.get("x").sqrt();
            case "neg": return in.get("x").neg();
            case "square": return in.get("x").square();
            case "pow": return in.get("x").pow(Float.parseFloat(args.get("p")));
            case "sum": return args.containsKey("axes") ? in.get("x").sum(keepDims(args), axes(args)) : in.get("x").sum();
            case "squared_distance": return in.get("a").squaredDistance(in.get("b"));
            case "mean": return args.containsKey("axes") ? in.get("x").mean(keepDims(args), axes(args)) : in.get("x").mean();
            case "matmul": return in.get("a").matmul(in.get("b"));
            case "add": return in.get("a").add(in.get("b"));
            case "sub": return in.get("a").sub(in.get("b"));
            case "mul": return in.get("a").mul(in.get("b"));
            case "div": return in.get("a").div(in.get("b"));
            default: throw new AssertionError("golden case with unknown op " + op);
        }
    }

    private static int integer(Map<String, String> args, String key) {
        return Integer.parseInt(args.get(key));
    }

    private static boolean keepDims(Map<String, String> args) {
        return Boolean.parseBoolean(args.get("keepdim"));
    }

    private static int[] axes(Map<String, String> args) {
        return Stream.of(args.get("axes").split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
