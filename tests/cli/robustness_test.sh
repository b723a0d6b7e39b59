#!/usr/bin/env bash
# One row of the bad-input catalogue (docs/robustness.md): builds the row's input,
# runs its command, and checks the exit status and the message against the row of the
# table in the docs (so the table and the tests cannot drift apart). ctest runs every
# row as its own test, robustness.<row> (label `robustness`; tests/CMakeLists.txt reads
# the row names from the same table).
#
#   robustness_test.sh NCV SOURCE_DIR ROW      check ROW
#   robustness_test.sh NCV SOURCE_DIR ROW show print what ROW's command does (to write the table)
set -uo pipefail
ncv=$1
source_dir=$2
row=$3
mode=${4:-check}
source "$(dirname "$0")/common.sh"
export PYTHONPATH="$(cd "$(dirname "$0")" && pwd)"  # npyz.py, the .npy writer of the tests
table="$source_dir/docs/robustness.md"

# ---- inputs --------------------------------------------------------------------------
# tiny_config: tests/cli/tiny.toml (2 classes of 2 Gaussian samples in R^3, widths 4-3-2,
# 4 steps) in $work/tiny.toml.
tiny_config() { cp "$(dirname "$0")/tiny.toml" "$work/tiny.toml"; }
# tiny_run: the tiny configuration trained into $work/run.
tiny_run() {
  tiny_config
  "$ncv" train "$work/tiny.toml" --out "$work/run" --quiet --no-checks >/dev/null || { echo "setup: training failed"; exit 1; }
}
# npy_files [KEY=VALUE...]: a whole-layout import in $work/model/ (W1 4x3, W2 3x4, W3 2x3,
# X 3x4, y) with its manifest model.json. Overrides: X, W1, W2, W3, y as Python expressions of
# (descr, shape, values); raw_X as a Python bytes expression replacing X.npy entirely.
npy_files() {
  mkdir -p "$work/model"
  python3 - "$work/model" "$@" <<'PYTHON'
import json, sys
from npyz import npy  # tests/cli/npyz.py
out, overrides = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
def grid(rows, cols, offset):
    return ("<f8", (rows, cols), [((i * cols + j + offset) % 7 - 3) / 4 for i in range(rows) for j in range(cols)])
arrays = {"W1": grid(4, 3, 0), "W2": grid(3, 4, 1), "W3": grid(2, 3, 2), "X": grid(3, 4, 3), "y": ("<i8", (4,), [0, 0, 1, 1])}
for key in ("X", "W1", "W2", "W3", "y"):
    if key in overrides:
        arrays[key] = eval(overrides[key])
for name, array in arrays.items():
    open(f"{out}/{name}.npy", "wb").write(npy(*array))
if "raw_X" in overrides:
    open(f"{out}/X.npy", "wb").write(eval(overrides["raw_X"]))
manifest = {"layout": "whole", "nonlinear_layers": 1, "activation": "relu", "classes": int(overrides.get("classes", 2))}
json.dump(manifest, open(f"{out}/model.json", "w"))
PYTHON
}
# idx_files KEY=VALUE...: Fashion-MNIST IDX files in $work/fmnist/ (train-images-idx3-ubyte.gz,
# train-labels-idx1-ubyte.gz; 4 images of 28x28, labels 0..3), with one of: magic=<int>,
# count=<images declared>, truncate=<bytes kept of the gzip file>.
idx_files() {
  mkdir -p "$work/fmnist"
  python3 - "$work/fmnist" "$@" <<'PYTHON'
import gzip, struct, sys
out, options = sys.argv[1], dict(a.split("=", 1) for a in sys.argv[2:])
magic, count = int(options.get("magic", 0x803)), int(options.get("count", 4))
images = gzip.compress(struct.pack(">IIII", magic, count, 28, 28) + bytes(4 * 784), mtime=0)
if "truncate" in options:
    images = images[: int(options["truncate"])]
open(f"{out}/train-images-idx3-ubyte.gz", "wb").write(images)
open(f"{out}/train-labels-idx1-ubyte.gz", "wb").write(gzip.compress(struct.pack(">II", 0x801, 4) + bytes([0, 1, 2, 3]), mtime=0))
PYTHON
  cat >"$work/fmnist.toml" <<TOML
[data]
source = "fashion-mnist"
directory = "$work/fmnist"
samples_per_class = 1
pool = 4
[network]
widths = [8, 4, 10]
[training]
steps = 1
learning_rate = 0.1
TOML
}
# config_with SED_EXPRESSION: the tiny configuration edited, in $work/edited.toml.
config_with() { tiny_config; sed "$1" "$work/tiny.toml" >"$work/edited.toml"; }

# ---- the rows --------------------------------------------------------------------------
post=()  # extra checks after the command: "FILE TEXT" pairs that must hold, run by post_checks
case "$row" in
  config-missing) cmd=("$ncv" train "$work/missing.toml") ;;
  config-syntax) config_with 's/widths = \[4, 3, 2\]/widths = [4, 3, 2/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  config-unknown-key) config_with 's/^input_dim = 3/input_dim = 3\nnoize = 1/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  config-misspelled-required-key) config_with 's/^learning_rate = 0.1/learnig_rate = 0.1/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  option-misspelled) tiny_run; cmd=("$ncv" check "$work/run" --learnig-rate 0.1) ;;
  subcommand-misspelled) tiny_config; cmd=("$ncv" trian "$work/tiny.toml") ;;
  config-nan) config_with 's/learning_rate = 0.1/learning_rate = nan/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  config-width-mismatch) config_with 's/widths = \[4, 3, 2\]/widths = [4, 3, 5]/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  config-absurd-width) config_with 's/widths = \[4, 3, 2\]/widths = [1000000000000, 3, 2]/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  config-precision) config_with 's/^name = "tiny"/name = "tiny"\nprecision = 20/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o") ;;
  precision-option) tiny_config; cmd=("$ncv" train "$work/tiny.toml" --precision 5000 --out "$work/o") ;;
  precision-ladder) tiny_run; cmd=("$ncv" check "$work/run" --certified --precision-ladder 53,5000) ;;
  idx-missing) idx_files; rm "$work/fmnist/train-images-idx3-ubyte.gz"; cmd=("$ncv" train "$work/fmnist.toml" --out "$work/o") ;;
  idx-wrong-magic) idx_files magic=2049; cmd=("$ncv" train "$work/fmnist.toml" --out "$work/o") ;;
  idx-truncated) idx_files truncate=40; cmd=("$ncv" train "$work/fmnist.toml" --out "$work/o") ;;
  idx-absurd-count) idx_files count=2000000000; cmd=("$ncv" train "$work/fmnist.toml" --out "$work/o") ;;
  npy-missing) npy_files; rm "$work/model/X.npy"; cmd=("$ncv" check --import "$work/model/model.json") ;;
  npy-wrong-magic) npy_files 'raw_X=b"\x93NUMPZ\x01\x00" + bytes(120)'; cmd=("$ncv" check --import "$work/model/model.json") ;;
  npy-truncated) npy_files 'raw_X=npy(*grid(3, 4, 3))[:-8]'; cmd=("$ncv" check --import "$work/model/model.json") ;;
  npy-absurd-rows) npy_files 'X=("<f8", (10**12, 4), [0.0] * 12)'; cmd=("$ncv" check --import "$work/model/model.json") ;;
  import-shape-mismatch) npy_files 'W2=grid(3, 5, 1)'; cmd=("$ncv" check --import "$work/model/model.json") ;;
  import-nan-data) npy_files 'X=("<f8", (3, 4), [0.5] * 6 + [float("nan")] + [0.5] * 5)'; cmd=("$ncv" check --import "$work/model/model.json") ;;
  import-inf-weights) npy_files 'W1=("<f8", (4, 3), [0.25] * 11 + [float("inf")])'; cmd=("$ncv" check --import "$work/model/model.json") ;;
  import-empty-class) npy_files classes=3 'W3=grid(3, 3, 2)' ; cmd=("$ncv" check --import "$work/model/model.json") ;;
  import-unbalanced) npy_files 'y=("<i8", (4,), [0, 0, 0, 1])'; cmd=("$ncv" check --import "$work/model/model.json" --checker T1) ;;
  checker-l2-below-2) config_with 's/^nonlinear_layers = 1/nonlinear_layers = 2/'; "$ncv" train "$work/edited.toml" --out "$work/run" --quiet --no-checks >/dev/null
    cmd=("$ncv" check "$work/run" --checker T2) ;;
  checkpoint-truncated) tiny_run; head -c 200 "$work/run/checkpoints/final.json" >"$work/cut.json"
    cmd=("$ncv" train "$work/tiny.toml" --resume "$work/cut.json" --out "$work/o") ;;
  checkpoint-wrong-format) tiny_run; sed 's/ncverify-checkpoint/ncverify-snapshot/' "$work/run/checkpoints/final.json" >"$work/other.json"
    cmd=("$ncv" train "$work/tiny.toml" --resume "$work/other.json" --out "$work/o") ;;
  checkpoint-nan-weight) tiny_run
    python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["weights"][1]["values"][2]="nan"; json.dump(c, open(sys.argv[2],"w"))' \
      "$work/run/checkpoints/final.json" "$work/nan.json"
    cmd=("$ncv" train "$work/tiny.toml" --resume "$work/nan.json" --out "$work/o") ;;
  resume-into-existing-run) tiny_run; cmd=("$ncv" train "$work/tiny.toml" --resume "$work/run/checkpoints/step-00000002.json" --out "$work/run") ;;
  out-unwritable) tiny_config; cmd=("$ncv" train "$work/tiny.toml" --out /proc/ncv-robustness-run) ;;
  out-not-a-directory) tiny_config; touch "$work/file"; cmd=("$ncv" train "$work/tiny.toml" --out "$work/file/run") ;;
  disk-full) cmd=(bash -c 'ulimit -f 16 && exec "$@"' limited "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/full" --quiet)
    post=("$work/full/manifest.json" '"status": "running"') ;;
  training-diverges) config_with 's/learning_rate = 0.1/learning_rate = 50.0/; s/steps = 4/steps = 200/'; cmd=("$ncv" train "$work/edited.toml" --out "$work/o" --quiet) ;;
  *) echo "unknown row $row (rows are the first column of $table)"; exit 1 ;;
esac

"${cmd[@]}" >"$work/out" 2>&1
status=$?
if [[ $mode == show ]]; then cat "$work/out"; echo "exit $status"; exit 0; fi

# ---- the row's expectation, from the table in the docs ----------------------------------
line=$(grep -F "| \`$row\` |" "$table") || { fail "no row \`$row\` in $table"; finish "robustness.$row"; }
expected_message=$(awk -F' [|] ' '{print $4}' <<<"$line" | sed 's/^`//; s/`$//')
expected_status=$(awk -F' [|] ' '{print $5}' <<<"$line" | tr -d ' |')
[[ $status == "$expected_status" ]] && pass "exit status $status" || { fail "exit status $status, the table says $expected_status"; cat "$work/out"; }
expect_in "$work/out" "$expected_message" "message"
if [[ $status != 0 ]] && grep -qE "terminate called|Sanitizer|runtime error|Aborted|Segmentation" "$work/out"; then
  fail "a crash, not a clean error"
fi
# No output file may be left half-written: in the output directories ($work/o, $work/full,
# and $work/run of the rows that train first) no temporary file of the atomic writer, and
# every JSON file present parses.
while IFS= read -r -d '' file; do
  case "$file" in
    */.*.tmp.*) fail "temporary file left behind: $file" ;;
    *.json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$file" 2>/dev/null || fail "incomplete JSON file: $file" ;;
  esac
done < <(find "$work/o" "$work/full" "$work/run" -type f -print0 2>/dev/null)
for ((i = 0; i < ${#post[@]}; i += 2)); do expect_in "${post[i]}" "${post[i + 1]}" "after the error: ${post[i]}"; done
finish "robustness.$row"
