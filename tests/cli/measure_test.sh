#!/usr/bin/env bash
# `ncv measure --import` (ctest label `cli`): NC1-NC4 per layer of imported features and
# networks, compared with an independent NumPy computation of the same definitions
# (docs/metrics.md): a one-layer head with a bias on unbalanced classes with a test split,
# a whole network with nonlinear biases, certified enclosures containing the NumPy values,
# JSON / HTML outputs, and bad input. Usage: measure_test.sh NCV
set -uo pipefail
ncv=$1
source "$(dirname "$0")/common.sh"
python=/usr/bin/python3   # Debian's python3, the one python3-numpy belongs to

"$python" - "$work" <<'PYTHON' || fail "write the archives"
import sys
import numpy as np
work = sys.argv[1]
rng = np.random.default_rng(7)
K, p = 3, 6
counts = [5, 3, 4]                      # unbalanced classes
y = np.repeat(np.arange(K), counts)
rng.shuffle(y)                          # not sorted: ncv groups the samples by class
means = 3 * rng.standard_normal((p, K))
H = means[:, y] + 0.3 * rng.standard_normal((p, y.size))
W = rng.standard_normal((K, p))
b = rng.standard_normal(K)
y_test = np.repeat(np.arange(K), [2, 2, 2])
H_test = means[:, y_test] + 0.3 * rng.standard_normal((p, y_test.size))
np.savez(work + "/head.npz", H=H, W2=W, b2=b, y=y, H_test=H_test, y_test=y_test)
X = rng.standard_normal((4, 12))
yw = np.repeat(np.arange(2), 6)
np.savez(work + "/whole.npz", W1=rng.standard_normal((5, 4)), b1=rng.standard_normal(5), W2=rng.standard_normal((3, 5)),
         W3=rng.standard_normal((2, 3)), X=X, y=yw)
np.savez(work + "/extra.npz", H=H, W2=W, y=y, stray=np.zeros(3))
PYTHON

expect_exit 0 "measure a one-layer head with a bias and a test split" "$ncv" measure --import "$work/head.npz" \
  --layout head --nonlinear-layers 1 --json --certified --out "$work/out-head"
cp "$work/out" "$work/head.json"
"$python" - "$work" <<'PYTHON' && pass "the head's NC1, NC2, NC3 and NC4 agree with NumPy; enclosures contain them" || fail "head measurements"
import json, sys
import numpy as np
work = sys.argv[1]
a = np.load(work + "/head.npz")
m = json.load(open(work + "/head.json"))
def nc(features, labels, K):
    mu = np.stack([features[:, labels == c].mean(axis=1) for c in range(K)], axis=1)
    mu_g = features.mean(axis=1, keepdims=True)                      # weighted by samples
    within = sum(((features[:, labels == c] - mu[:, [c]]) ** 2).sum() for c in range(K)) / features.shape[1]
    between = ((mu - mu_g) ** 2).sum() / K
    s = np.linalg.svd(mu, compute_uv=False)
    return within / between, s[0] / s[-1], mu
def close(x, y, what, tol=1e-10):
    assert abs(x - y) <= tol * max(1.0, abs(y)), (what, x, y)
K = 3
for split, H, y in (("train", a["H"], a["y"]), ("test", a["H_test"], a["y_test"])):
    s = next(s for s in m["splits"] if s["split"] == split)
    nc1, kappa, mu = nc(H, y, K)
    f = s["input_features"]["features"]
    close(f["nc1_trace_ratio"]["value"], nc1, split + " NC1 of H")
    close(f["nc2_class_mean_condition_number"]["value"], kappa, split + " kappa(M) of H")
    W = a["W2"]
    cos = [W[c] @ mu[:, c] / np.linalg.norm(W[c]) / np.linalg.norm(mu[:, c]) for c in range(K)]
    close(s["input_features"]["nc3"]["mean_cosine"]["value"], np.mean(cos), split + " NC3")
    out = W @ H + a["b2"][:, None]                                   # the real outputs, with the bias
    nc1_out, kappa_out, mu_out = nc(out, y, K)
    layer = s["report"]["layers"][0]
    assert layer["layer"] == 2, layer["layer"]
    close(layer["features"]["nc1_trace_ratio"]["value"], nc1_out, split + " NC1 of the outputs")
    close(layer["features"]["nc2_class_mean_condition_number"]["value"], kappa_out, split + " kappa(M) of the outputs")
    ncc = np.argmin(((H[:, :, None] - mu[:, None, :]) ** 2).sum(axis=0), axis=1)
    close(f["nc4_ncc_agreement"]["value"], np.mean(ncc == out.argmax(axis=0)), split + " NC4")
    for c, v in zip(s["certified"], [(nc1, kappa), (nc1_out, kappa_out)]):
        lo, hi = c["nc1_trace_ratio"]
        assert lo <= v[0] * (1 + 1e-12) and v[0] <= hi * (1 + 1e-12), (split, c, v)
        lo, hi = c["nc2_class_mean_condition_number"]
        assert lo <= v[1] * (1 + 1e-12) and v[1] <= hi * (1 + 1e-12), (split, c, v)
assert any("b2 on layer 2" in n for n in m["notes"]), m["notes"]
PYTHON
[[ -s "$work/out-head/measure.json" && -s "$work/out-head/measure.html" ]] && pass "--out writes measure.json and measure.html" || fail "--out files"
expect_in "$work/out-head/measure.html" "</html>" "measure.html is complete"
expect_in "$work/out-head/measure.html" "test split" "measure.html shows the test split"

expect_exit 0 "measure a whole network with a nonlinear bias" "$ncv" measure --import "$work/whole.npz" --layout whole \
  --nonlinear-layers 1 --activation smooth_leaky_relu --slope 0.2 --json
cp "$work/out" "$work/whole.json"
"$python" - "$work" <<'PYTHON' && pass "whole network: H_1 includes b1 (NumPy forward pass)" || fail "whole measurements"
import json, sys
import numpy as np
work = sys.argv[1]
a = np.load(work + "/whole.npz")
m = json.load(open(work + "/whole.json"))
z = a["W1"] @ a["X"] + a["b1"][:, None]
h = 0.2 * z + 0.8 * np.logaddexp(0, z)     # smooth leaky ReLU, gamma = 0.2, beta = 1 (docs/metrics.md)
y = a["y"]
mu = np.stack([h[:, y == c].mean(axis=1) for c in range(2)], axis=1)
within = sum(((h[:, y == c] - mu[:, [c]]) ** 2).sum() for c in range(2)) / h.shape[1]
between = ((mu - h.mean(axis=1, keepdims=True)) ** 2).sum() / 2
value = m["splits"][0]["report"]["layers"][0]["features"]["nc1_trace_ratio"]["value"]
assert abs(value - within / between) <= 1e-10 * within / between, (value, within / between)
PYTHON

expect_exit 2 "an array the layout does not read" "$ncv" measure --import "$work/extra.npz" --layout head --nonlinear-layers 1
expect_in "$work/err" "does not use the arrays stray" "the unused array is named"
expect_exit 2 "measure without --import" "$ncv" measure
finish measure
