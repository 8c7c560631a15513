package javae.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javae.engine.Rng;
import javae.engine.Shape;
import javae.engine.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** A model shaped like a PyTorch one: a conv, a Sequential encoder, an own parameter, a linear head. */
    static final class Net extends Module {
        final Conv2d conv1;
        final Sequential encoder;
        final Tensor scale;
        final Linear head;

        Net(Rng rng) {
            conv1 = registerModule("conv1", new Conv2d(1, 2, 3, 1, 1, rng));
            encoder = registerModule("encoder", new Sequential(new Activations.Flatten(), new Linear(8, 5, rng), new Activations.ReLU(), new Linear(5, 3, rng)));
            scale = registerParameter("scale", Tensor.ones(3));
            head = registerModule("head", new Linear(3, 1, rng));
        }

        Tensor forward(Tensor x) {
            return head.forward(encoder.forward(conv1.forward(x).relu()).mul(scale));
        }
    }

    @Test
    void namesAndOrderFollowPyTorchStateDict() {
        Net net = new Net(new Rng(1));
        // PyTorch lists a module's own parameters before its children's, children in registration order.
        assertEquals(List.of("scale", "conv1.weight", "conv1.bias", "encoder.1.weight", "encoder.1.bias", "encoder.3.weight", "encoder.3.bias",
                "head.weight", "head.bias"), List.copyOf(net.namedParameters().keySet()));
        Map<String, Tensor> p = net.namedParameters();
        assertEquals(Shape.of(2, 1, 3, 3), p.get("conv1.weight").shape());
        assertEquals(Shape.of(5, 8), p.get("encoder.1.weight").shape());
        assertEquals(Shape.of(1), p.get("head.bias").shape());
        assertEquals(List.copyOf(p.values()), net.parameters());
        assertSame(net.scale, p.get("scale"), "namedParameters is live");
        assertTrue(p.values().stream().allMatch(Tensor::requiresGrad));
        assertEquals(18 + 2 + 40 + 5 + 15 + 3 + 3 + 3 + 1, net.parameterCount());
    }

    @Test
    void convTransposeWeightIsInOutKk() {
        ConvTranspose2d t = new ConvTranspose2d(4, 3, 5, 2, 1, 1, new Rng(2));
        assertEquals(Shape.of(4, 3, 5, 5), t.weight().shape());
        assertEquals(Shape.of(3), t.bias().shape());
        assertEquals(List.of("weight", "bias"), List.copyOf(t.namedParameters().keySet()));
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Net net = new Net(new Rng(3));
        net.forward(Tensor.randn(new Rng(4), 2, 1, 2, 2)).sum().backward();
        assertTrue(net.parameters().stream().allMatch(t -> t.grad() != null));
        assertTrue(nonZero(net.conv1.weight().grad().data()), "backward filled the conv gradient");
        net.zeroGrad();
        for (Tensor t : net.parameters()) assertArrayEquals(new float[t.size()], t.grad().data());
    }

    @Test
    void stateDictIsASnapshotThatLoadsIntoAnotherModel() {
        Net a = new Net(new Rng(5));
        Net b = new Net(new Rng(6));
        Tensor x = Tensor.randn(new Rng(7), 3, 1, 2, 2);
        Map<String, Tensor> state = a.stateDict();
        assertNotSame(a.scale, state.get("scale"));
        float before = state.get("conv1.weight").data()[0];
        a.conv1.weight().data()[0] += 1f;
        assertEquals(before, state.get("conv1.weight").data()[0], "snapshot does not follow the live weights");
        a.conv1.weight().data()[0] -= 1f;

        b.loadStateDict(state);
        assertArrayEquals(a.forward(x).data(), b.forward(x).data());
    }

    @Test
    void loadStateDictNamesMissingAndUnexpectedKeys() {
        Net net = new Net(new Rng(8));
        Map<String, Tensor> state = net.stateDict();
        state.remove("head.bias");
        state.put("head.bais", Tensor.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing keys [head.bias]") && e.getMessage().contains("unexpected keys [head.bais]"), e.getMessage());
    }

    @Test
    void loadStateDictRefusesShapeMismatchAndChangesNothing() {
        Net net = new Net(new Rng(9));
        Map<String, Tensor> original = net.stateDict();
        Map<String, Tensor> state = net.stateDict();
        state.put("scale", Tensor.full(9f, 3)); // would load, but a later key is wrong
        state.put("head.weight", Tensor.zeros(3, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertTrue(e.getMessage().contains("head.weight") && e.getMessage().contains("[3, 1]") && e.getMessage().contains("[1, 3]"), e.getMessage());
        assertArrayEquals(original.get("scale").data(), net.scale.data(), "a failed load leaves the model as it was");
    }

    @Test
    void registrationRefusesBadAndDuplicateNames() {
        class Bad extends Module {
            Bad(String first, String second) {
                registerParameter(first, Tensor.zeros(1));
                registerModule(second, new Activations.ReLU());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("w", "w"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", "c"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("", "c"));
    }

    @Test
    void sequentialChainsItsLayers() {
        Rng rng = new Rng(10);
        Linear first = new Linear(4, 6, rng);
        Linear second = new Linear(6, 2, rng);
        Sequential seq = new Sequential(first, new Activations.Tanh(), second, new Activations.Sigmoid());
        Tensor x = Tensor.randn(new Rng(11), 3, 4);
        assertArrayEquals(second.forward(first.forward(x).tanh()).sigmoid().data(), seq.forward(x).data());
        assertEquals(4, seq.layers().size());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(seq.namedParameters().keySet()));
    }

    @Test
    void reshapingLayers() {
        Tensor x = Tensor.randn(new Rng(12), 2, 12);
        Tensor unflat = new Activations.Unflatten(1, 3, 2, 2).forward(x);
        assertEquals(Shape.of(2, 3, 2, 2), unflat.shape());
        assertArrayEquals(x.data(), unflat.data());
        assertEquals(Shape.of(2, 12), new Activations.Flatten().forward(unflat).shape());
        assertEquals(Shape.of(2, 12, 1, 1), new Activations.Unflatten(-1, 12, 1, 1).forward(x).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> new Activations.Unflatten(1, 5, 2).forward(x));
        assertTrue(e.getMessage().contains("Unflatten") && e.getMessage().contains("[2, 12]"), e.getMessage());
    }

    @Test
    void activationLayersApplyTheirOps() {
        Tensor x = Tensor.of(new float[] {-2f, -0.5f, 0.5f, 3f}, 4);
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 3f}, new Activations.ReLU().forward(x).data());
        assertArrayEquals(new float[] {-0.2f, -0.05f, 0.5f, 3f}, new Activations.LeakyReLU(0.1f).forward(x).data(), 1e-7f);
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0.5f, 3f}, new Activations.LeakyReLU().forward(x).data(), 1e-7f);
        assertArrayEquals(x.softplus().data(), new Activations.Softplus().forward(x).data());
        assertArrayEquals(x.tanh().data(), new Activations.Tanh().forward(x).data());
    }

    @Test
    void layersRefuseBadArguments() {
        Rng rng = new Rng(13);
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, rng));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 0, 1, rng));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, -1, rng));
        var e = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 4, 3, 2, 1, 2, rng));
        assertTrue(e.getMessage().contains("ConvTranspose2d") && e.getMessage().contains("output padding 2"), e.getMessage());
    }

    private static boolean nonZero(float[] values) {
        for (float v : values) if (v != 0) return true;
        return false;
    }
}
