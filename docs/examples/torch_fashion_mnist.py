#!/usr/bin/python3
"""Worked example of docs/python.md: a PyTorch MLP trained with weight decay on
Fashion-MNIST (Debian dataset-fashion-mnist), checked and certified by ncverify every
800 epochs, with the verdicts plotted (docs/python.md shows its output).

    PYTHONPATH=build/release/python /usr/bin/python3 docs/examples/torch_fashion_mnist.py [OUT_DIR]

Writes OUT_DIR (default torch-fashion-mnist/): verdicts.csv (epoch, checker, status,
measured, bound, informative), checks.png (measured/bound per checker over the epochs,
gnuplot) and final.json (the certified verdicts of the last epoch).
"""
import csv
import gzip
import json
import os
import subprocess
import sys

import numpy as np
import torch

import ncverify
import ncverify.torch as nt

DATA = "/usr/share/datasets/fashion-mnist"
PER_CLASS, CLASSES, EPOCHS, CHECK_EVERY = 20, 10, 4000, 800


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def balanced_subset(images, labels):
    keep = np.concatenate([np.flatnonzero(labels == c)[:PER_CLASS] for c in range(CLASSES)])
    x = images[keep].reshape(len(keep), -1).astype(np.float64) / 255.0
    # 28 x 28 pooled to 7 x 7 (mean of 4 x 4 blocks): 49 inputs, a CPU-sized problem.
    x = x.reshape(-1, 7, 4, 7, 4).mean(axis=(2, 4)).reshape(len(keep), -1)
    return torch.tensor(x - x.mean(axis=0)), torch.tensor(labels[keep].astype(np.int64))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "torch-fashion-mnist"
    os.makedirs(out, exist_ok=True)
    x, y = balanced_subset(idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz"))
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(49, 512, bias=False), nt.SmoothLeakyReLU(0.2),
        torch.nn.Linear(512, 64, bias=False), nt.SmoothLeakyReLU(0.2),
        torch.nn.Linear(64, 32, bias=False), torch.nn.Linear(32, CLASSES, bias=False)).double()
    # Full-batch gradient descent (with heavy-ball momentum, to get near interpolation in
    # a few seconds) on the summed MSE with weight decay, the loss of the theorems:
    # C = 1/2 ||H_L - Y||^2 + lambda/2 ||theta||^2.
    eta, weight_decay = 1e-4, 1e-4
    optimizer = torch.optim.SGD(model.parameters(), lr=eta, momentum=0.9, weight_decay=weight_decay)
    targets = torch.nn.functional.one_hot(y, CLASSES).double()
    rows = []
    for epoch in range(1, EPOCHS + 1):
        optimizer.zero_grad()
        loss = ((model(x) - targets) ** 2).sum() / 2
        loss.backward()
        optimizer.step()
        if epoch % CHECK_EVERY == 0:
            verdicts = nt.check_mlp(model, x, y, certified=True, weight_decay=weight_decay, learning_rate=eta)
            for v in verdicts:
                rows.append([epoch, v.result, v.status, v.measured, v.bound, v.informative])
            print("epoch %4d  loss %.4g  " % (epoch, loss.item()) +
                  "  ".join("%s %s/%s" % (v.result, v.status, v.to_dict().get("certificate", {}).get("status", "-"))
                            for v in verdicts), flush=True)
    final = verdicts  # the last check's, certified
    for v in final:
        certificate = v.to_dict().get("certificate", {}).get("status", "-")
        print("final %s: %s, certified %s, measured %.4g %s bound %.4g, informative %s" % (
            v.result, v.status, certificate, v.measured, v.relation, v.bound, v.informative))
    with open(os.path.join(out, "final.json"), "w") as f:
        json.dump([v.to_dict() for v in final], f, indent=2)
    with open(os.path.join(out, "verdicts.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "checker", "status", "measured", "bound", "informative"])
        writer.writerows(rows)
    # measured / bound (<= 1 when a bound holds; T3 is a lower bound: bound / measured) per checker.
    series = {}
    for epoch, result, status, measured, bound, _ in rows:
        if isinstance(measured, (int, float)) and isinstance(bound, (int, float)) and measured and bound:
            ratio = bound / measured if result == "T3" else measured / bound
            series.setdefault(result, []).append((epoch, ratio))
    data = os.path.join(out, "ratios.dat")
    with open(data, "w") as f:
        for result, points in series.items():
            f.write("# %s\n" % result + "".join("%d %.17g\n" % p for p in points) + "\n\n")
    script = "set terminal pngcairo size 800,500; set output '%s'; set logscale y; set key outside; " \
             "set xlabel 'epoch'; set ylabel 'measured / bound (T3: bound / measured)'; plot %s" % (
                 os.path.join(out, "checks.png"),
                 ", ".join("'%s' index %d with linespoints title '%s'" % (data, i, r) for i, r in enumerate(series)))
    subprocess.run(["gnuplot", "-e", script], check=True)
    print("written", os.path.join(out, "verdicts.csv"), os.path.join(out, "checks.png"), os.path.join(out, "final.json"))


if __name__ == "__main__":
    main()
