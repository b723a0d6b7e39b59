#!/usr/bin/env bash
# End-to-end tests of the ncv command line (ctest label `cli`). Usage: cli_test.sh NCV SOURCE_DIR
set -uo pipefail
ncv=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }

# expect_exit CODE NAME COMMAND... : runs COMMAND, checks its exit status.
expect_exit() {
  local expected=$1 name=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local status=$?
  if [[ $status == "$expected" ]]; then pass "$name"; else fail "$name (exit $status, expected $expected)"; cat "$work/err"; fi
}
# expect_in FILE TEXT NAME
expect_in() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $1"; cat "$1"; fi
}

# train + check on the shipped synthetic configuration
expect_exit 0 "train synthetic-collapse" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/run" --quiet
for file in config.toml manifest.json trajectory.csv trajectory.json checkpoints/final.json checks.json measurements.json reports.json; do
  [[ -s "$work/run/$file" ]] && pass "run directory has $file" || fail "run directory lacks $file"
done
expect_in "$work/run/manifest.json" '"status": "completed"' "manifest records completion"
expect_in "$work/run/checks.json" '"result": "L1"' "L1 verdict from the trajectory"
expect_in "$work/run/measurements.json" 'ncverify.measurement_report/1' "per-layer report of the final state"
expect_exit 0 "check the run directory" "$ncv" check "$work/run" --checker T1
expect_in "$work/out" "T1     explicit   holds" "T1 holds on the trained network"
# certified mode: T1 is proved from the stored weights, and the JSON carries the certificate
expect_exit 0 "certified check" "$ncv" check "$work/run" --certified --out "$work/certified.json"
expect_in "$work/out" "certified: proved at 53 bits" "T1-T3 proved in certified mode"
expect_in "$work/certified.json" '"deciding_bits": 53' "certificate in the JSON"
expect_exit 2 "bad precision ladder" "$ncv" check "$work/run" --certified --precision-ladder 128,64
expect_in "$work/err" "precisions must increase" "precision ladder message"

# resuming from the step-1000 checkpoint reproduces the final weights bit for bit
expect_exit 0 "resume" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/resumed" --quiet \
  --resume "$work/run/checkpoints/step-00001000.json" --no-checks
# (same configuration, same step: the whole checkpoint files must be identical)
if cmp -s "$work/run/checkpoints/final.json" "$work/resumed/checkpoints/final.json"; then
  pass "resumed weights identical"
else
  fail "resumed weights differ"
fi

# errors: exit status 2 and a message naming the problem
printf '[data]\nsource = "gaussian-mixture"\nnoize = 1\n[network]\nwidths = [4, 3]\n[training]\nsteps = 1\nlearning_rate = 0.1\n' >"$work/bad.toml"
expect_exit 2 "unknown key is an error" "$ncv" train "$work/bad.toml" --out "$work/bad"
expect_in "$work/err" "bad.toml:3:9: unknown key data.noize" "unknown key message names file, line and key"
expect_exit 2 "precision out of range" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --precision 5000 --out "$work/p"
expect_in "$work/err" "5000 bits is out of range" "precision message"
expect_exit 2 "existing run directory is refused" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/run" --quiet
expect_in "$work/err" "already holds a run" "existing run directory message"
sed 's/learning_rate = 0.02/learning_rate = 50.0/' "$source_dir/configs/synthetic-collapse.toml" >"$work/diverge.toml"
expect_exit 3 "divergence exits 3" "$ncv" train "$work/diverge.toml" --out "$work/diverged" --quiet
expect_in "$work/err" "training diverged" "divergence message"
[[ -s "$work/diverged/checkpoints/final.json" ]] && pass "diverged run keeps a final checkpoint" || fail "no checkpoint after divergence"

if ((failures)); then echo "$failures cli check(s) failed"; exit 1; fi
echo "all cli checks passed"
