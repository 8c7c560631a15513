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

import torch
import torch.nn as nn
import torch.nn.functional as F

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


class ReportVae(nn.Module):
    """The report's model: the same layers and names as javae's ConvVae."""

    def __init__(self, dim_z=50):
        super().__init__()
        self.dim_z = dim_z
        self.conv1 = nn.Conv2d(3, 32, 4, 2, 1)
        self.conv2 = nn.Conv2d(32, 32, 4, 2, 1)
        self.conv3 = nn.Conv2d(32, 64, 4, 2, 1)
        self.conv4 = nn.Conv2d(64, 64, 4, 2, 1)
        self.conv5 = nn.Conv2d(64, 256, 4, 1, 0)
        self.enc = nn.Linear(256, 2 * dim_z)
        self.dec = nn.Linear(dim_z, 256)
        self.tconv1 = nn.ConvTranspose2d(256, 64, 4, 1, 0)
        self.tconv2 = nn.ConvTranspose2d(64, 64, 4, 2, 1)
        self.tconv3 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.tconv4 = nn.ConvTranspose2d(32, 32, 4, 2, 1)
        self.tconv5 = nn.ConvTranspose2d(32, 3, 4, 2, 1)

    def loss(self, x, var_x=0.1):
        h = x
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4, self.conv5):
            h = F.relu(conv(h))
        stats = self.enc(h.flatten(1))
        mean, var = stats[:, :self.dim_z], F.softplus(0.5 * stats[:, self.dim_z:])
        z = mean + var.sqrt() * torch.randn_like(mean)
        h = F.relu(self.dec(z)).view(-1, 256, 1, 1)
        for tconv in (self.tconv1, self.tconv2, self.tconv3, self.tconv4):
            h = F.relu(tconv(h))
        mu_x = torch.tanh(self.tconv5(h))
        log_lik = -0.5 * (((x - mu_x) ** 2) / var_x + torch.log(2 * torch.pi * torch.tensor(var_x))).sum(dim=(1, 2, 3))
        kl = 0.5 * (var + mean ** 2 - 1 - var.log()).sum(dim=1)
        return (kl - log_lik).mean()


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
    model = ReportVae()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, 3, 64, 64) * 2 - 1

    def step():
        optimizer.zero_grad(set_to_none=True)
        model.loss(x).backward()
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
