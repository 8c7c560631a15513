#!/usr/bin/env python3
"""NumPy peer for javae's GEMM benchmarks: float32 matrix multiply (SGEMM through NumPy's BLAS,
OpenBLAS on Debian) at the sizes of javae.bench.GemmBenchmark and VaeGemmBenchmark, on 1 and 2 threads.

Prints the best and the median GFLOPS over several timed repetitions. Needs Debian's python3-numpy
(apt-get install python3-numpy python3-threadpoolctl); run with /usr/bin/python3:

    /usr/bin/python3 bench/peers/numpy_sgemm.py [--threads 1 2] [--seconds 1.0] [--json FILE]
"""
import argparse
import json
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

SQUARE = [64, 128, 256, 512, 1024]

# The encoder's im2col GEMMs at batch 64, as in VaeGemmBenchmark: (layer, in, out, kernel, stride, padding, size).
LAYERS = [
    ("conv1", 3, 32, 4, 2, 1, 64),
    ("conv2", 32, 32, 4, 2, 1, 32),
    ("conv3", 32, 64, 4, 2, 1, 16),
    ("conv4", 64, 64, 4, 2, 1, 8),
    ("conv5", 64, 256, 4, 1, 0, 4),
]
BATCH = 64


def vae_shapes():
    """(name, M, N, K, transA, transB) for forward, backward-data and backward-weight of each layer."""
    for name, cin, cout, kernel, stride, padding, size in LAYERS:
        out = (size + 2 * padding - kernel) // stride + 1
        patch, columns = cin * kernel * kernel, BATCH * out * out
        yield f"{name} forward", cout, columns, patch, False, False
        yield f"{name} backwardData", patch, columns, cout, True, False
        yield f"{name} backwardWeight", cout, patch, columns, False, True


def time_gemm(m, n, k, trans_a, trans_b, seconds):
    """Best and median GFLOPS of C = op(A) op(B), with A and B stored as javae stores them."""
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (k, m) if trans_a else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if trans_b else (k, n)).astype(np.float32)
    op_a = a.T if trans_a else a
    op_b = b.T if trans_b else b
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(op_a, op_b, out=c)  # warm-up
    times = []
    deadline = time.perf_counter() + seconds
    while len(times) < 5 or time.perf_counter() < deadline:
        start = time.perf_counter()
        np.matmul(op_a, op_b, out=c)
        times.append(time.perf_counter() - start)
    flops = 2.0 * m * n * k
    return flops / min(times) / 1e9, flops / statistics.median(times) / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=1.0, help="timing budget per shape")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    shapes = [(f"square {s}", s, s, s, False, False) for s in SQUARE] + list(vae_shapes())
    rows = []
    print(f"numpy {np.__version__}, float32 matmul; GFLOPS best / median")
    print(f"{'shape':28s} {'M':>6s} {'N':>6s} {'K':>6s} " + " ".join(f"{t:>2d} thread(s)  " for t in args.threads))
    for name, m, n, k, trans_a, trans_b in shapes:
        cells = []
        for threads in args.threads:
            with threadpool_limits(limits=threads, user_api="blas"):
                best, median = time_gemm(m, n, k, trans_a, trans_b, args.seconds)
            cells.append(f"{best:6.1f} / {median:6.1f}")
            rows.append({"shape": name, "m": m, "n": n, "k": k, "threads": threads,
                         "gflops_best": best, "gflops_median": median})
        print(f"{name:28s} {m:6d} {n:6d} {k:6d} " + "  ".join(cells))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=1)


if __name__ == "__main__":
    main()
