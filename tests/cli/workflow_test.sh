#!/usr/bin/env bash
# The workflow of a user across commands (ctest label `cli`): verdicts of successive
# `ncv train` / `ncv check` runs merge in checks.json, resumed runs continue their history,
# a checkpoint is checked with the lambda and eta it was trained with. Usage:
# workflow_test.sh NCV SOURCE_DIR
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"
config="$source_dir/configs/synthetic-collapse.toml"
# json_value FILE EXPRESSION: a jq expression on FILE, printed compactly.
json_value() { jq -c "$2" "$1" 2>/dev/null; }
# expect_json FILE EXPRESSION EXPECTED NAME: the jq expression on FILE prints EXPECTED.
expect_json() {
  local value
  value=$(json_value "$1" "$2")
  [[ $value == "$3" ]] && pass "$4" || fail "$4: $2 is '$value' in $1, expected '$3'"
}

# ---- checks.json merges the verdicts of successive commands (issue 22, item 1) ---------
expect_exit 0 "train synthetic-collapse" "$ncv" train "$config" --out "$work/run" --quiet
checks="$work/run/checks.json"
expect_json "$checks" '[.verdicts[].result] | sort' '["L1","T1","T2","T3","T5","T6"]' "train writes every verdict"
expect_json "$checks" '.checked.L1.command' '"ncv train"' "L1 recorded as written by ncv train"
expect_json "$checks" '.checked.T6.options' '{"learning_rate":0.02,"weight_decay":0.02}' "T6's lambda and eta recorded"
expect_json "$checks" '.checked.T1.checkpoint' '"checkpoints/final.json"' "checkpoint recorded relative to the run"
l1_before=$(json_value "$checks" '.verdicts[] | select(.result == "L1")')
expect_exit 0 "check T1 again with an explicit eps1" "$ncv" check "$work/run" --checker T1 --eps1 0.5
expect_json "$checks" '[.verdicts[].result] | sort' '["L1","T1","T2","T3","T5","T6"]' "ncv check keeps the other verdicts"
[[ $(json_value "$checks" '.verdicts[] | select(.result == "L1")') == "$l1_before" ]] &&
  pass "the L1 verdict of ncv train is kept unchanged" || fail "the L1 verdict changed"
expect_json "$checks" '.checked.L1.command' '"ncv train"' "L1 still recorded as ncv train's"
expect_json "$checks" '.checked.T1.command' '"ncv check"' "T1 replaced by ncv check's"
expect_json "$checks" '.checked.T1.options' '{"epsilon1":0.5}' "T1's options recorded"
expect_json "$checks" '[.verdicts[] | select(.result == "T1")] | length' '1' "one T1 verdict, not two"
json_value "$checks" '.checked.T1.time' | grep -qE '^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"$' &&
  pass "T1's time recorded" || fail "T1's time is '$(json_value "$checks" '.checked.T1.time')'"
expect_exit 0 "report after the check" "$ncv" report "$work/run" --quiet
expect_in "$work/run/report/report.html" "<td><b>L1</b></td>" "the report still has the L1 row"
echo '{"not": "a checks file"}' >"$work/other.json"
expect_exit 2 "--out onto a file that is not a checks file" "$ncv" check "$work/run" --checker T1 --out "$work/other.json"
expect_in "$work/err" "$work/other.json: key 'verdicts' is missing" "message names the file"

# ---- a resumed run continues the history of its run (item 3) ---------------------------
history=(trajectory.csv trajectory.json reports.json)
expect_exit 0 "resume from step 1000 into a new directory" "$ncv" train "$config" --quiet --no-checks \
  --resume "$work/run/checkpoints/step-00001000.json" --out "$work/resumed"
expect_same_files "$work/run" "$work/resumed" "resumed into a new directory" "${history[@]}"
expect_json "$work/resumed/manifest.json" '.resumed_from.history' "\"$work/run\"" "manifest names the run whose history is kept"
cp -r "$work/run" "$work/again"
rm -rf "$work/again/report"
expect_exit 2 "resume into an existing run without --force" "$ncv" train "$config" --quiet \
  --resume "$work/again/checkpoints/step-00002000.json" --out "$work/again"
expect_in "$work/err" "already holds a run (manifest.json); add --force to resume into it" "the refusal names --force"
for step in 00002000 00003000; do
  expect_exit 0 "resume into the run itself from step $step (--force)" "$ncv" train "$config" --quiet --force \
    --resume "$work/again/checkpoints/step-$step.json" --out "$work/again"
done
expect_same_files "$work/run" "$work/again" "resumed twice into the run itself" "${history[@]}" checkpoints/final.json
expect_json "$work/again/checks.json" '[.verdicts[].result] | sort' '["L1","T1","T2","T3","T5","T6"]' \
  "the resumed run's checks.json keeps every verdict"
expect_exit 0 "report on the twice resumed run" "$ncv" report "$work/again" --quiet
records=$(grep -oE '[0-9]+ records' "$work/run/report/report.html" | head -1)
expect_in "$work/again/report/report.html" "$records" "the report of the twice resumed run has the $records"

# ---- a checkpoint is checked with the lambda and eta of its step (item 5) --------------
# synthetic-collapse: steps 0-2999 without weight decay (eta 0.02), then lambda = 0.02.
expect_exit 0 "check T6 on the step-1000 checkpoint" "$ncv" check "$work/run/checkpoints/step-00001000.json" \
  --checker T6 --out "$work/t6.json"
expect_json "$work/t6.json" '.checked.T6.options' '{"learning_rate":0.02,"weight_decay":0}' \
  "T6 at step 1000 uses lambda = 0 of the phase without weight decay"
expect_json "$work/t6.json" '.verdicts[0].hypotheses[] | select(.name == "weight decay") | .measured' '0' \
  "the T6 verdict's lambda is 0"
expect_exit 0 "check T6 on the final checkpoint" "$ncv" check "$work/run" --checker T6 --out "$work/t6-final.json"
expect_json "$work/t6-final.json" '.checked.T6.options.weight_decay' '0.02' "T6 at the end uses lambda = 0.02"

# ---- small items (item 8) ---------------------------------------------------------------
expect_exit 0 "train with text output" "$ncv" train "$config" --out "$work/text" --no-checks
[[ $(head -1 "$work/out") == "completed 5000 steps" ]] && pass "the first line says 'completed 5000 steps'" ||
  fail "first line is '$(head -1 "$work/out")'"
expect_exit 0 "train --json" "$ncv" train "$config" --out "$work/json-run" --json
expect_json "$work/out" '.status' '"completed"' "--json: status"
expect_json "$work/out" '[.verdicts[].result] | sort' '["L1","T1","T2","T3","T5","T6"]' "--json: every verdict"
expect_json "$work/out" '[.verdicts[].status | type] | unique' '["string"]' "--json: each verdict's status"
expect_json "$work/out" '.verdicts[] | select(.result == "T1") | .status' \
  "$(json_value "$work/json-run/checks.json" '.verdicts[] | select(.result == "T1") | .status')" "--json: T1's status as in checks.json"
expect_json "$work/out" '.nc.layer' '4' "--json: NC of H_4, the features W_5 reads"
expect_json "$work/out" '.nc.nc1_trace_ratio' \
  "$(json_value "$work/json-run/measurements.json" '.layers[3].features.nc1_trace_ratio.value')" "--json: NC1 as in measurements.json"
expect_json "$work/out" '[.nc.nc2_simplex_etf_error, .nc.nc3_centred_self_duality] | map(type)' '["number","number"]' \
  "--json: NC2 and NC3 values"
expect_exit 0 "certified check (JSON)" "$ncv" check "$work/run" --certified --json --out "$work/certified.json"
certified=$(json_value "$work/out" '[.[] | select(.certificate) | .result]')
[[ $certified == '["T1","T2","T3","T5"]' ]] && pass "T1-T3 and T5 are certified" || fail "certified verdicts: $certified"
expect_in "$source_dir/README.md" "each verdict of T1–T3 and T5 also carries a certificate" "the README names T1-T3 and T5"
sed 's/^nonlinear_layers = 1/nonlinear_layers = 2/' "$(dirname "$0")/tiny.toml" >"$work/head1.toml"
expect_exit 0 "train a network with a one-layer head" "$ncv" train "$work/head1.toml" --out "$work/head1" --quiet --no-checks
expect_exit 0 "export its head" "$ncv" export "$work/head1" --out "$work/head1.npz" --layout head
expect_exit 0 "check the imported one-layer head" "$ncv" check --import "$work/head1.json"
expect_in "$work/out" "(1 layer) on supplied features H" "'1 layer', not '1 layers'"

# ---- loss_scale = "mean" is the sum-scale run with eta / N and lambda * N (item 7) ------
# tiny.toml: N = 4 samples (a power of 2: the conversion is exact), eta = 0.1, lambda = 0.01.
tiny="$(dirname "$0")/tiny.toml"
sed 's/^\[training\]$/[training]\nloss_scale = "mean"/; s/^learning_rate = 0.1$/learning_rate = 0.4/; s/^weight_decay = 0.01$/weight_decay = 0.0025/' \
  "$tiny" >"$work/mean.toml"
grep -q 'loss_scale = "mean"' "$work/mean.toml" && grep -q "learning_rate = 0.4" "$work/mean.toml" || fail "setup: mean.toml"
expect_exit 0 "train tiny (sum scale)" "$ncv" train "$tiny" --out "$work/sum-scale" --quiet
expect_exit 0 "train tiny with loss_scale = mean, eta * 4, lambda / 4" "$ncv" train "$work/mean.toml" --out "$work/mean-scale" --quiet
expect_same_files "$work/sum-scale" "$work/mean-scale" "mean scale" trajectory.csv measurements.json
expect_json "$work/mean-scale/manifest.json" '[.loss_scale, .phases[0].learning_rate, .phases[0].weight_decay]' \
  '["mean",0.1,0.01]' "the manifest records the scale and the sum-scale phases"
expect_json "$work/mean-scale/checks.json" '.checked.T6.options' '{"learning_rate":0.1,"weight_decay":0.01}' \
  "T6 receives the sum-scale lambda and eta"
expect_exit 0 "ncv check on the mean-scale run" "$ncv" check "$work/mean-scale" --checker T6
expect_json "$work/mean-scale/checks.json" '.checked.T6.options' '{"learning_rate":0.1,"weight_decay":0.01}' \
  "ncv check gives T6 the sum-scale lambda and eta"

finish workflow
