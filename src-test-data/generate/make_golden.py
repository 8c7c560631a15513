#!/usr/bin/python3
"""Golden files for javae's engine tests, written by PyTorch.

Run with Debian's torch 1.13 (apt-get install python3-torch):

    /usr/bin/python3 src-test-data/generate/make_golden.py

Writes, under src-test-data/golden/ (all seeded, so a rerun gives the same files):

  ops/<case>.safetensors   one op on seeded inputs: the inputs, the output "out", a fixed random
                           upstream gradient "grad_out" and the gradient "grad_<input>" of every
                           input; the op and its arguments are in the __metadata__ strings
                           (op, stride, padding, output_padding, slope, p, axes, keepdim).
                           References are computed in float64 from the float32 inputs and stored
                           as float32, so they are the correctly rounded answers.
                           Read by javae.engine.GoldenOpsTest.
  train/<optimizer>.safetensors
                           10 steps of a small conv autoencoder (conv 3->4 k3 s2 p1, ReLU,
                           convT 4->3 k4 s2 p1, Tanh; MSE to its input) with torch.optim:
                           "init.<param>" (state_dict names), "batches" [10, 2, 3, 8, 8] (step i
                           uses batches[i]), "losses" [10] (each step's loss, before its update)
                           and "final.<param>"; the hyperparameters are in the metadata.
                           Read by javae.engine.optim.GoldenTrainingTest.
  io/                      small .npy files written by numpy (several dtypes, versions and
                           layouts) and a safetensors file written byte by byte below, for
                           javae.engine.io's reader tests. Their values are documented beside
                           each file's creation.

No safetensors package is needed: the format is written here with struct and json.
"""
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden")
SEED = 20240601


def write_safetensors(path, tensors, metadata=None):
    """safetensors by hand: u64 little-endian header length, JSON header, little-endian data."""
    header = {}
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        array = np.asarray(value)  # (not ascontiguousarray, which turns a 0-d array into 1-d)
        dtype = {np.dtype("float32"): "F32", np.dtype("float64"): "F64", np.dtype("int64"): "I64"}[array.dtype]
        blob = array.astype(array.dtype.newbyteorder("<")).tobytes(order="C")
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


class Case:
    """Seeded float32 inputs; the op evaluated in float64; gradients for a random upstream gradient."""

    def __init__(self, gen):
        self.gen = gen

    def normal(self, *shape, scale=1.0):
        return (torch.randn(*shape, generator=self.gen) * scale).float()

    def uniform(self, low, high, *shape):
        return (low + (high - low) * torch.rand(*shape, generator=self.gen)).float()


def run_case(directory, name, op, inputs, fn, gen, **args):
    """inputs: dict name -> float32 tensor (or None for an absent bias); fn maps float64 tensors to the output."""
    present = {k: v for k, v in inputs.items() if v is not None}
    leaves = {k: v.double().requires_grad_(True) for k, v in present.items()}
    out = fn(**{k: leaves.get(k) for k in inputs})
    grad_out = torch.randn(out.shape, generator=gen).double()
    out.backward(grad_out)
    tensors = {k: v.numpy() for k, v in present.items()}
    tensors["out"] = out.detach().float().numpy()
    tensors["grad_out"] = grad_out.float().numpy()
    for k, v in leaves.items():
        tensors["grad_" + k] = v.grad.float().numpy()
    metadata = {"op": op}
    metadata.update({k: v for k, v in args.items()})
    write_safetensors(os.path.join(directory, name + ".safetensors"), tensors, metadata)


def make_ops():
    directory = os.path.join(ROOT, "ops")
    os.makedirs(directory, exist_ok=True)
    gen = torch.Generator().manual_seed(SEED)
    c = Case(gen)

    # conv2d: x [N, C, H, W], w [O, C, kh, kw]; stride 1-3, padding 0-2, kernel 1-5, odd sizes, batch 1.
    conv_cases = [
        ("conv2d_k3_s1_p1", (2, 3, 7, 7), (4, 3, 3, 3), 1, 1, True),
        ("conv2d_k1_s1_p0", (1, 2, 5, 5), (3, 2, 1, 1), 1, 0, True),
        ("conv2d_k5_s2_p2", (1, 3, 9, 11), (2, 3, 5, 5), 2, 2, True),
        ("conv2d_k4_s3_p0", (2, 1, 10, 8), (3, 1, 4, 4), 3, 0, True),
        ("conv2d_k2_s2_p1", (1, 2, 6, 5), (2, 2, 2, 2), 2, 1, True),
        ("conv2d_k4_s2_p1", (2, 3, 16, 16), (8, 3, 4, 4), 2, 1, True),
        ("conv2d_k3x2_s1_p0", (1, 3, 6, 5), (2, 3, 3, 2), 1, 0, True),
        ("conv2d_nobias_k3_s2_p1", (1, 2, 5, 5), (3, 2, 3, 3), 2, 1, False),
    ]
    for name, xs, ws, stride, padding, bias in conv_cases:
        inputs = {"x": c.normal(*xs), "w": c.normal(*ws, scale=0.3), "b": c.normal(ws[0]) if bias else None}
        run_case(directory, name, "conv2d", inputs,
                 lambda x, w, b, s=stride, p=padding: F.conv2d(x, w, b, stride=s, padding=p),
                 gen, stride=stride, padding=padding)

    # conv_transpose2d: x [N, C, H, W], w [C, O, kh, kw]; with output_padding.
    tconv_cases = [
        ("conv_transpose2d_k4_s2_p1", (2, 4, 4, 4), (4, 3, 4, 4), 2, 1, 0, True),
        ("conv_transpose2d_k3_s2_p1_op1", (1, 3, 5, 5), (3, 2, 3, 3), 2, 1, 1, True),
        ("conv_transpose2d_k1_s1_p0", (1, 2, 3, 3), (2, 3, 1, 1), 1, 0, 0, True),
        ("conv_transpose2d_k5_s3_p2_op2", (1, 2, 4, 3), (2, 2, 5, 5), 3, 2, 2, True),
        ("conv_transpose2d_k4_s1_p0", (2, 8, 1, 1), (8, 4, 4, 4), 1, 0, 0, True),
        ("conv_transpose2d_k2_s2_p0", (1, 1, 3, 4), (1, 2, 2, 2), 2, 0, 0, True),
        ("conv_transpose2d_k2x3_s1_p1", (1, 2, 4, 5), (2, 3, 2, 3), 1, 1, 0, True),
        ("conv_transpose2d_nobias_k3_s3_p0_op1", (1, 2, 3, 3), (2, 1, 3, 3), 3, 0, 1, False),
    ]
    for name, xs, ws, stride, padding, out_pad, bias in tconv_cases:
        inputs = {"x": c.normal(*xs), "w": c.normal(*ws, scale=0.3), "b": c.normal(ws[1]) if bias else None}
        run_case(directory, name, "conv_transpose2d", inputs,
                 lambda x, w, b, s=stride, p=padding, op=out_pad: F.conv_transpose2d(x, w, b, stride=s, padding=p, output_padding=op),
                 gen, stride=stride, padding=padding, output_padding=out_pad)

    run_case(directory, "linear", "linear", {"x": c.normal(5, 7), "w": c.normal(3, 7), "b": c.normal(3)},
             lambda x, w, b: F.linear(x, w, b), gen)
    run_case(directory, "linear_nobias_batch1", "linear", {"x": c.normal(1, 4), "w": c.normal(6, 4), "b": None},
             lambda x, w, b: F.linear(x, w, b), gen)

    # Elementwise: normal inputs, plus the extremes where naive formulas overflow.
    extremes = torch.tensor([-1e4, -400, -350, -300, -20, -1, -1e-3, 0.0, 1e-3, 1, 20, 300, 350, 400, 1e4])
    wide = torch.cat([c.normal(3, 7, scale=3.0).flatten(), extremes.float()])
    moderate = torch.cat([c.normal(3, 5, scale=3.0).flatten(), torch.tensor([-30.0, -10.0, 10.0, 30.0])])
    positive = c.uniform(0.1, 4.0, 4, 5)
    run_case(directory, "softplus", "softplus", {"x": wide}, lambda x: F.softplus(x), gen)
    run_case(directory, "relu", "relu", {"x": c.normal(4, 6)}, lambda x: F.relu(x), gen)
    run_case(directory, "leaky_relu_0.2", "leaky_relu", {"x": c.normal(4, 6)}, lambda x: F.leaky_relu(x, 0.2), gen, slope=0.2)
    run_case(directory, "leaky_relu_0.01", "leaky_relu", {"x": c.normal(2, 3, 4)}, lambda x: F.leaky_relu(x, 0.01), gen, slope=0.01)
    run_case(directory, "sigmoid", "sigmoid", {"x": moderate}, lambda x: torch.sigmoid(x), gen)
    run_case(directory, "tanh", "tanh", {"x": moderate}, lambda x: torch.tanh(x), gen)
    run_case(directory, "exp", "exp", {"x": c.normal(3, 4, scale=2.0)}, lambda x: torch.exp(x), gen)
    run_case(directory, "log", "log", {"x": positive}, lambda x: torch.log(x), gen)
    run_case(directory, "sqrt", "sqrt", {"x": positive}, lambda x: torch.sqrt(x), gen)
    run_case(directory, "neg", "neg", {"x": c.normal(2, 5)}, lambda x: -x, gen)
    run_case(directory, "square", "square", {"x": c.normal(2, 5)}, lambda x: x * x, gen)
    run_case(directory, "pow_2", "pow", {"x": c.normal(3, 4)}, lambda x: x ** 2, gen, p=2.0)
    run_case(directory, "pow_3", "pow", {"x": c.normal(3, 4)}, lambda x: x ** 3, gen, p=3.0)
    run_case(directory, "pow_0.5", "pow", {"x": positive}, lambda x: x ** 0.5, gen, p=0.5)
    run_case(directory, "pow_-1.5", "pow", {"x": positive}, lambda x: x ** -1.5, gen, p=-1.5)

    # Reductions: all elements, or along axes (keepdim or not).
    run_case(directory, "sum_all", "sum", {"x": c.normal(3, 4, 5)}, lambda x: x.sum(), gen)
    run_case(directory, "sum_axis1", "sum", {"x": c.normal(3, 4, 5)}, lambda x: x.sum(dim=1), gen, axes="1", keepdim="false")
    run_case(directory, "sum_axes0_2_keepdim", "sum", {"x": c.normal(3, 4, 5)}, lambda x: x.sum(dim=(0, 2), keepdim=True), gen, axes="0,2", keepdim="true")
    run_case(directory, "mean_all", "mean", {"x": c.normal(4, 6)}, lambda x: x.mean(), gen)
    run_case(directory, "mean_last", "mean", {"x": c.normal(2, 3, 5)}, lambda x: x.mean(dim=-1), gen, axes="-1", keepdim="false")
    run_case(directory, "mean_axes1_2_keepdim", "mean", {"x": c.normal(2, 3, 4, 2)}, lambda x: x.mean(dim=(1, 2), keepdim=True), gen, axes="1,2", keepdim="true")

    run_case(directory, "matmul_2d", "matmul", {"a": c.normal(3, 4), "b": c.normal(4, 5)}, lambda a, b: a @ b, gen)
    run_case(directory, "matmul_batched", "matmul", {"a": c.normal(2, 3, 4), "b": c.normal(2, 4, 2)}, lambda a, b: a @ b, gen)
    run_case(directory, "matmul_1x1", "matmul", {"a": c.normal(1, 1), "b": c.normal(1, 3)}, lambda a, b: a @ b, gen)

    # Broadcasting arithmetic: shapes that stretch either side, and rank differences.
    run_case(directory, "add_broadcast", "add", {"a": c.normal(2, 3, 4), "b": c.normal(3, 1)}, lambda a, b: a + b, gen)
    run_case(directory, "sub_broadcast", "sub", {"a": c.normal(4, 1, 3), "b": c.normal(2, 1)}, lambda a, b: a - b, gen)
    run_case(directory, "mul_broadcast", "mul", {"a": c.normal(4, 1, 3), "b": c.normal(2, 1)}, lambda a, b: a * b, gen)
    run_case(directory, "mul_bias_row", "mul", {"a": c.normal(3, 5), "b": c.normal(5)}, lambda a, b: a * b, gen)
    run_case(directory, "div_broadcast", "div", {"a": c.normal(2, 3), "b": c.uniform(0.5, 2.0, 3)}, lambda a, b: a / b, gen)
    run_case(directory, "div_both_stretch", "div", {"a": c.normal(1, 4), "b": -c.uniform(0.5, 2.0, 3, 1)}, lambda a, b: a / b, gen)
    # fused: one value per row of the first axis (a VAE's squared reconstruction error per image)
    run_case(directory, "squared_distance", "squared_distance", {"a": c.normal(3, 2, 4, 5), "b": c.normal(3, 2, 4, 5)},
             lambda a, b: ((a - b) ** 2).flatten(1).sum(1), gen)


class ConvAutoencoder(nn.Sequential):
    """conv 3->4 k3 s2 p1, ReLU, convT 4->3 k4 s2 p1, Tanh: parameters 0.weight, 0.bias, 2.weight, 2.bias."""

    def __init__(self):
        super().__init__(nn.Conv2d(3, 4, 3, 2, 1), nn.ReLU(), nn.ConvTranspose2d(4, 3, 4, 2, 1), nn.Tanh())


def make_training():
    directory = os.path.join(ROOT, "train")
    os.makedirs(directory, exist_ok=True)
    steps = 10
    optimizers = {
        "adam": (lambda params: torch.optim.Adam(params, lr=1e-3),
                 {"optimizer": "adam", "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0}),
        "adam_weight_decay": (lambda params: torch.optim.Adam(params, lr=1e-2, weight_decay=0.1),
                              {"optimizer": "adam", "lr": 1e-2, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1}),
        "sgd_momentum": (lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-3),
                         {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 1e-3}),
    }
    for index, (name, (make_optimizer, hyper)) in enumerate(optimizers.items()):
        torch.manual_seed(SEED + index)
        model = ConvAutoencoder()  # PyTorch's default init, in float32
        init = {k: v.detach().clone().numpy() for k, v in model.state_dict().items()}
        batches = (torch.rand(steps, 2, 3, 8, 8) * 2 - 1).float()
        model = model.double()  # the reference run in float64 from the float32 weights
        optimizer = make_optimizer(model.parameters())
        losses = np.zeros(steps)
        for step in range(steps):
            x = batches[step].double()
            loss = F.mse_loss(model(x), x)
            losses[step] = loss.item()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        tensors = {"init." + k: v for k, v in init.items()}
        tensors["batches"] = batches.numpy()
        tensors["losses"] = losses
        tensors.update({"final." + k: v.detach().float().numpy() for k, v in model.state_dict().items()})
        write_safetensors(os.path.join(directory, name + ".safetensors"), tensors, dict(hyper, steps=steps))
        print("%-18s loss %.6f -> %.6f" % (name, losses[0], losses[-1]))


def make_io():
    directory = os.path.join(ROOT, "io")
    os.makedirs(directory, exist_ok=True)
    # Values are i / 4 - 1 for the i-th element in C order, unless said otherwise.
    def ramp(shape, dtype):
        return (np.arange(int(np.prod(shape))) / 4 - 1).reshape(shape).astype(dtype)
    np.save(os.path.join(directory, "float32_2x3.npy"), ramp((2, 3), np.float32))
    np.save(os.path.join(directory, "float64_2x2x2.npy"), ramp((2, 2, 2), np.float64))
    np.save(os.path.join(directory, "float32_bigendian_5.npy"), ramp((5,), ">f4"))
    np.save(os.path.join(directory, "float32_scalar.npy"), np.array(2.5, dtype=np.float32))
    np.save(os.path.join(directory, "float32_empty_0x3.npy"), np.zeros((0, 3), dtype=np.float32))
    # Integers: the i-th element is i - 3.
    np.save(os.path.join(directory, "int64_7.npy"), np.arange(7, dtype=np.int64) - 3)
    np.save(os.path.join(directory, "int32_2x3.npy"), (np.arange(6, dtype=np.int32) - 3).reshape(2, 3))
    # uint8: the i-th element is 250 + i (wrapping past 255 would show sign trouble).
    np.save(os.path.join(directory, "uint8_4.npy"), np.array([250, 251, 252, 253], dtype=np.uint8))
    with open(os.path.join(directory, "float32_v2_3x2.npy"), "wb") as f:
        np.lib.format.write_array(f, ramp((3, 2), np.float32), version=(2, 0))
    np.save(os.path.join(directory, "float32_fortran_2x3.npy"), np.asfortranarray(ramp((2, 3), np.float32)))
    # safetensors by hand: a ramp, a float64 and an int64 tensor, and metadata.
    write_safetensors(os.path.join(directory, "mixed.safetensors"),
                      {"ramp": ramp((2, 3), np.float32), "doubles": ramp((4,), np.float64),
                       "counts": np.arange(3, dtype=np.int64) - 3},
                      {"format": "pt", "note": "written by make_golden.py"})


def main():
    torch.set_num_threads(1)
    make_ops()
    make_training()
    make_io()


if __name__ == "__main__":
    main()
