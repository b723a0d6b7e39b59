#!/usr/bin/env bash
# No lost work (docs/robustness.md): `ncv train` killed with SIGKILL at random moments
# leaves only complete checkpoints, and resuming from the newest reproduces the
# uninterrupted run bit for bit, its trajectory and reports included; SIGTERM and SIGINT
# stop cleanly with a final checkpoint, and a second SIGINT skips the final checkers.
# Usage: kill_resume_test.sh NCV SOURCE_DIR. The kill moments are drawn from
# NCV_KILL_SEED (printed; set it to replay a failure).
set -uo pipefail
ncv=$1
source_dir=$2
source "$(dirname "$0")/common.sh"
seed=${NCV_KILL_SEED:-$RANDOM}
echo "kill moments from NCV_KILL_SEED=$seed"
RANDOM=$seed

# synthetic-collapse (5,000 steps) with a checkpoint every 100 steps
sed 's/^checkpoint_every = 1000/checkpoint_every = 100/' "$source_dir/configs/synthetic-collapse.toml" >"$work/run.toml"
grep -q "checkpoint_every = 100$" "$work/run.toml" || { echo "setup: could not set checkpoint_every"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
start=$(now_ms)
expect_exit 0 "uninterrupted run" "$ncv" train "$work/run.toml" --out "$work/reference" --quiet --no-checks
duration=$(($(now_ms) - start))
echo "uninterrupted run: $duration ms"

# checkpoints_are_complete DIR NAME: every checkpoint in DIR loads (ncv check reads it).
checkpoints_are_complete() {
  local checkpoint
  for checkpoint in "$1"/checkpoints/*.json; do
    [[ -e "$checkpoint" ]] || continue
    "$ncv" check "$checkpoint" --checker T1 >/dev/null 2>"$work/check.err" ||
      { fail "$2: $(basename "$checkpoint") does not load: $(head -c 300 "$work/check.err")"; return; }
  done
  pass "$2: every checkpoint on disk loads"
}

# the files of a resumed run that must equal the uninterrupted run's (the history before
# the checkpoint is continued from the killed run's directory)
run_files=(checkpoints/final.json trajectory.csv trajectory.json reports.json)

resumed_runs=0
for kill in 1 2 3 4 5 6; do
  delay_ms=$((duration * (5 + RANDOM % 90) / 100))
  dir="$work/killed-$kill"
  "$ncv" train "$work/run.toml" --out "$dir" --quiet --no-checks &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  newest=$(ls "$dir"/checkpoints/step-*.json 2>/dev/null | sort | tail -1)
  echo "kill $kill after $delay_ms ms: newest checkpoint $([[ -n "$newest" ]] && basename "$newest" || echo none)"
  checkpoints_are_complete "$dir" "kill $kill"
  [[ -n "$newest" ]] || continue
  resumed_runs=$((resumed_runs + 1))
  expect_exit 0 "kill $kill: resume" "$ncv" train "$work/run.toml" --resume "$newest" --out "$dir-resumed" --quiet --no-checks
  expect_same_files "$work/reference" "$dir-resumed" "kill $kill: resumed" "${run_files[@]}"
done
((resumed_runs >= 2)) && pass "$resumed_runs kills hit a run with checkpoints" ||
  fail "only $resumed_runs kills came after the first checkpoint (the run took $duration ms)"

# SIGTERM and SIGINT: exit 130, a final checkpoint, the manifest says interrupted; resuming
# from that final checkpoint reproduces the uninterrupted run.
for signal in TERM INT; do
  dir="$work/signal-$signal"
  "$ncv" train "$work/run.toml" --out "$dir" --quiet --no-checks &
  pid=$!
  sleep "$(printf '0.%03d' $((duration * 40 / 100 % 1000)))"
  kill -"$signal" "$pid"
  wait "$pid"
  status=$?
  if [[ $status == 130 ]]; then pass "SIG$signal: exit status 130"
  elif [[ $status == 0 ]]; then echo "SIG$signal arrived after the run ended; nothing to check"; continue
  else fail "SIG$signal: exit status $status, expected 130"; fi
  expect_in "$dir/manifest.json" '"status": "interrupted"' "SIG$signal: manifest records the interruption"
  checkpoints_are_complete "$dir" "SIG$signal"
  expect_exit 0 "SIG$signal: resume" "$ncv" train "$work/run.toml" --resume "$dir/checkpoints/final.json" \
    --out "$dir-resumed" --quiet --no-checks
  expect_same_files "$work/reference" "$dir-resumed" "SIG$signal: resumed" "${run_files[@]}"
done
# A stop signal while the final checkers run (the second Ctrl-C) skips them and says so; the
# progress of the checkers is shown. tests/cli/wide.toml has checkers that take seconds
# (T6's Lanczos iteration); here with more steps than it will run.
sed 's/^steps = 6$/steps = 1000000/' "$(dirname "$0")/wide.toml" >"$work/slow-checks.toml"
grep -q "steps = 1000000" "$work/slow-checks.toml" || { echo "setup: could not set the steps"; exit 1; }
# wait_for FILE TEXT SECONDS: true once FILE contains TEXT, false after SECONDS.
wait_for() {
  local i
  for ((i = 0; i < $3 * 20; i++)); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
dir="$work/second-interrupt"
"$ncv" train "$work/slow-checks.toml" --out "$dir" >"$work/second.out" 2>"$work/second.err" &
pid=$!
wait_for "$work/second.err" "step " 60 || fail "second interrupt: no progress line from training"
kill -INT "$pid"
if wait_for "$work/second.err" "checking the final state: T1 (1/" 60; then
  pass "second interrupt: the final checkers' progress is shown"
  kill -INT "$pid"
else
  fail "second interrupt: no progress line of the final checkers"
fi
wait "$pid"
status=$?
[[ $status == 130 ]] && pass "second interrupt: exit status 130" || fail "second interrupt: exit status $status, expected 130"
expect_in "$work/second.err" "ncv: interrupted: the final checkers are skipped; $dir keeps the final checkpoint (ncv check $dir runs them)" \
  "second interrupt: says the checks are skipped"
[[ ! -e "$dir/checks.json" ]] && pass "second interrupt: no checks.json" || fail "second interrupt: checks.json written"
expect_in "$dir/manifest.json" '"status": "interrupted"' "second interrupt: manifest records the interruption"
checkpoints_are_complete "$dir" "second interrupt"
leftovers=$(find "$dir" -name '.*.tmp.*' | wc -l)
((leftovers == 0)) && pass "second interrupt: no temporary file left" || fail "second interrupt: $leftovers temporary files left"
finish kill_and_resume
