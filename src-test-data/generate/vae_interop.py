#!/usr/bin/python3
"""Moves ConvVae weights between javae and PyTorch through safetensors files (numpy only, no
safetensors package needed), with the layer names of vae_parity.py.

  vae_interop.py to-torch CHECKPOINT
      loads a javae checkpoint (its adam.* tensors and metadata are skipped) into the PyTorch
      ConvVae and prints the decoded mean of z = 0 and the ELBO terms of a fixed batch.
  vae_interop.py from-torch OUT.safetensors [--dim-z 8] [--steps 5]
      trains the PyTorch ConvVae a few Adam steps on fixed random images and writes its
      state_dict as OUT.safetensors; `./javae sample --model OUT.safetensors` then loads it
      (javae reads the configuration off the tensor shapes).

Identical weights give identical losses: see vae_parity.py and ConvVaeParityTest.
"""
import json
import struct
import sys

import numpy as np
import torch

from vae_parity import VAR_X, ConvVae, elbo_terms


def read_safetensors(path):
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    header.pop("__metadata__", None)
    kinds = {"F32": np.float32, "F64": np.float64}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype=kinds[info["dtype"]]).reshape(info["shape"])
    return tensors


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def fixed_batch(dim_z):
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, size=(4, 3, 64, 64)).astype(np.float32)
    noise = rng.standard_normal((4, dim_z)).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(noise)


def to_torch(checkpoint):
    weights = {k: v for k, v in read_safetensors(checkpoint).items() if not k.startswith("adam.")}
    model = ConvVae(weights["fc_dec.weight"].shape[1])
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()})
    with torch.no_grad():
        x, noise = fixed_batch(model.dim_z)
        loss, reconstruction, kl = elbo_terms(model, x, noise)
        centre = model.decode(torch.zeros(1, model.dim_z))
    print("loaded %d tensors from %s" % (len(weights), checkpoint))
    print("decode(0): mean %.6f, first values %s" % (centre.mean().item(), centre.flatten()[:4].tolist()))
    print("fixed batch: loss %.4f  reconstruction %.4f  kl %.4f" % (loss.item(), reconstruction.item(), kl.item()))


def from_torch(out, dim_z, steps):
    torch.manual_seed(0)
    model = ConvVae(dim_z)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, noise = fixed_batch(dim_z)
    for _ in range(steps):
        loss, _, _ = elbo_terms(model, x, noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    write_safetensors(out, state, {"var_x": str(VAR_X)})
    print("wrote %s: %d tensors, loss after %d steps %.4f" % (out, len(state), steps, loss.item()))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "to-torch":
        to_torch(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "from-torch":
        args = sys.argv[3:]
        dim_z = int(args[args.index("--dim-z") + 1]) if "--dim-z" in args else 8
        steps = int(args[args.index("--steps") + 1]) if "--steps" in args else 5
        from_torch(sys.argv[2], dim_z, steps)
    else:
        sys.exit(__doc__)
