#!/usr/bin/env bash
# End-to-end tests of the ncv command line (ctest label `cli`). Usage: cli_test.sh NCV SOURCE_DIR
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"

# train + check on the shipped synthetic configuration
expect_exit 0 "train synthetic-collapse" "$ncv" train "$source_dir/configs/synthetic-collapse.toml" --out "$work/run" --quiet
for file in config.toml manifest.json trajectory.csv trajectory.json checkpoints/final.json checks.json measurements.json reports.json; do
  [[ -s "$work/run/$file" ]] && pass "run directory has $file" || fail "run directory lacks $file"
done
expect_in "$work/run/manifest.json" '"status": "completed"' "manifest records completion"
expect_in "$work/run/manifest.json" '"blas_kernel": "OpenBLAS' "manifest records the kernel of the double products"
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

finish cli
