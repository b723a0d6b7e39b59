#!/usr/bin/python3
"""The peer of the scale benchmark: NC1-NC3 of a head-layout import (make_head_instance.py)
in NumPy float64, computed as the Python neural-collapse libraries do (rhubarbwu/
neural-collapse's measure.py, Papyan et al.'s notebook): class means, the within- and
between-class covariances (p x p), NC1 = tr(Sigma_W Sigma_B^+)/K, NC2 as the simplex-ETF
error and the equinorm coefficient of variation of the centred means, NC3 as the
self-duality distance of the classifier W = W3 W2 to the centred means. Written here,
not imported (no network on this machine), in the style of those libraries.

Usage: numpy_metrics.py DIR [--repeat R]. Prints the metrics and the seconds of the
computation (loading included, the features memory-mapped), the best of R runs.
"""
import argparse
import os
import time

import numpy as np


def metrics(directory):
    h = np.load(os.path.join(directory, "H.npy"), mmap_mode="r")  # p x N
    y = np.load(os.path.join(directory, "y.npy"))
    w = np.load(os.path.join(directory, "W3.npy")) @ np.load(os.path.join(directory, "W2.npy"))  # K x p
    p, n = h.shape
    k = int(y.max()) + 1
    h = np.asarray(h, dtype=np.float64)
    counts = np.bincount(y, minlength=k)
    onehot = np.zeros((k, n))
    onehot[y, np.arange(n)] = 1.0
    means = (h @ onehot.T) / counts  # p x K
    global_mean = h.mean(axis=1, keepdims=True)
    within = h - means[:, y]
    sigma_w = within @ within.T / n
    centred = means - global_mean
    sigma_b = centred @ centred.T / k
    nc1 = np.trace(sigma_w @ np.linalg.pinv(sigma_b)) / k
    gram = centred.T @ centred
    etf = np.eye(k) - np.ones((k, k)) / k
    nc2_etf = np.linalg.norm(gram / np.linalg.norm(gram) - etf / np.linalg.norm(etf))
    norms = np.linalg.norm(centred, axis=0)
    nc2_equinorm = norms.std() / norms.mean()
    nc3 = np.linalg.norm(w / np.linalg.norm(w) - centred.T / np.linalg.norm(centred))
    cosines = np.sum(w * centred.T, axis=1) / (np.linalg.norm(w, axis=1) * norms)
    return {"NC1": nc1, "NC2_etf": nc2_etf, "NC2_equinorm": nc2_equinorm, "NC3_duality": nc3,
            "NC3_mean_cos": cosines.mean()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        values = metrics(args.directory)
        best = min(best, time.process_time() - start)
    for name, value in values.items():
        print(f"{name} {value:.6g}")
    print(f"cpu_seconds {best:.3f}")


if __name__ == "__main__":
    main()
