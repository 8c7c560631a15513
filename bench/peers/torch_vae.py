#!/usr/bin/env python3
"""PyTorch peer for javae's benchmarks: the report's convolutional VAE on this CPU.

Times, at batch 64 on 64x64x3 images:
  - every conv and transposed-conv layer of the report's model, forward plus backward
    (gradients for the input and the weights), in milliseconds;
  - one whole training step (forward, -ELBO, backward, Adam), in images per second;
for each thread count given. Prints a table and, with --json FILE, writes the figures.

Needs Debian's python3-torch (apt-get install python3-torch); run with /usr/bin/python3.
"""
import argparse
import json
import statistics
import time

import os
import sys

import torch
import torch.nn as nn

# The report's model and loss as PyTorch code, with javae's layer names: the same module the
# parity test proves equal to javae's ConvVae, so both sides time the same computation.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src-test-data", "generate"))
from vae_parity import ConvVae, elbo_terms  # noqa: E402

# (name, transposed, in, out, kernel, stride, padding, input spatial size)
LAYERS = [
    ("conv1", False, 3, 32, 4, 2, 1, 64),
    ("conv2", False, 32, 32, 4, 2, 1, 32),
    ("conv3", False, 32, 64, 4, 2, 1, 16),
    ("conv4", False, 64, 64, 4, 2, 1, 8),
    ("conv5", False, 64, 256, 4, 1, 0, 4),
    ("tconv1", True, 256, 64, 4, 1, 0, 1),
    ("tconv2", True, 64, 64, 4, 2, 1, 4),
    ("tconv3", True, 64, 32, 4, 2, 1, 8),
    ("tconv4", True, 32, 32, 4, 2, 1, 16),
    ("tconv5", True, 32, 3, 4, 2, 1, 32),
]


def median_seconds(fn, repeats, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_layer(spec, batch, repeats):
    name, transposed, cin, cout, k, s, p, size = spec
    layer = (nn.ConvTranspose2d if transposed else nn.Conv2d)(cin, cout, k, s, p)
    x = torch.randn(batch, cin, size, size, requires_grad=True)
    out = layer(x)
    upstream = torch.randn_like(out)

    def step():
        x.grad = None
        layer.zero_grad(set_to_none=True)
        layer(x).backward(upstream)

    return median_seconds(step, repeats)


def time_training_step(batch, repeats):
    torch.manual_seed(0)
    dim_z = 50
    model = ConvVae(dim_z)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 3, 64, 64) * 2 - 1

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss, _, _ = elbo_terms(model, x, torch.randn(batch, dim_z))
        loss.backward()
        optimizer.step()

    return median_seconds(step, repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    results = {"torch": torch.__version__, "batch": args.batch, "threads": {}}
    for threads in args.threads:
        torch.set_num_threads(threads)
        layers = {spec[0]: 1e3 * time_layer(spec, args.batch, args.repeats) for spec in LAYERS}
        step = time_training_step(args.batch, args.repeats)
        results["threads"][threads] = {"layer_ms": layers, "step_ms": 1e3 * step, "images_per_second": args.batch / step}
        print(f"PyTorch {torch.__version__}, {threads} thread(s), batch {args.batch}, median of {args.repeats}")
        for name, ms in layers.items():
            print(f"  {name:7s} forward+backward {ms:8.2f} ms")
        print(f"  training step {1e3 * step:8.2f} ms  = {args.batch / step:7.1f} images/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
