#!/usr/bin/env bash
# NumPy import and export through the ncv command line (ctest label `cli`).
# Usage: import_test.sh NCV SOURCE_DIR
#
# A network trained by `ncv train` is exported (`ncv export`, .npz + manifest) and
# imported again (`ncv check --import`): the verdicts must be those of the native run
# (`ncv check RUN`), the same JSON text, for the whole and the head layout, from a
# manifest, from flags, from a directory of .npy files, with samples stored as rows and
# shuffled by class, and with float32 / Fortran-order arrays. Then every documented
# import error on small archives written here with python3's standard library (no numpy).
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"
# expect_same_file A B NAME: byte-identical files (the JSON text of the verdicts).
expect_same_file() {
  if cmp -s "$1" "$2"; then pass "$3"; else fail "$3: $1 and $2 differ"; diff "$1" "$2" | head -20; fi
}
# expect_python NAME CODE...: python3 code that raises (exits non-zero) on failure.
expect_python() {
  local name=$1
  shift
  if python3 - "$@" >"$work/py.out" 2>&1; then pass "$name"; else fail "$name"; cat "$work/py.out"; fi
}

# the .npy / .npz toolkit written independently of ncv's readers (python3's standard library)
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)"

# ---- the native run --------------------------------------------------------------------
expect_exit 0 "train synthetic-collapse" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/run" --quiet
expect_exit 0 "native check" "$ncv" check "$work/run" --json --out "$work/native-out.json"
cp "$work/out" "$work/native.json"
# expect_same_json A B NAME: equal as parsed JSON (numbers compared as doubles)
expect_same_json() {
  if python3 -c "import json, sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)" "$1" "$2"; then
    pass "$3"
  else
    fail "$3: $1 and $2 differ"
  fi
}
# The head layout has no whole network: its verdicts are those of the state checkers only.
python3 -c "import json, sys; json.dump([v for v in json.load(open(sys.argv[1])) if v['result'] != 'T6'], open(sys.argv[2], 'w'), indent=2)" \
  "$work/native.json" "$work/native-state.json"
# lambda and eta of the run's last phase (T6 reads them: the manifest of an export records them)
lambda_eta=(--weight-decay 0.02 --learning-rate 0.02)

# ---- export ----------------------------------------------------------------------------
expect_exit 0 "export (whole)" "$ncv" export "$work/run" --out "$work/model.npz"
expect_in "$work/out" "model.json" "export names the manifest"
[[ -s "$work/model.npz" && -s "$work/model.json" ]] && pass "export writes model.npz and model.json" ||
  fail "export output missing"
# The archive as NumPy and zipfile see it: stored members W1..W5, X, y; float64 (labels
# int64) in C order with 64-byte aligned data; CRCs valid; the manifest describes it.
expect_python "exported archive follows the .npy / .npz formats" "$work" <<'PYTHON'
import json, sys, zipfile
from npyz import parse
work = sys.argv[1]
with zipfile.ZipFile(work + "/model.npz") as z:
    assert z.testzip() is None, "CRC"
    names = z.namelist()
    assert names == ["W1.npy", "W2.npy", "W3.npy", "W4.npy", "W5.npy", "X.npy", "y.npy"], names
    for info in z.infolist():
        assert info.compress_type == zipfile.ZIP_STORED, info
        header, values, offset = parse(z.read(info))
        assert offset % 64 == 0, (info.filename, offset)
        assert header["fortran_order"] is False
        assert header["descr"] == ("<i8" if info.filename == "y.npy" else "<f8"), header
    _, x, _ = parse(z.read("X.npy"))
    assert parse(z.read("X.npy"))[0]["shape"] == (30, 24)
    assert parse(z.read("W1.npy"))[0]["shape"] == (64, 30)
    assert parse(z.read("y.npy"))[1] == sorted(parse(z.read("y.npy"))[1])
manifest = json.load(open(work + "/model.json"))
assert manifest["layout"] == "whole" and manifest["archive"] == "model.npz", manifest
assert manifest["nonlinear_layers"] == 2 and manifest["classes"] == 4, manifest
assert manifest["activation"] == {"name": "smooth_leaky_relu", "slope": 0.2, "beta": 1.0}, manifest
assert manifest["weight_decay"] == 0.02 and manifest["learning_rate"] == 0.02, manifest
PYTHON

# ---- import: the same verdicts as the native run -------------------------------------------
expect_exit 0 "check --import manifest (whole)" "$ncv" check --import "$work/model.json" --json
expect_same_file "$work/native.json" "$work/out" "whole import: same verdict JSON as the native run"
expect_python "whole import: same status, measured and bound per verdict" "$work/native.json" "$work/out" <<'PYTHON'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert [v["result"] for v in a] == [v["result"] for v in b] and len(a) >= 3
for u, v in zip(a, b):
    for key in ("status", "measured", "bound"):
        assert json.dumps(u[key]) == json.dumps(v[key]), (u["result"], key, u[key], v[key])
PYTHON
expect_exit 0 "check --import manifest (table)" "$ncv" check --import "$work/model.json"
expect_in "$work/out" "imported $work/model.json: whole network 30-64-32-16-8-4 (L1=2 smooth_leaky_relu, L2=3 linear), N = 24 samples, K = 4 classes (6 each)" \
  "table mode describes the import"
expect_in "$work/out" "T1     explicit   holds" "T1 holds on the imported network"

expect_exit 0 "check --import archive with flags" "$ncv" check --import "$work/model.npz" --layout whole \
  --nonlinear-layers 2 --activation smooth_leaky_relu --slope 0.2 --classes 4 "${lambda_eta[@]}" --json
expect_same_file "$work/native.json" "$work/out" "flags import: same verdict JSON as the native run"

expect_exit 0 "export (head)" "$ncv" export "$work/run" --out "$work/head.npz" --layout head
expect_python "head export holds W3..W5, H, y" "$work" <<'PYTHON'
import sys, zipfile
from npyz import parse
with zipfile.ZipFile(sys.argv[1] + "/head.npz") as z:
    assert z.namelist() == ["W3.npy", "W4.npy", "W5.npy", "H.npy", "y.npy"], z.namelist()
    assert parse(z.read("H.npy"))[0]["shape"] == (32, 24)
PYTHON
expect_exit 0 "check --import manifest (head)" "$ncv" check --import "$work/head.json" --json
expect_same_json "$work/native-state.json" "$work/out" "head import: same verdicts as the native run (parsed JSON)"
expect_exit 0 "check --import head archive with flags" "$ncv" check --import "$work/head.npz" --layout head \
  --nonlinear-layers 2 --json
expect_same_json "$work/native-state.json" "$work/out" "head flags import: same verdicts (parsed JSON)"

# A directory of .npy files (np.save), with the default names.
mkdir -p "$work/npydir"
python3 -c "import zipfile, sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$work/model.npz" "$work/npydir"
expect_exit 0 "check --import directory of .npy files" "$ncv" check --import "$work/npydir" --layout whole \
  --nonlinear-layers 2 --activation smooth_leaky_relu --slope 0.2 "${lambda_eta[@]}" --json
expect_same_file "$work/native.json" "$work/out" "directory import: same verdict JSON"

# Separate .npy files named in a manifest, X stored N x d (samples_as_rows), samples
# interleaved across classes (order within a class kept): the stable reordering restores
# the native order, so the values are the native ones, with a note.
mkdir -p "$work/rows"
expect_python "write shuffled, row-major samples" "$work" <<'PYTHON'
import json, sys
from npyz import read_npz, npy, transpose
work = sys.argv[1]
arrays = read_npz(work + "/model.npz")
_, xshape, x = arrays["X"]
_, _, y = arrays["y"]
d, n = xshape
# interleave: the k-th sample of every class, then the (k+1)-th, ...
by_class = {}
for i, label in enumerate(y):
    by_class.setdefault(label, []).append(i)
order = [members[k] for k in range(max(map(len, by_class.values()))) for c, members in sorted(by_class.items()) if k < len(members)]
rows = [x[f * n + i] for i in order for f in range(d)]  # N x d, row i = sample order[i]
open(work + "/rows/inputs.npy", "wb").write(npy("<f8", (n, d), rows))
open(work + "/rows/labels.npy", "wb").write(npy("<i8", (n,), [y[i] for i in order]))
for l in range(1, 6):
    descr, shape, values = arrays["W%d" % l]
    open(work + "/rows/layer%d.npy" % l, "wb").write(npy(descr, shape, values))
manifest = {"layout": "whole", "arrays": {"weights": ["layer%d.npy" % l for l in range(1, 6)],
            "inputs": "inputs.npy", "labels": "labels.npy"}, "nonlinear_layers": 2,
            "activation": {"name": "smooth_leaky_relu", "slope": 0.2}, "samples_as_rows": True,
            "weight_decay": 0.02, "learning_rate": 0.02}
json.dump(manifest, open(work + "/rows/model.json", "w"))
PYTHON
expect_exit 0 "check --import shuffled rows" "$ncv" check --import "$work/rows/model.json" --json
cp "$work/out" "$work/rows.json"
expect_in "$work/rows.json" "imported samples reordered by class (stable sort): the labels in labels were not sorted (sample 4 has label 0 after label 3)" \
  "reordering is noted in the verdicts"
expect_python "shuffled rows: same status, measured and bound as native" "$work/native.json" "$work/rows.json" <<'PYTHON'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for u, v in zip(a, b):
    for key in ("status", "measured", "bound", "hypotheses", "steps"):
        assert json.dumps(u[key]) == json.dumps(v[key]), (u["result"], key)
PYTHON

# float32 and Fortran order are read exactly: the same (float32-representable) values
# saved as '<f4' Fortran-ordered and as '<f8' C-ordered give the same verdicts.
expect_python "write float32 / Fortran and float64 / C archives" "$work" <<'PYTHON'
import struct, sys
from npyz import read_npz, write_npz
work = sys.argv[1]
arrays = read_npz(work + "/model.npz")
f32 = lambda values: [struct.unpack("<f", struct.pack("<f", v))[0] for v in values]
single, double = {}, {}
for name, (descr, shape, values) in arrays.items():
    if descr == "<f8":
        values = f32(values)
        single[name] = ("<f4", shape, values, len(shape) == 2)
        double[name] = ("<f8", shape, values, False)
    else:
        single[name] = ("<i4", shape, values, False)
        double[name] = (descr, shape, values, False)
write_npz(work + "/single.npz", single, compressed=True)
write_npz(work + "/double.npz", double)
PYTHON
layout_flags=(--layout whole --nonlinear-layers 2 --activation smooth_leaky_relu --slope 0.2)
"$ncv" check --import "$work/single.npz" "${layout_flags[@]}" --json >"$work/single.json" 2>"$work/err"
"$ncv" check --import "$work/double.npz" "${layout_flags[@]}" --json >"$work/double.json" 2>>"$work/err"
if [[ -s "$work/single.json" ]]; then pass "float32 import runs"; else fail "float32 import"; cat "$work/err"; fi
expect_same_file "$work/single.json" "$work/double.json" "float32 Fortran-order = float64 C-order verdicts"

# Unbalanced classes are checked (balance is a hypothesis the checkers report).
expect_python "write an unbalanced archive" "$work" <<'PYTHON'
import sys
from npyz import read_npz, write_npz
work = sys.argv[1]
arrays = read_npz(work + "/model.npz")
_, (d, n), x = arrays["X"]
_, _, y = arrays["y"]
keep = [i for i in range(n) if not (y[i] == 0 and i % 6 < 2)]  # class 0 loses two samples
arrays["X"] = ("<f8", (d, len(keep)), [x[f * n + i] for f in range(d) for i in keep])
arrays["y"] = ("<i8", (len(keep),), [y[i] for i in keep])
write_npz(work + "/unbalanced.npz", arrays)
PYTHON
"$ncv" check --import "$work/unbalanced.npz" "${layout_flags[@]}" >"$work/out" 2>"$work/err"
status=$?
if [[ $status == 0 || $status == 1 ]]; then pass "unbalanced import is checked (exit $status)"; else fail "unbalanced import (exit $status)"; cat "$work/err"; fi
expect_in "$work/out" "N = 22 samples, K = 4 classes (4, 6, 6, 6 per class)" "unbalanced class counts described"

# ---- certified mode on imports ----------------------------------------------------------
expect_exit 0 "certified whole import" "$ncv" check --import "$work/model.json" --certified --out "$work/cert.json"
expect_in "$work/out" "certified: proved" "whole import proved (forward pass enclosed)"
expect_in "$work/cert.json" '"certificate"' "certificates in the JSON"
expect_exit 0 "certified head import" "$ncv" check --import "$work/head.json" --certified
expect_in "$work/out" "certified: proved" "head import proved (features exact)"

# ---- MPFR checkpoints: export refused unless rounded -------------------------------------
sed -e 's/^steps = 3000/steps = 20/' -e 's/^steps = 2000/steps = 20/' "$source_dir/configs/synthetic-collapse.toml" >"$work/short.toml"
expect_exit 0 "train a short MPFR run" "$ncv" train "$work/short.toml" --precision 128 --out "$work/mpfr" --quiet --no-checks
expect_exit 2 "MPFR export refused" "$ncv" export "$work/mpfr" --out "$work/mpfr.npz"
expect_in "$work/err" "would round its weights to the nearest double" "MPFR refusal says why"
expect_in "$work/err" "--round-to-double" "MPFR refusal names the flag"
expect_exit 0 "MPFR export with --round-to-double" "$ncv" export "$work/mpfr" --out "$work/mpfr.npz" --round-to-double
expect_in "$work/mpfr.json" "rounded to double" "the manifest records the rounding"
"$ncv" check --import "$work/mpfr.json" >"$work/out" 2>"$work/err"
status=$?
if [[ $status == 0 || $status == 1 ]]; then pass "rounded MPFR export imports (exit $status)"; else fail "rounded MPFR import (exit $status)"; cat "$work/err"; fi

# ---- biases: read, never ignored ---------------------------------------------------------
# head.npz: H = Y (K = 2, n = 2), W2 = W3 = I and b3 = 5: the stored head outputs Y + 5, so it
# does not interpolate; ignoring b3 would make it interpolate exactly (and be "proved").
# whole.npz: X = Y + 5 + a small noise, W1 = I with b1 = -5 (identity activation), W2 = W3 =
# I: H_1 = Y + noise, so the network interpolates only with its bias. torch.npz: the same network under PyTorch's
# state_dict names (0.weight, 0.bias, 1.weight, 2.weight). extra.npz: whole.npz plus an array
# "Z" that the layout does not read.
expect_python "write the biased archives" "$work" <<'PYTHON'
import sys
from npyz import write_npz
work = sys.argv[1]
Y = [1, 1, 0, 0, 0, 0, 1, 1]
I = ("<f8", (2, 2), [1.0, 0.0, 0.0, 1.0])
y = ("<i8", (4,), [0, 0, 1, 1])
write_npz(work + "/head.npz", {"H": ("<f8", (2, 4), [float(v) for v in Y]), "W2": I, "W3": I, "b3": ("<f8", (2,), [5.0, 5.0]), "y": y})
noise = [0.01, -0.02, 0.015, -0.01, 0.02, 0.01, -0.015, 0.005]
X = ("<f8", (2, 4), [v + 5.0 + e for v, e in zip(Y, noise)])
whole = {"W1": I, "b1": ("<f8", (2, 1), [-5.0, -5.0]), "W2": I, "W3": I, "X": X, "y": y}
write_npz(work + "/whole.npz", whole)
write_npz(work + "/torch.npz", {"0.weight": I, "0.bias": ("<f8", (2,), [-5.0, -5.0]), "1.weight": I, "2.weight": I, "X": X, "y": y})
write_npz(work + "/extra.npz", dict(whole, Z=("<f8", (1,), [0.0])))
PYTHON
head_flags=(--layout head --nonlinear-layers 1)
whole_flags=(--layout whole --nonlinear-layers 1 --activation identity)
expect_exit 0 "head with a bias: checked" "$ncv" check --import "$work/head.npz" "${head_flags[@]}" --certified --json
cp "$work/out" "$work/head-verdicts.json"
expect_python "a biased head is never checked or certified as if the bias were absent" "$work/head-verdicts.json" <<'PYTHON'
import json, sys
verdicts = json.load(open(sys.argv[1]))
assert {v["result"] for v in verdicts} == {"T1", "T2", "T3", "T5"}, verdicts
for v in verdicts:
    assert v["status"] == "hypotheses_not_met", (v["result"], v["status"])
    assert any(h["name"] == "bias-free head" and h["outcome"] == "fails" for h in v["hypotheses"]), v["result"]
    assert v["certificate"]["status"] == "hypotheses_not_met", (v["result"], v["certificate"]["status"])
    assert any("b3 on layer 3" in note for note in v["notes"]), v["notes"]
PYTHON
expect_exit 0 "whole network with a nonlinear bias" "$ncv" check --import "$work/whole.npz" "${whole_flags[@]}" --certified --json
cp "$work/out" "$work/whole-verdicts.json"
expect_python "a nonlinear bias enters H_L1 (approximate and certified); T6 says it assumes none" "$work/whole-verdicts.json" <<'PYTHON'
import json, sys
verdicts = {v["result"]: v for v in json.load(open(sys.argv[1]))}
for r in ("T1", "T2", "T3"):
    assert verdicts[r]["status"] != "hypotheses_not_met", (r, verdicts[r]["status"], verdicts[r]["reason"])
    assert verdicts[r]["certificate"]["status"] == "proved", (r, verdicts[r]["certificate"])
t6 = verdicts["T6"]
assert t6["status"] == "hypotheses_not_met" and "bias-free network" in t6["reason"], t6["reason"]
PYTHON
expect_exit 0 "PyTorch state_dict names" "$ncv" check --import "$work/torch.npz" "${whole_flags[@]}" --json
expect_python "PyTorch names give the same verdicts as W/b names" "$work/whole-verdicts.json" "$work/out" <<'PYTHON'
import json, sys
a = {v["result"]: v for v in json.load(open(sys.argv[1]))}
b = {v["result"]: v for v in json.load(open(sys.argv[2]))}
assert a.keys() == b.keys()
for r in a:
    assert (a[r]["status"], a[r]["measured"], a[r]["bound"]) == (b[r]["status"], b[r]["measured"], b[r]["bound"]), r
PYTHON
expect_exit 2 "an array the layout does not use" "$ncv" check --import "$work/extra.npz" "${whole_flags[@]}"
expect_in "$work/err" "the whole layout does not use the arrays Z; it reads X, y, W1, W2, W3, b1" "unused-array message lists it"
expect_exit 0 "--allow-unused-arrays" "$ncv" check --import "$work/extra.npz" "${whole_flags[@]}" --allow-unused-arrays

# ---- errors: exit status 2 and a message naming the array ----------------------------------
# A tiny valid network: d = 3, widths 4-2, N = 2, K = 2 (W1 4x3, W2 2x4, X 3x2, y).
expect_python "write the bad archives" "$work" <<'PYTHON'
import struct, sys
from npyz import npy, write_npz
work = sys.argv[1]
W1 = ("<f8", (4, 3), [0.1 * k for k in range(12)])
W2 = ("<f8", (2, 4), [0.2 * k - 0.5 for k in range(8)])
X = ("<f8", (3, 2), [1, 0, 0, 1, 0.5, -0.5])
y = ("<i8", (2,), [0, 1])
write_npz(work + "/good.npz", {"W1": W1, "W2": W2, "X": X, "y": y})
write_npz(work + "/shape.npz", {"W1": W1, "W2": ("<f8", (3, 5), [0.0] * 15), "X": X, "y": y})
write_npz(work + "/first.npz", {"W1": ("<f8", (4, 2), [0.0] * 8), "W2": W2, "X": X, "y": y})
write_npz(work + "/missing.npz", {"W1": W1, "W2": W2, "y": y})
write_npz(work + "/gap.npz", {"W1": W1, "W2": W2, "W4": W2, "X": X, "y": y})
write_npz(work + "/half.npz", {"W1": W1, "W2": W2, "X": ("<f2", (3, 2), [1, 0, 0, 1, 0.5, -0.5]), "y": y})
write_npz(work + "/label.npz", {"W1": W1, "W2": W2, "X": X, "y": ("<i8", (2,), [0, 5])})
write_npz(work + "/count.npz", {"W1": W1, "W2": W2, "X": X, "y": ("<i8", (3,), [0, 1, 1])})
write_npz(work + "/float_labels.npz", {"W1": W1, "W2": W2, "X": X, "y": ("<f8", (2,), [0.0, 1.0])})
write_npz(work + "/empty_class.npz", {"W1": W1, "W2": W2, "X": X, "y": ("<i8", (2,), [0, 0])})
write_npz(work + "/nan.npz", {"W1": W1, "W2": W2, "X": ("<f8", (3, 2), [1, float("nan"), 0, 1, 0.5, -0.5]), "y": y})
write_npz(work + "/inf.npz", {"W1": W1, "W2": ("<f8", (2, 4), [0, 0, 0, float("-inf"), 0, 0, 0, 0]), "X": X, "y": y})
write_npz(work + "/nosamples.npz", {"W1": W1, "W2": W2, "X": ("<f8", (3, 0), []), "y": ("<i8", (0,), [])})
write_npz(work + "/cube.npz", {"W1": W1, "W2": W2, "X": X, "y": y, "W3": ("<f8", (2, 1, 2), [0.0] * 4)})
good = open(work + "/good.npz", "rb").read()
open(work + "/truncated.npz", "wb").write(good[:len(good) // 2])
# flip one byte of W2's data: the stored member no longer matches its CRC-32
i = good.index(b"W2.npy") + len("W2.npy") + 150  # inside the data (after the 128-byte .npy header)
open(work + "/corrupt.npz", "wb").write(good[:i] + bytes([good[i] ^ 0xFF]) + good[i + 1:])
open(work + "/unknown.json", "w").write('{"layout": "whole", "archive": "good.npz", "nonlinear_layers": 1, '
                                       '"activation": "relu", "clases": 2}')
open(work + "/nolayout.json", "w").write('{"archive": "good.npz", "nonlinear_layers": 1, "activation": "relu"}')
open(work + "/noslope.json", "w").write('{"layout": "whole", "archive": "good.npz", "nonlinear_layers": 1, '
                                        '"activation": "smooth_leaky_relu"}')
open(work + "/notjson.json", "w").write('{"layout": "whole",')
PYTHON
tiny=(--layout whole --nonlinear-layers 1 --activation relu)
expect_exit 0 "the tiny archive imports" "$ncv" check --import "$work/good.npz" "${tiny[@]}" --out "$work/good-verdicts.json"
expect_in "$work/out" "whole network 3-4-2 (L1=1 relu, L2=1 linear), N = 2 samples, K = 2 classes (1 each)" \
  "tiny network described"

expect_exit 2 "shape mismatch" "$ncv" check --import "$work/shape.npz" "${tiny[@]}"
expect_in "$work/err" "$work/shape.npz: W2 is 3x5 but W1 has 4 rows" "shape message names both arrays and shapes"
expect_exit 2 "first layer vs X" "$ncv" check --import "$work/first.npz" "${tiny[@]}"
expect_in "$work/err" "W1 is 4x2 but X (d x N) has 3 rows" "first-layer message names W1 and X"
expect_exit 2 "K mismatch" "$ncv" check --import "$work/good.npz" "${tiny[@]}" --classes 3
expect_in "$work/err" "W2 is 2x4 but there are K = 3 classes" "K message"
expect_exit 2 "missing array" "$ncv" check --import "$work/missing.npz" "${tiny[@]}"
expect_in "$work/err" "$work/missing.npz: no array \"X\"; the archive holds W1, W2, y" \
  "missing-array message names the archive and lists the arrays"
expect_exit 2 "weights with a gap" "$ncv" check --import "$work/gap.npz" "${tiny[@]}"
expect_in "$work/err" "holds W4 but not W3" "gap message"
expect_exit 2 "missing head weight" "$ncv" check --import "$work/good.npz" --layout head --nonlinear-layers 2
expect_in "$work/err" "no array \"W3\"; the archive holds W1, W2, X, y" "head layout names the missing W3"
expect_exit 2 "no samples" "$ncv" check --import "$work/nosamples.npz" "${tiny[@]}"
expect_in "$work/err" "X is 3x0; it needs at least one input feature and one sample" "empty-X message"
expect_exit 2 "unsupported dtype" "$ncv" check --import "$work/half.npz" "${tiny[@]}"
expect_in "$work/err" "array \"X\": unsupported dtype '<f2'" "reader's dtype message"
expect_exit 2 "fewer weights than L1 + 1" "$ncv" check --import "$work/good.npz" --layout whole --nonlinear-layers 2 --activation relu
expect_in "$work/err" "2 weight matrices but nonlinear_layers = 2" "L1 message"
expect_exit 2 "more than 2 dimensions" "$ncv" check --import "$work/cube.npz" "${tiny[@]}"
expect_in "$work/err" "array \"W3\": shape (2, 1, 2) has 3 dimensions" "reader's shape message"
expect_exit 2 "truncated archive" "$ncv" check --import "$work/truncated.npz" "${tiny[@]}"
expect_in "$work/err" "$work/truncated.npz: not an .npz archive, or truncated" "reader's truncation message"
expect_exit 2 "corrupt member" "$ncv" check --import "$work/corrupt.npz" "${tiny[@]}"
expect_in "$work/err" "array \"W2\": CRC-32 mismatch" "reader's CRC message"
expect_exit 2 "label outside [0, K)" "$ncv" check --import "$work/label.npz" "${tiny[@]}"
expect_in "$work/err" "y: label 5 of sample 1 is outside [0, 2)" "label message names the sample"
expect_exit 2 "label count" "$ncv" check --import "$work/count.npz" "${tiny[@]}"
expect_in "$work/err" "y has 3 labels but X has 2 samples" "label count message"
expect_exit 2 "float labels" "$ncv" check --import "$work/float_labels.npz" "${tiny[@]}"
expect_in "$work/err" "array \"y\"" "float-label message names y"
expect_exit 2 "empty class" "$ncv" check --import "$work/empty_class.npz" "${tiny[@]}"
expect_in "$work/err" "class 1 has no samples" "empty-class message"
expect_exit 2 "NaN input" "$ncv" check --import "$work/nan.npz" "${tiny[@]}"
expect_in "$work/err" "array \"X\": entry (0, 1) is nan" "NaN message names the array and entry"
expect_exit 2 "Inf weight" "$ncv" check --import "$work/inf.npz" "${tiny[@]}"
expect_in "$work/err" "array \"W2\": entry (0, 3) is -inf" "Inf message names the array and entry"
expect_exit 2 "missing .npy file" "$ncv" check --import "$work/rows" --layout whole --nonlinear-layers 2 --activation relu
expect_in "$work/err" "$work/rows/W1.npy: array \"W1\": file not found" "missing-file message"

# manifests and flags
expect_exit 2 "unknown manifest key" "$ncv" check --import "$work/unknown.json"
expect_in "$work/err" "$work/unknown.json: unknown key \"clases\"" "unknown-key message"
expect_exit 2 "manifest without layout" "$ncv" check --import "$work/nolayout.json"
expect_in "$work/err" "\"layout\" is required" "layout message"
expect_exit 2 "activation without its slope" "$ncv" check --import "$work/noslope.json"
expect_in "$work/err" "activation smooth_leaky_relu needs its slope" "slope message"
expect_exit 2 "manifest not JSON" "$ncv" check --import "$work/notjson.json"
expect_in "$work/err" "not a JSON import manifest" "JSON syntax message"
expect_exit 2 "archive without --layout" "$ncv" check --import "$work/good.npz"
expect_in "$work/err" "--layout whole|head is required" "missing --layout message"
expect_exit 2 "whole layout without activation" "$ncv" check --import "$work/good.npz" --layout whole --nonlinear-layers 1
expect_in "$work/err" "needs the activation" "missing activation message"
expect_exit 2 "unknown activation" "$ncv" check --import "$work/good.npz" --layout whole --nonlinear-layers 1 --activation gelu
expect_in "$work/err" "unknown name \"gelu\"" "activation names listed"
expect_exit 2 "flags with a manifest" "$ncv" check --import "$work/model.json" --layout head
expect_in "$work/err" "is an import manifest, which holds the layout itself" "flags-with-manifest message"
expect_exit 2 "neither target nor --import" "$ncv" check
expect_in "$work/err" "give a run directory or checkpoint, or --import" "usage message"
expect_exit 2 "export --out a .json" "$ncv" export "$work/run" --out "$work/model2.json"
expect_in "$work/err" "names the archive" "export --out message"

finish import
