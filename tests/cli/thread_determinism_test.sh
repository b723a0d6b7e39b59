#!/usr/bin/env bash
# Determinism across thread counts (docs/robustness.md): a run trained with 1, with 2 and
# with 3 threads (more threads than the 2 cores of the project's machines: a different
# assignment of the panels to threads) writes byte-identical checkpoints, trajectories,
# measurements, reports and verdicts (but for the verdicts' time stamps). The network
# (200-256-64-4 on 400 samples) is large enough that the products are split into several
# panels, each one single-threaded OpenBLAS dgemm, and computed on all threads
# (linalg/product.hpp, linalg/blas_product.hpp); with Eigen's parallel GEMM (before the
# panels) its gradient products, of depth N = 400, differed between 1 and 2 threads in
# most entries (measured on 512x400 times 400x300: 131,437 of 153,600 entries).
# Usage: thread_determinism_test.sh NCV
set -uo pipefail
ncv=$1
source "$(dirname "$0")/common.sh"
cp "$(dirname "$0")/wide.toml" "$work/run.toml"  # 200-256-64-4 on 400 samples, 10 steps
for threads in 1 2 3; do
  expect_exit 0 "train with $threads thread(s)" "$ncv" train "$work/run.toml" --out "$work/t$threads" --threads "$threads" --quiet
done
for threads in 2 3; do
  for file in checkpoints/step-00000004.json checkpoints/final.json trajectory.csv trajectory.json measurements.json reports.json; do
    cmp -s "$work/t1/$file" "$work/t$threads/$file" && pass "$file identical with 1 and $threads threads" ||
      fail "$file differs between 1 and $threads threads"
  done
  # checks.json: identical but for the time each verdict was computed
  cmp -s <(jq 'del(.checked[].time)' "$work/t1/checks.json") <(jq 'del(.checked[].time)' "$work/t$threads/checks.json") &&
    pass "checks.json identical with 1 and $threads threads (but for the times)" ||
    fail "checks.json differs between 1 and $threads threads"
done
finish threads
