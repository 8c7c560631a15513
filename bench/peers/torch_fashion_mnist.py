#!/usr/bin/python3
"""PyTorch peer for javae's Fashion-MNIST run: the same VAE, the same data, the same test ELBO.

Trains the report's convolutional VAE in its 32x32, 1-channel form (conv1 1->32, conv2 32->64,
conv3 64->64, each kernel 4 stride 2 padding 1; conv4 64->256 kernel 4; fc_enc; fc_dec; tconv1
256->64 kernel 4; tconv2 64->64, tconv3 64->32, tconv4 32->1, kernel 4 stride 2 padding 1; tanh)
on Fashion-MNIST with PyTorch, then runs `./javae train` with the same settings, and prints both
test ELBOs side by side with their relative difference.

The two runs share everything but the arithmetic:
  - data: the IDX files of the same folder; javae's training split (the first 54,000 images of the
    training file), of which the first --limit; the 10,000 t10k images as the test set; each image
    scaled as javae scales it (u / 127.5 - 1 in float32) and padded with -1 from 28x28 to 32x32;
  - model and loss: the layers of javae's ConvVae under the same names, the loss of
    src-test-data/generate/vae_parity.py (-ELBO per image: the Gaussian log-likelihood summed over
    pixels, minus the KL summed over latent dimensions; averaged over the images);
  - randomness: javae's streams (javae.vae.train.RandomStreams) reproduced for the seed: the initial
    weights (the parity script's initialiser, fed from javae's init stream), each epoch's batch
    order, each step's reparameterisation noise, the test set's noise;
  - training: Adam (lr 1e-3 by default), whole batches only, the test ELBO after each epoch with one
    noise sample per image (javae: `--validate-on test --valid-limit 10000`);
  - learning rate: javae's at every step (javae.vae.train.LearningRateSchedule, `--lr-schedule`):
    the base rate as javae holds it (a float32), constant or along half a cosine down to 0 over the
    run, set into Adam before each step as a PyTorch scheduler sets it.

Needs Debian's python3-torch and the data (apt-get install python3-torch dataset-fashion-mnist);
run with /usr/bin/python3 from anywhere:

  /usr/bin/python3 bench/peers/torch_fashion_mnist.py --epochs 3 --limit 12800 --seed 0
  /usr/bin/python3 bench/peers/torch_fashion_mnist.py --epochs 3 --limit 12800 --lr 3e-4 --lr-schedule cosine --seed 0
"""
import argparse
import csv
import gzip
import json
import math
import os
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "src-test-data", "generate"))
from vae_parity import SplitMix64, gaussian_log_likelihood, javae_init, kl_to_standard_normal  # noqa: E402

PADDED = 32
VALID_FRACTION = 0.1  # javae.vae.data.FashionMnist: the last 10% of the training file is the validation split


# ---- javae's random numbers (javae.engine.Rng, javae.vae.train.RandomStreams) ------------------

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
INIT, SHUFFLE, NOISE, VALIDATION = 1, 2, 3, 4


def finalise(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class JavaeRng:
    """javae.engine.Rng: SplitMix64; normals by Box-Muller, one of each pair."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next_long(self):
        self.state = (self.state + GAMMA) & MASK
        return finalise(self.state)

    def next_int(self, bound):
        limit = (1 << 32) - ((1 << 32) % bound)
        while True:
            r = self.next_long() >> 32
            if r < limit:
                return r % bound

    def gaussians(self, count):
        """Tensor.randn: count float32 normals, each from two doubles (u1 = 1 - first, u2 = second)."""
        k = np.arange(1, 2 * count + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            z = np.uint64(self.state) + k * np.uint64(GAMMA)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        self.state = (self.state + 2 * count * GAMMA) & MASK
        doubles = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
        u1, u2 = 1.0 - doubles[0::2], doubles[1::2]
        return (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).astype(np.float32)


def stream(seed, purpose, index):
    """RandomStreams.stream: the generator for (seed, purpose, index)."""
    mixed = JavaeRng(seed ^ (purpose << 56)).next_long()
    return JavaeRng(JavaeRng(mixed + index).next_long())


def permutation(seed, epoch, count):
    """RandomStreams.permutation: Fisher-Yates from the epoch's shuffle stream."""
    rng = stream(seed, SHUFFLE, epoch)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = rng.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return np.array(order)


def noise(seed, purpose, index, rows, dim_z):
    return torch.from_numpy(stream(seed, purpose, index).gaussians(rows * dim_z).reshape(rows, dim_z))


# ---- Data: javae.vae.data.FashionMnist ----------------------------------------------------------

def read_idx(path, magic, dimensions):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    header = np.frombuffer(data[:4 + 4 * dimensions], dtype=">i4")
    if header[0] != magic:
        sys.exit(f"{path}: bad magic number 0x{int(header[0]):08X}, expected 0x{magic:08X}")
    dims = tuple(int(d) for d in header[1:])
    return np.frombuffer(data[4 + 4 * dimensions:], dtype=np.uint8, count=int(np.prod(dims))).reshape(dims)


def find(folder, name):
    for candidate in (os.path.join(folder, name + ".gz"), os.path.join(folder, name)):
        if os.path.isfile(candidate):
            return candidate
    sys.exit(f"{os.path.join(folder, name)}.gz: file not found (nor {name})")


def scaled_and_padded(pixels):
    """uint8 [N, 28, 28] -> float32 [N, 1, 32, 32]: u / 127.5 - 1, centred in a border of -1."""
    n, rows, cols = pixels.shape
    out = np.full((n, 1, PADDED, PADDED), -1.0, dtype=np.float32)
    top, left = (PADDED - rows) // 2, (PADDED - cols) // 2
    out[:, 0, top:top + rows, left:left + cols] = pixels.astype(np.float32) / np.float32(127.5) - np.float32(1)
    return out


def load(folder, limit):
    """javae's training split (first 90% of the training file), its first `limit` images, and the test set."""
    train = read_idx(find(folder, "train-images-idx3-ubyte"), 0x803, 3)
    train_count = len(train) - math.floor(len(train) * VALID_FRACTION + 0.5)  # Java's Math.round
    train = train[:train_count if limit is None else min(limit, train_count)]
    test = read_idx(find(folder, "t10k-images-idx3-ubyte"), 0x803, 3)
    return torch.from_numpy(scaled_and_padded(train)), torch.from_numpy(scaled_and_padded(test))


# ---- Model: javae.vae.model.ConvVae -------------------------------------------------------------

class ConvVae(nn.Module):
    """javae's ConvVae for any square power-of-two image size, built as javae builds it, layer names and all."""

    STRIDED_WIDTHS = (32, 32, 64, 64)
    HIDDEN = 256

    def __init__(self, channels, image_size, dim_z):
        super().__init__()
        self.dim_z = dim_z
        strided = int(math.log2(image_size)) - 2  # stride-2 layers that halve the image down to 4x4
        widths = [channels, *self.STRIDED_WIDTHS[len(self.STRIDED_WIDTHS) - strided:], self.HIDDEN]
        # Registration order is javae's, so javae_init draws the weights in javae's order.
        self.convs = [self._add(f"conv{i + 1}", nn.Conv2d(widths[i], widths[i + 1], 4, 2 if i < strided else 1, 1 if i < strided else 0))
                      for i in range(strided + 1)]
        self.fc_enc = nn.Linear(self.HIDDEN, 2 * dim_z)
        self.fc_dec = nn.Linear(dim_z, self.HIDDEN)
        reverse = widths[::-1]
        self.tconvs = [self._add(f"tconv{i + 1}", nn.ConvTranspose2d(reverse[i], reverse[i + 1], 4, 2 if i > 0 else 1, 1 if i > 0 else 0))
                       for i in range(strided + 1)]

    def _add(self, name, layer):
        self.add_module(name, layer)
        return layer

    def encode(self, x):
        h = x
        for conv in self.convs:
            h = F.relu(conv(h))
        out = self.fc_enc(h.flatten(1))
        return out[:, :self.dim_z], F.softplus(0.5 * out[:, self.dim_z:])

    def decode(self, z):
        h = F.relu(self.fc_dec(z)).reshape(-1, self.HIDDEN, 1, 1)
        for i, tconv in enumerate(self.tconvs):
            h = tconv(F.relu(h) if i > 0 else h)
        return torch.tanh(h)


def elbo_terms(model, x, eps, var_x):
    """vae_parity.elbo_terms with var_x as a parameter: (-ELBO, reconstruction, KL), each averaged over the images."""
    mean, variance = model.encode(x)
    decoded = model.decode(mean + torch.sqrt(variance) * eps)
    reconstruction = gaussian_log_likelihood(x, decoded, torch.tensor(var_x)).mean()
    kl = kl_to_standard_normal(mean, variance).mean()
    return kl - reconstruction, reconstruction, kl


# ---- Learning rate: javae.vae.train.LearningRateSchedule -----------------------------------------

def learning_rate(args, step, total_steps):
    """The rate of 0-based `step`: javae's --lr is a float32, widened to double as Adam takes it."""
    lr = float(np.float32(args.lr))
    if args.lr_schedule == "cosine":  # CosineAnnealingLR's closed form, T_max = total_steps, eta_min = 0
        return lr * 0.5 * (1 + math.cos(math.pi * step / total_steps))
    return lr


# ---- The two runs -------------------------------------------------------------------------------

def evaluate(model, images, args):
    """Trainer.validate: the mean terms over all images, batch by batch, noise from (seed, VALIDATION, first index)."""
    sums = np.zeros(3)
    with torch.no_grad():
        for start in range(0, len(images), args.batch):
            x = images[start:start + args.batch]
            terms = elbo_terms(model, x, noise(args.seed, VALIDATION, start, len(x), args.dim_z), args.var_x)
            sums += np.array([t.item() for t in terms]) * len(x)
    return sums / len(images)


def train_torch(train, test, args):
    torch.set_num_threads(args.threads)
    model = ConvVae(1, PADDED, args.dim_z)
    javae_init(model, SplitMix64(stream(args.seed, INIT, 0).state))
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate(args, 0, 1))
    steps = len(train) // args.batch
    history = []
    start = time.perf_counter()
    for epoch in range(args.epochs):
        order = permutation(args.seed, epoch, len(train))
        sums = np.zeros(3)
        for s in range(steps):
            x = train[order[s * args.batch:(s + 1) * args.batch]]
            terms = elbo_terms(model, x, noise(args.seed, NOISE, epoch * steps + s, args.batch, args.dim_z), args.var_x)
            optimizer.zero_grad()
            terms[0].backward()
            optimizer.param_groups[0]["lr"] = learning_rate(args, epoch * steps + s, args.epochs * steps)
            optimizer.step()
            sums += np.array([t.item() for t in terms])
        history.append((*(sums / steps), *evaluate(model, test, args)))
        print(f"  PyTorch epoch {epoch + 1}: train -ELBO {history[-1][0]:.3f}, test -ELBO {history[-1][3]:.3f}", flush=True)
    return history, time.perf_counter() - start


def train_javae(args):
    out = tempfile.mkdtemp(prefix="javae-fashion-mnist-")
    command = shlex.split(args.javae) + [
        "train", "--data", args.data, "--format", "fashion-mnist", "--epochs", str(args.epochs), "--batch", str(args.batch),
        "--dim-z", str(args.dim_z), "--var-x", str(args.var_x), "--lr", str(args.lr), "--lr-schedule", args.lr_schedule, "--seed", str(args.seed),
        "--threads", str(args.threads), "--validate-on", "test", "--valid-limit", "10000", "--out", out]
    if args.limit is not None:
        command += ["--limit", str(args.limit)]
    print("  " + " ".join(shlex.quote(c) for c in command), flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    with open(os.path.join(out, "metrics.csv")) as f:
        rows = list(csv.DictReader(f))
    keys = ("train_loss", "train_reconstruction", "train_kl", "valid_loss", "valid_reconstruction", "valid_kl")
    return [tuple(float(row[k]) for k in keys) for row in rows], seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist", help="the folder of the IDX files")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=12800, help="train on the first N images of javae's training split (0: all 54,000)")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--dim-z", type=int, default=50)
    parser.add_argument("--var-x", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--lr-schedule", choices=("constant", "cosine"), default="constant",
                        help="the learning rate over the run, as javae train's --lr-schedule (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads of each side (default: %(default)s; PyTorch 1.13's OpenMP threads slow down many times over "
                             "when the machine is busy, so 2 pays only on a quiet machine)")
    parser.add_argument("--javae", default="./javae", help="the javae launcher, run from the repository root (default: %(default)s)")
    parser.add_argument("--only", choices=("torch", "javae"), help="run one side only")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    args.limit = args.limit or None

    train, test = load(args.data, args.limit)
    print(f"Fashion-MNIST from {args.data}: {len(train)} training images, {len(test)} test images; "
          f"{args.epochs} epochs, batch {args.batch}, dim_z {args.dim_z}, var_x {args.var_x}, lr {args.lr} {args.lr_schedule}, "
          f"seed {args.seed}, {args.threads} threads", flush=True)
    runs = {}
    if args.only != "javae":
        runs["PyTorch " + torch.__version__] = train_torch(train, test, args)
    if args.only != "torch":
        runs["javae"] = train_javae(args)

    print(f"\n{'':16s} {'train -ELBO':>12s} {'test -ELBO':>12s} {'test rec':>12s} {'test KL':>9s} {'wall s':>8s}")
    for name, (history, seconds) in runs.items():
        last = history[-1]
        print(f"{name:16s} {last[0]:12.3f} {last[3]:12.3f} {last[4]:12.3f} {last[5]:9.3f} {seconds:8.1f}")
    if len(runs) == 2:
        (_, (torch_history, _)), (_, (javae_history, _)) = runs.items()
        a, b = torch_history[-1][3], javae_history[-1][3]
        print(f"test ELBO: javae / PyTorch = {b / a:.5f}, relative difference {abs(a - b) / abs(a):.3%}, "
              f"{abs(a - b):.3f} nats per image")
    if args.json:
        figures = {"epochs": args.epochs, "train_images": len(train), "test_images": len(test), "batch": args.batch,
                   "dim_z": args.dim_z, "var_x": args.var_x, "lr": args.lr, "lr_schedule": args.lr_schedule, "seed": args.seed, "threads": args.threads,
                   "runs": {name: {"seconds": seconds, "epochs": [dict(zip(("train_loss", "train_reconstruction", "train_kl",
                                                                            "test_loss", "test_reconstruction", "test_kl"), row))
                                                                   for row in history]}
                            for name, (history, seconds) in runs.items()}}
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
