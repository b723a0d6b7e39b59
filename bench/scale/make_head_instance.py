#!/usr/bin/python3
"""Writes a head-layout import (docs/data.md) of the size of a ResNet's penultimate layer:
H (p x N, float64 or float32) = class means + noise, labels y, and a two-layer linear head
W2 (K x p), W3 (K x K) fitted by ridge regression and split into balanced factors.

Usage: make_head_instance.py OUT_DIR --samples N [--features P] [--classes K]
                             [--noise S] [--seed SEED] [--float32] [--block B]

The features are nearly collapsed (within-class noise S relative to unit-norm class
means), so the head nearly interpolates and the hypotheses of Theorems 3.1 are close to
met; what is measured is the time of the checks, not their verdicts. H is written in
column blocks of B samples, so the generator never holds more than one block besides
the p x p Gram matrix it needs for the fit (N = 10^6 x p = 512 needs ~60 MB of RAM).
"""
import argparse
import os
import sys

import numpy as np


def npy_header(dtype, shape, fortran):
    text = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
        np.dtype(dtype).str, "True" if fortran else "False", ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else ""))
    total = 10 + len(text) + 1
    text += " " * ((64 - total % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode("latin1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--samples", type=int, required=True)
    parser.add_argument("--features", type=int, default=512)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--noise", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--float32", action="store_true")
    parser.add_argument("--block", type=int, default=20000)
    parser.add_argument("--ridge", type=float, default=1e-6)
    args = parser.parse_args()
    n, p, k = args.samples, args.features, args.classes
    if n % k != 0:
        sys.exit("--samples must be a multiple of --classes")
    rng = np.random.default_rng(args.seed)
    means = rng.standard_normal((p, k))
    means /= np.linalg.norm(means, axis=0)
    dtype = np.float32 if args.float32 else np.float64
    os.makedirs(args.out_dir, exist_ok=True)
    labels = np.repeat(np.arange(k, dtype=np.int64), n // k)
    gram = np.zeros((p, p))
    cross = np.zeros((k, p))
    h_path = os.path.join(args.out_dir, "H.npy")
    # Fortran order: column j (sample j) is contiguous, so blocks of samples append.
    with open(h_path + ".tmp", "wb") as out:
        out.write(npy_header(dtype, (p, n), True))
        for start in range(0, n, args.block):
            stop = min(n, start + args.block)
            block = means[:, labels[start:stop]] + args.noise * rng.standard_normal((p, stop - start))
            block = block.astype(dtype)
            out.write(np.asfortranarray(block).tobytes(order="F"))
            b = block.astype(np.float64)
            gram += b @ b.T
            onehot = np.zeros((k, stop - start))
            onehot[labels[start:stop], np.arange(stop - start)] = 1.0
            cross += onehot @ b.T
    os.replace(h_path + ".tmp", h_path)
    # Ridge fit W = Y H^T (H H^T + r I)^{-1}, then balanced factors W = W3 W2 from its SVD.
    w = np.linalg.solve(gram + args.ridge * n * np.eye(p), cross.T).T
    u, s, vt = np.linalg.svd(w, full_matrices=False)
    root = np.sqrt(s)
    np.save(os.path.join(args.out_dir, "W2.npy"), (root[:, None] * vt).astype(np.float64))
    np.save(os.path.join(args.out_dir, "W3.npy"), (u * root[None, :]).astype(np.float64))
    np.save(os.path.join(args.out_dir, "y.npy"), labels)


if __name__ == "__main__":
    main()
