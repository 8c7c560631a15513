#!/usr/bin/python3
"""Golden files for javae's ConvVae parity test (javae.vae.model.ConvVaeParityTest).

Builds the report's convolutional VAE in PyTorch with the same layer names as javae's ConvVae
(conv1..conv5, fc_enc, fc_dec, tconv1..tconv5), gives it the very initial weights javae draws from
javae.engine.Rng(SEED) (SplitMix64, reproduced below bit for bit), and runs 20 Adam steps on fixed
batches with fixed reparameterisation noise. Writes into src-test-data/vae_parity/:

  batches.npy      uint8 [4, 4, 3, 64, 64]: step i uses batches[i % 4], scaled x = u / 127.5 - 1
  noise.npy        float32 [20, 4, DIM_Z]: the standard normal noise of step i
  init_sums.npy    float64 [P]: the sum of each initial parameter, in state_dict order (checks the init)
  losses.npy       float64 [20, 3]: loss, reconstruction and KL of each step, before its update

The loss is -ELBO: per image, the sum over pixels of log N(x; decoder mean, VAR_X) minus the
closed-form KL to N(0, I), summed over latent dimensions; averaged over the batch.

Run with Debian's torch 1.13:  /usr/bin/python3 src-test-data/generate/vae_parity.py
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 2024
DIM_Z = 8           # smaller than the report's 50 to keep the test quick; the architecture is the same
VAR_X = 0.1
LR = 1e-3
STEPS = 20
BATCH = 4
DISTINCT_BATCHES = 4
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vae_parity")


class SplitMix64:
    """javae.engine.Rng: state += golden gamma, then the SplitMix64 finaliser; floats from the top 24 bits."""

    GAMMA = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, seed):
        self.state = np.uint64(seed)

    def next_floats(self, count):
        k = np.arange(1, count + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            z = self.state + k * self.GAMMA
            self.state = z[-1] if count else self.state
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        return (z >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)

    def uniform(self, low, high, shape):
        """Tensor.uniform: low + (high - low) * u, each operation rounded to float32 as in Java."""
        u = self.next_floats(int(np.prod(shape))).reshape(shape)
        low, high = np.float32(low), np.float32(high)
        return low + (high - low) * u


class ConvVae(nn.Module):
    """The report's model for 64x64 RGB images, named as javae.vae.model.ConvVae names its parameters."""

    def __init__(self, dim_z):
        super().__init__()
        self.dim_z = dim_z
        self.conv1 = nn.Conv2d(3, 32, 4, 2, 1)
        self.conv2 = nn.Conv2d(32, 32, 4, 2, 1)
        self.conv3 = nn.Conv2d(32, 64, 4, 2, 1)
        self.conv4 = nn.Conv2d(64, 64, 4, 2, 1)
        self.conv5 = nn.Conv2d(64, 256, 4, 1, 0)
        self.fc_enc = nn.Linear(256, 2 * dim_z)
        self.fc_dec = nn.Linear(dim_z, 256)
        self.tconv1 = nn.ConvTranspose2d(256, 64, 4, 1, 0)
        self.tconv2 = nn.ConvTranspose2d(64, 64, 4, 2, 1)
        self.tconv3 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.tconv4 = nn.ConvTranspose2d(32, 32, 4, 2, 1)
        self.tconv5 = nn.ConvTranspose2d(32, 3, 4, 2, 1)

    def encode(self, x):
        h = x
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4, self.conv5):
            h = F.relu(conv(h))
        out = self.fc_enc(h.flatten(1))
        return out[:, :self.dim_z], F.softplus(0.5 * out[:, self.dim_z:])

    def decode(self, z):
        h = F.relu(self.fc_dec(z)).reshape(-1, 256, 1, 1)
        h = self.tconv1(h)
        for tconv in (self.tconv2, self.tconv3, self.tconv4, self.tconv5):
            h = tconv(F.relu(h))
        return torch.tanh(h)


def javae_init(model, rng):
    """uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) for each weight then its bias, layer by layer, from one stream."""
    params = dict(model.named_parameters())
    for name, weight in params.items():
        if not name.endswith(".weight"):
            continue
        receptive = int(np.prod(weight.shape[2:])) if weight.dim() > 2 else 1
        fan = weight.shape[1] * receptive
        bound = np.float32(1 / np.sqrt(fan))
        bias = params[name[:-len("weight")] + "bias"]
        with torch.no_grad():
            weight.copy_(torch.from_numpy(rng.uniform(-bound, bound, tuple(weight.shape))))
            bias.copy_(torch.from_numpy(rng.uniform(-bound, bound, tuple(bias.shape))))


def gaussian_log_likelihood(x, mean, variance):
    """Sum over all but the batch axis of -0.5 * (log(2 pi v) + (x - m)^2 / v)."""
    per_value = -0.5 * (torch.log(2 * np.pi * variance) + (x - mean) ** 2 / variance)
    return per_value.flatten(1).sum(1)


def kl_to_standard_normal(mean, variance):
    return 0.5 * (variance + mean ** 2 - 1 - torch.log(variance)).sum(1)


def elbo_terms(model, x, noise):
    mean, variance = model.encode(x)
    z = mean + torch.sqrt(variance) * noise
    decoded = model.decode(z)
    reconstruction = gaussian_log_likelihood(x, decoded, torch.tensor(VAR_X)).mean()
    kl = kl_to_standard_normal(mean, variance).mean()
    return kl - reconstruction, reconstruction, kl


def main():
    torch.manual_seed(SEED)
    np_rng = np.random.default_rng(SEED)
    model = ConvVae(DIM_Z)
    javae_init(model, SplitMix64(SEED))
    init_sums = np.array([p.detach().double().sum().item() for p in model.parameters()])

    batches = np_rng.integers(0, 256, size=(DISTINCT_BATCHES, BATCH, 3, 64, 64), dtype=np.uint8)
    noise = np_rng.standard_normal((STEPS, BATCH, DIM_Z)).astype(np.float32)
    images = batches.astype(np.float32) / np.float32(127.5) - np.float32(1)

    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    losses = np.zeros((STEPS, 3))
    for step in range(STEPS):
        x = torch.from_numpy(images[step % DISTINCT_BATCHES])
        loss, reconstruction, kl = elbo_terms(model, x, torch.from_numpy(noise[step]))
        losses[step] = (loss.item(), reconstruction.item(), kl.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    os.makedirs(OUT, exist_ok=True)
    np.save(os.path.join(OUT, "batches.npy"), batches)
    np.save(os.path.join(OUT, "noise.npy"), noise)
    np.save(os.path.join(OUT, "init_sums.npy"), init_sums)
    np.save(os.path.join(OUT, "losses.npy"), losses)
    for step in (0, 1, STEPS - 1):
        print("step %2d  loss %.6f  reconstruction %.6f  kl %.6f" % (step, *losses[step]))


if __name__ == "__main__":
    main()
