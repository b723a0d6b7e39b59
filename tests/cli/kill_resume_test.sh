#!/usr/bin/env bash
# No lost work (docs/robustness.md): `ncv train` killed with SIGKILL at random moments
# leaves only complete checkpoints, and resuming from the newest reproduces the
# uninterrupted run bit for bit; SIGTERM and SIGINT stop cleanly with a final checkpoint.
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
  cmp -s "$work/reference/checkpoints/final.json" "$dir-resumed/checkpoints/final.json" &&
    pass "kill $kill: resumed run identical to the uninterrupted one" ||
    fail "kill $kill: resumed final checkpoint differs from the uninterrupted run's"
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
  cmp -s "$work/reference/checkpoints/final.json" "$dir-resumed/checkpoints/final.json" &&
    pass "SIG$signal: resumed run identical to the uninterrupted one" ||
    fail "SIG$signal: resumed final checkpoint differs"
done
finish kill_and_resume
