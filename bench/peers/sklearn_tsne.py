#!/usr/bin/python3
"""scikit-learn's t-SNE on the same input as javae's, for time and KL side by side.

Run with Debian's /usr/bin/python3 (scikit-learn 1.2):

  # 1. the shared input: 10 seeded Gaussian blobs, 10,000 points x 50 dimensions, float32 .npy
  #    (labels beside it as a one-column .csv)
  bench/peers/sklearn_tsne.py generate --out /tmp/blobs.npy --points 10000 --dim 50 --seed 0

  # 2. scikit-learn alone: Barnes-Hut, theta 0.5, perplexity 30, 1000 iterations, init='pca',
  #    learning_rate='auto' (= max(N / 12 / 4, 50), the formula javae uses)
  bench/peers/sklearn_tsne.py sklearn --input /tmp/blobs.npy --save /tmp/sklearn-embedding.csv

  # 3. both, side by side: runs scikit-learn, then the javae command (which must write
  #    embedding.csv and metrics.json into OUT), then scores both embeddings the same way
  bench/peers/sklearn_tsne.py compare --input /tmp/blobs.npy --out /tmp/tsne-javae \\
      --javae "./javae tsne --input {input} --out {out}"

KL is reported twice: as each tool reports it (Barnes-Hut estimate of the normaliser Z), and
recomputed here for both embeddings from the same sparse P (scikit-learn's own
_joint_probabilities_nn on the 3*perplexity+1 nearest neighbours) with the exact Z over all pairs.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

import numpy as np
from scipy.spatial.distance import pdist
from sklearn.datasets import make_blobs
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities_nn
from sklearn.neighbors import NearestNeighbors


def generate(args):
    x, labels = make_blobs(n_samples=args.points, n_features=args.dim, centers=args.centers,
                           cluster_std=args.std, random_state=args.seed)
    np.save(args.out, x.astype(np.float32))
    label_file = os.path.splitext(args.out)[0] + "-labels.csv"
    np.savetxt(label_file, labels, fmt="%d")
    print(f"wrote {args.out} {x.shape} float32 and {label_file}")


def load(path):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float32)
    return np.loadtxt(path, delimiter=",", dtype=np.float32)


def run_sklearn(x, args):
    tsne = TSNE(n_components=2, perplexity=args.perplexity, n_iter=args.iterations, angle=args.theta,
                method="barnes_hut", init="pca", learning_rate="auto", random_state=args.seed)
    start = time.perf_counter()
    embedding = tsne.fit_transform(x)
    seconds = time.perf_counter() - start
    return embedding, seconds, float(tsne.kl_divergence_)


def exact_kl(x, embedding, perplexity):
    """KL(P || Q): P as scikit-learn's Barnes-Hut builds it, Q with the exact normaliser over all pairs."""
    n = x.shape[0]
    k = min(n - 1, int(3.0 * perplexity + 1))
    distances = NearestNeighbors(n_neighbors=k).fit(x).kneighbors_graph(mode="distance")
    distances.data **= 2
    p = _joint_probabilities_nn(distances, perplexity, 0).tocoo()
    y = embedding.astype(np.float64)
    z = 2.0 * np.sum(1.0 / (1.0 + pdist(y, "sqeuclidean")))
    diff = y[p.row] - y[p.col]
    q = 1.0 / (1.0 + np.sum(diff * diff, axis=1)) / z
    tiny = np.finfo(np.float32).tiny
    return float(np.sum(p.data * np.log(np.maximum(p.data, tiny) / np.maximum(q, tiny))))


def sklearn_only(args):
    x = load(args.input)
    embedding, seconds, kl = run_sklearn(x, args)
    if args.save:
        np.savetxt(args.save, embedding, delimiter=",")
    print(f"scikit-learn {x.shape[0]}x{x.shape[1]}: {seconds:.2f} s, KL {kl:.4f} (reported), "
          f"{exact_kl(x, embedding, args.perplexity):.4f} (exact Z)")


def compare(args):
    x = load(args.input)
    sk_embedding, sk_seconds, sk_kl = run_sklearn(x, args)
    command = args.javae.format(input=args.input, out=args.out)
    subprocess.run(shlex.split(command), check=True)
    with open(os.path.join(args.out, "metrics.json")) as f:
        metrics = json.load(f)
    # embedding.csv: a header line "x,y" (or "x,y,label"), then one point per line
    javae_embedding = np.loadtxt(os.path.join(args.out, "embedding.csv"), delimiter=",", skiprows=1, ndmin=2)[:, :2]
    rows = [("scikit-learn", sk_seconds, sk_kl, sk_embedding),
            ("javae", float(metrics["seconds"]), float(metrics["kl_divergence"]), javae_embedding)]
    print(f"{'':14}{'seconds':>10}{'KL reported':>14}{'KL exact Z':>12}{'T(10)':>8}")
    for name, seconds, kl, embedding in rows:
        print(f"{name:14}{seconds:10.2f}{kl:14.4f}{exact_kl(x, embedding, args.perplexity):12.4f}"
              f"{trustworthiness(x, embedding, n_neighbors=10):8.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write seeded Gaussian blobs as .npy")
    gen.add_argument("--out", required=True)
    gen.add_argument("--points", type=int, default=10000)
    gen.add_argument("--dim", type=int, default=50)
    gen.add_argument("--centers", type=int, default=10)
    gen.add_argument("--std", type=float, default=1.0)
    gen.add_argument("--seed", type=int, default=0)
    for name, function in (("sklearn", sklearn_only), ("compare", compare)):
        sub = commands.add_parser(name)
        sub.add_argument("--input", required=True)
        sub.add_argument("--perplexity", type=float, default=30.0)
        sub.add_argument("--iterations", type=int, default=1000)
        sub.add_argument("--theta", type=float, default=0.5)
        sub.add_argument("--seed", type=int, default=0)
        sub.set_defaults(function=function)
    commands.choices["sklearn"].add_argument("--save", help="write the embedding to this CSV")
    commands.choices["compare"].add_argument("--out", required=True, help="javae's output directory")
    commands.choices["compare"].add_argument("--javae", default="./javae tsne --input {input} --out {out}",
                                             help="the javae command; {input} and {out} are filled in")
    gen.set_defaults(function=generate)
    args = parser.parse_args()
    args.function(args)


if __name__ == "__main__":
    sys.exit(main())
