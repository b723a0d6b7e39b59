#!/usr/bin/python3
"""Extreme but valid linear-head instances for `ncv check --import --layout head`.

An instance generator written independently of the C++ one (checkers/head_instance.cpp):
NumPy builds a nearly balanced chain W_{L1+1} ... W_L with features H = A^+(Y + E0) +
null-space noise, then applies one transformation that leaves the theorems' hypotheses
met and their conclusions true:

  rescale-k     W_j x 2^k, W_{j+1} x 2^-k on a consecutive linear pair (exact; Z = H_{L-1}
                and the output are unchanged), or H x 2^k with W_{L1+1} x 2^-k;
  scale-k       H x 2^k and W_{L1+1} x 2^-k for extreme k (+-332, 600, -600, 664, 1000);
  ill-pK        p = K with kappa(W_L) = 1e15 (P_perp = 0 exactly);
  offset        H_{L-1} = Z + 2^26 u 1^T with W_L u = 0 (a common offset the head ignores);
  subnormal     features of size 2^-1050 (subnormal) with W_{L1+1} x 2^520, W_{L1+2} x 2^530;
  float32       every array rounded to float32 and stored as '<f4';
  huge          features x 1e300, W_{L1+1} x 1e-300 (not exact, still valid).

Every theorem checked (T1, T2, T3, T5) is proved, so on any such input a verdict may be
holds, hypotheses_not_met or inconclusive, never violated (nor a failed proof step), and
`ncv check` must not exit 2 (bad input) on a valid instance.

Usage: extreme_inputs.py NCV [--cases N] [--seed S] [--certified] [--assert]
Prints one line per instance and a summary; with --assert exits 1 on any exit-2 or
violated outcome (the ctest cli.extreme_inputs).
"""
import argparse, collections, json, os, subprocess, sys, tempfile

import numpy as np


def orthonormal_columns(rng, rows, cols):
    q, _ = np.linalg.qr(rng.standard_normal((rows, cols)))
    return q[:, :cols]


def base_instance(rng, K, n, widths, log10_kappa=0.5, perturbation=1e-6, fit=1e-6):
    """(weights W_{L1+1}..W_L, H, labels): widths d_0 .. d_L2 with d_L2 = K."""
    L2 = len(widths) - 1
    s = 10.0 ** (-log10_kappa * np.arange(K) / max(K - 1, 1))
    factors = [orthonormal_columns(rng, d, K) for d in widths]
    weights = []
    for j in range(1, L2 + 1):
        w = factors[j] @ np.diag(s) @ factors[j - 1].T
        g = rng.standard_normal(w.shape)
        weights.append(w + perturbation * np.linalg.norm(w) / np.linalg.norm(g) * g)
    a = weights[-1]
    for w in reversed(weights[:-1]):
        a = a @ w
    labels = np.repeat(np.arange(K), n)
    y = np.eye(K)[:, labels]
    e0 = rng.standard_normal(y.shape)
    e0 *= fit * np.sqrt(n) / np.linalg.norm(e0)
    a_pinv = np.linalg.pinv(a)
    h = a_pinv @ (y + e0)
    null = np.eye(a.shape[1]) - a_pinv @ a
    h += 0.3 * null @ rng.standard_normal((a.shape[1], K * n))
    return weights, h, labels


def transformed(kind, rng):
    """(name, weights, H, labels, dtype) of one extreme instance of the given kind."""
    K = int(rng.integers(2, 5))
    n = int(rng.integers(2, 6))
    if kind == "ill-pK":
        # p = K: W_L = Q diag(s) with s from 1 to 1e-15, W_{L-1} = [I_K 0] and
        # H = W_{L-1}^T diag(1/s) Q^T Y, so that W_L W_{L-1} H = Y to rounding.
        d0 = K + int(rng.integers(0, 3))
        s = np.logspace(0, -15, K)
        q = orthonormal_columns(rng, K, K)
        labels = np.repeat(np.arange(K), n)
        v = np.eye(K, d0)
        h = v.T @ (np.diag(1 / s) @ (q.T @ np.eye(K)[:, labels]))
        return kind, [v, q @ np.diag(s)], h, labels, "<f8"
    L2 = int(rng.integers(2, 4))
    widths = [K] * (L2 + 1)
    for j in range(L2 - 1, -1, -1):
        widths[j] = widths[j + 1] + int(rng.integers(1, 4))
    weights, h, labels = base_instance(rng, K, n, widths, log10_kappa=float(rng.uniform(0, 1)),
                                       perturbation=10.0 ** float(rng.uniform(-9, -3)),
                                       fit=10.0 ** float(rng.uniform(-7, -2)))
    dtype = "<f8"
    if kind.startswith("rescale"):
        k = int(rng.choice([14, 20, 30, -30, 60, 100]))
        if L2 == 2 or rng.random() < 0.5:
            h = np.ldexp(h, k)
            weights[0] = np.ldexp(weights[0], -k)
        else:
            j = int(rng.integers(0, L2 - 1))   # pair (j, j+1) of consecutive head weights
            weights[j] = np.ldexp(weights[j], k)
            weights[j + 1] = np.ldexp(weights[j + 1], -k)
        kind = "rescale%+d" % k
    elif kind.startswith("scale"):
        k = int(rng.choice([332, -332, 600, -600, 664, 1000, -1000]))
        h = np.ldexp(h, k)
        weights[0] = np.ldexp(weights[0], -k)
        kind = "scale%+d" % k
    elif kind == "offset":
        # W_L u = 0 for a unit u in the last hidden width p > K: add 2^26 u to every column
        # of Z = H_{L-1} through the layer before (V^+ u is exact enough: V has full row rank).
        w_last, v = weights[-1], weights[-2]
        _, _, vt = np.linalg.svd(w_last)
        u = vt[-1]
        prefix = np.eye(h.shape[0])
        for w in weights[:-2]:
            prefix = w @ prefix
        lift = np.linalg.pinv(v @ prefix) @ u
        h = h + np.ldexp(1.0, 26) * np.outer(lift, np.ones(h.shape[1]))
    elif kind == "subnormal":
        if L2 < 3:
            weights.insert(1, np.eye(weights[0].shape[0]))
        h = np.ldexp(h, -1050)
        weights[0] = np.ldexp(weights[0], 520)
        weights[1] = np.ldexp(weights[1], 530)
    elif kind == "float32":
        dtype = "<f4"
        h = h.astype(np.float32).astype(np.float64)
        weights = [w.astype(np.float32).astype(np.float64) for w in weights]
    elif kind == "huge":
        h = h * 1e300
        weights[0] = weights[0] * 1e-300
    return kind, weights, h, labels, dtype


KINDS = ["rescale", "scale", "ill-pK", "offset", "subnormal", "float32", "huge"]


def write_instance(path, weights, h, labels, dtype):
    arrays = {"H": h.astype(dtype), "y": labels.astype("<i8")}
    for j, w in enumerate(weights, start=2):   # L1 = 1: the head is W2 ... WL
        arrays["W%d" % j] = w.astype(dtype)
    np.savez(path, **arrays)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ncv")
    parser.add_argument("--cases", type=int, default=70)
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--certified", action="store_true")
    parser.add_argument("--assert", dest="check", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    tally = collections.Counter()
    bad = []
    with tempfile.TemporaryDirectory() as work, np.errstate(all="ignore"):
        for case in range(args.cases):
            kind, weights, h, labels, dtype = transformed(KINDS[case % len(KINDS)], rng)
            path = os.path.join(work, "case.npz")
            write_instance(path, weights, h, labels, dtype)
            command = [args.ncv, "check", "--import", path, "--layout", "head", "--nonlinear-layers", "1", "--json"]
            if args.certified:
                command.append("--certified")
            run = subprocess.run(command, capture_output=True, text=True)
            tally["exit %d" % run.returncode] += 1
            statuses = {}
            if run.returncode in (0, 1, 4):
                for verdict in json.loads(run.stdout):
                    statuses[verdict["result"]] = verdict["status"]
                    tally[verdict["status"]] += 1
                    certificate = verdict.get("certificate")
                    if certificate:
                        tally["certified " + certificate["status"]] += 1
            line = "case %3d %-12s exit %d %s" % (case, kind, run.returncode,
                                                  " ".join("%s=%s" % kv for kv in sorted(statuses.items())))
            if run.returncode not in (0,) or "violated" in statuses.values() or "proof_step_failed" in statuses.values():
                bad.append(line + ("  " + run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""))
            print(line)
    print("summary: %d cases; %s" % (args.cases, ", ".join("%s: %d" % kv for kv in sorted(tally.items()))))
    for line in bad:
        print("BAD " + line)
    if args.check and bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
