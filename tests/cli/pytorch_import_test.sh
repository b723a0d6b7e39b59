#!/usr/bin/env bash
# A network trained in PyTorch, exported as docs/data.md ("Exporting from PyTorch") says,
# checked by `ncv check --import` (ctest label `cli`, `torch`). Needs Debian's python3-torch
# and python3-numpy for /usr/bin/python3; without them the test reports SKIPPED (exit 77).
# Independent cross-check: ||H_L - Y||_F computed by PyTorch's forward pass (float64) must
# match the T1 hypothesis value that ncverify computes from the imported arrays to 1e-12
# relative (both are double forward passes of the same weights; the tolerance covers the
# different summation orders of two GEMM implementations, ~N d eps).
# Usage: pytorch_import_test.sh NCV
set -uo pipefail
ncv=$1
python=/usr/bin/python3
if ! "$python" -c "import torch, numpy" 2>/dev/null; then
  echo "SKIPPED: /usr/bin/python3 has no torch/numpy (apt-get install python3-torch python3-numpy)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
"$python" - <<'PYTHON' || { echo "FAIL: the PyTorch export script"; exit 1; }
import json, math
import numpy as np
import torch

torch.manual_seed(0)
K, n, d = 3, 8, 12
g, b = 0.2, 1.0
# Data: K Gaussian classes, samples as rows (PyTorch batches), labels shuffled.
means = 2.0 * torch.randn(K, d, dtype=torch.float64)
labels = torch.arange(K).repeat_interleave(n)[torch.randperm(K * n)]
inputs = means[labels] + 0.3 * torch.randn(K * n, d, dtype=torch.float64)
targets = torch.nn.functional.one_hot(labels, K).double()

class SmoothLeakyReLU(torch.nn.Module):  # ncverify's smooth_leaky_relu (gamma = g, beta = b)
    def forward(self, x):
        return g * x + (1 - g) * (torch.nn.functional.softplus(x, beta=b) - math.log(2) / b)

model = torch.nn.Sequential(torch.nn.Linear(d, 32, bias=False), SmoothLeakyReLU(),
                            torch.nn.Linear(32, 16, bias=False), SmoothLeakyReLU(),
                            torch.nn.Linear(16, 8, bias=False), torch.nn.Linear(8, K, bias=False)).double()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, weight_decay=0.001)
for step in range(3000):
    optimizer.zero_grad()
    loss = 0.5 * ((model(inputs) - targets) ** 2).sum()
    loss.backward()
    optimizer.step()

# The export of docs/data.md.
linear = [i for i, layer in enumerate(model) if isinstance(layer, torch.nn.Linear)]
assert all(model[i].bias is None for i in linear), "ncverify's networks have no biases"
arrays = {f"W{l}": model[i].weight.detach().cpu().double().numpy() for l, i in enumerate(linear, start=1)}
arrays["X"] = inputs.detach().cpu().double().numpy().T
arrays["y"] = labels.detach().cpu().numpy().astype(np.int64)
np.savez("model.npz", **arrays)
with open("model.json", "w") as f:
    json.dump({"layout": "whole", "archive": "model.npz", "nonlinear_layers": 2,
               "activation": {"name": "smooth_leaky_relu", "slope": g, "beta": b}, "classes": K}, f, indent=2)
with torch.no_grad():
    residual = float(torch.linalg.norm(model(inputs) - targets))
json.dump({"residual_frobenius": residual, "loss": float(loss)}, open("torch.json", "w"))
PYTHON
"$ncv" check --import model.json --json --certified >out.json 2>err.txt
status=$?
if [[ $status != 0 ]]; then echo "FAIL: ncv check --import exited $status"; cat err.txt; exit 1; fi
"$python" - <<'PYTHON'
import json, sys
verdicts = json.load(open("out.json"))
torch_values = json.load(open("torch.json"))
t1 = [v for v in verdicts if v["result"] == "T1"][0]
print("T1:", t1["status"], "certified:", t1.get("certificate", {}).get("status"), "notes:", t1["notes"][:1])
# ncverify's ||E||_F = ||H_L - Y||_F is the right side of step T1.7 (||E (I - Pi)||_F <= ||E||_F).
step = [s for s in t1["steps"] if s["id"] == "T1.7"][0]
e_F = step["rhs"]
relative = abs(e_F - torch_values["residual_frobenius"]) / torch_values["residual_frobenius"]
print(f"||H_L - Y||_F: ncverify {e_F!r}, PyTorch {torch_values['residual_frobenius']!r}, relative difference {relative:.3g}")
ok = relative <= 1e-12 and t1["status"] != "violated" and "reordered" in " ".join(t1["notes"])
sys.exit(0 if ok else 1)
PYTHON
if [[ $? == 0 ]]; then echo "PASS: PyTorch export imported and cross-checked"; else echo "FAIL: cross-check"; cat out.json | head -50; exit 1; fi
