#!/usr/bin/env bash
# `ncv measure` (ctest label `cli`): NC1-NC4 per layer of imported features and networks
# (--import) and of runs of `ncv train`, compared with an independent NumPy computation of
# the same definitions (docs/metrics.md): a one-layer head with a bias on unbalanced
# classes with a test split, a whole network with nonlinear biases, a run directory and
# one of its checkpoints (the weights read from the checkpoint's hexadecimal floats, the
# forward pass in NumPy) and the same run exported and imported, certified enclosures
# containing the NumPy values, JSON / HTML outputs, and bad input (an import, a directory
# that is not a run, a corrupt checkpoint, an MPFR checkpoint). Usage: measure_test.sh NCV
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

# A run of ncv train: tests/cli/tiny.toml (3-4-3-2, L1 = 1, smooth leaky ReLU, 4 steps).
cp "$(dirname "$0")/tiny.toml" "$work/tiny.toml"
"$ncv" train "$work/tiny.toml" --out "$work/run" --quiet --no-checks >/dev/null || fail "train the tiny run"
expect_exit 0 "measure a run directory (its final checkpoint)" "$ncv" measure "$work/run" --json --certified \
  --out "$work/out-run"
cp "$work/out" "$work/run.json"
expect_exit 0 "measure one checkpoint of the run" "$ncv" measure "$work/run/checkpoints/step-00000002.json" --json
cp "$work/out" "$work/step2.json"
expect_exit 0 "export the run" "$ncv" export "$work/run" --out "$work/export.npz"
expect_exit 0 "measure the exported run with --import" "$ncv" measure --import "$work/export.json" --json
cp "$work/out" "$work/export-measure.json"
"$python" - "$work" <<'PYTHON' && pass "run: NC1 and kappa(M) per layer agree with NumPy on the checkpoints' weights; the export measures the same" || fail "run measurements"
import json, sys
import numpy as np
work = sys.argv[1]
data = np.load(work + "/export.npz")
X, y = data["X"], data["y"]                                      # the run's training data, exact doubles
def weights(checkpoint):
    c = json.load(open(checkpoint))
    return [np.array([float.fromhex(v) for v in w["values"]]).reshape((w["rows"], w["cols"]), order="F")
            for w in c["weights"]], c["network"]
def nc(h, K):
    mu = np.stack([h[:, y == c].mean(axis=1) for c in range(K)], axis=1)
    within = sum(((h[:, y == c] - mu[:, [c]]) ** 2).sum() for c in range(K)) / h.shape[1]
    between = ((mu - h.mean(axis=1, keepdims=True)) ** 2).sum() / K
    s = np.linalg.svd(mu, compute_uv=False)
    return within / between, s[0] / s[min(mu.shape) - 1]
def close(x, v, what, tol=1e-10):
    assert abs(x - v) <= tol * abs(v), (what, x, v)
def check(checkpoint, measured, certified):
    ws, spec = weights(checkpoint)
    a = spec["activation"]
    assert a["name"] == "smooth_leaky_relu", a
    g, b = a["slope"], a["beta"]
    K = spec["widths"][-1]
    h, values = X, []
    for l, w in enumerate(ws, start=1):
        h = w @ h
        if l <= spec["nonlinear_layers"]:                        # (softplus(beta z) - log 2) / beta, docs/metrics.md
            h = g * h + (1 - g) * (np.logaddexp(0, b * h) - np.log(2)) / b
        values.append(nc(h, K))
    (split,) = measured["splits"]
    assert split["split"] == "train", split["split"]
    layers = split["report"]["layers"]
    assert [m["layer"] for m in layers] == list(range(1, len(ws) + 1)), layers
    for m, (nc1, kappa) in zip(layers, values):
        close(m["features"]["nc1_trace_ratio"]["value"], nc1, ("NC1", checkpoint, m["layer"]))
        close(m["features"]["nc2_class_mean_condition_number"]["value"], kappa, ("kappa", checkpoint, m["layer"]))
    if certified:
        assert [c["layer"] for c in split["certified"]] == [m["layer"] for m in layers], split["certified"]
        for c, v in zip(split["certified"], values):
            for key, x in zip(("nc1_trace_ratio", "nc2_class_mean_condition_number"), v):
                lo, hi = c[key]
                assert lo <= x * (1 + 1e-12) and x <= hi * (1 + 1e-12), (key, c, x)
    return values
final = check(work + "/run/checkpoints/final.json", json.load(open(work + "/run.json")), True)
step2 = check(work + "/run/checkpoints/step-00000002.json", json.load(open(work + "/step2.json")), False)
assert final != step2, "the step-2 checkpoint measured like the final one"
run, exported = json.load(open(work + "/run.json")), json.load(open(work + "/export-measure.json"))
assert run["model"] == exported["model"], (run["model"], exported["model"])
assert run["splits"][0]["report"] == exported["splits"][0]["report"], "ncv measure RUN and --import of its export differ"
assert any("step 4" in n for n in run["notes"]), run["notes"]
PYTHON
[[ -s "$work/out-run/measure.json" ]] && expect_in "$work/out-run/measure.html" "</html>" "measure.html of a run is complete" ||
  fail "--out of a run: no measure.json"
expect_exit 0 "measure a run, the table" "$ncv" measure "$work/run"
expect_in "$work/out" "train split, N = 4" "the table names the split and N"
expect_in "$work/out" "final.json (step 4, double" "the table names the checkpoint"

mkdir -p "$work/not-a-run"
expect_exit 2 "a directory that is not a run" "$ncv" measure "$work/not-a-run"
expect_in "$work/err" "not a run directory" "the message says it is not a run"
cp -r "$work/run" "$work/corrupt-run"
head -c 100 "$work/run/checkpoints/final.json" >"$work/corrupt-run/checkpoints/final.json"
expect_exit 2 "a corrupt final checkpoint" "$ncv" measure "$work/corrupt-run"
expect_in "$work/err" "corrupt-run/checkpoints/final.json: corrupt checkpoint" "the message names the corrupt file"
expect_exit 2 "a missing checkpoint file" "$ncv" measure "$work/run/checkpoints/step-00000099.json"
expect_exit 2 "a run and --import together" "$ncv" measure "$work/run" --import "$work/export.json"
"$ncv" train "$work/tiny.toml" --precision 128 --out "$work/run-mpfr" --quiet --no-checks >/dev/null ||
  fail "train the tiny run in MPFR"
expect_exit 2 "an MPFR checkpoint without --round-to-double" "$ncv" measure "$work/run-mpfr"
expect_in "$work/err" "--round-to-double" "the message names --round-to-double"
expect_exit 0 "an MPFR checkpoint with --round-to-double" "$ncv" measure "$work/run-mpfr" --round-to-double
expect_in "$work/out" "weights rounded to the nearest double" "the note says the weights were rounded"

expect_exit 2 "an array the layout does not read" "$ncv" measure --import "$work/extra.npz" --layout head --nonlinear-layers 1
expect_in "$work/err" "does not use the arrays stray" "the unused array is named"
expect_exit 2 "measure without --import" "$ncv" measure
finish measure
