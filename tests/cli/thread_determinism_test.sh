#!/usr/bin/env bash
# Determinism across thread counts (docs/robustness.md): a run trained with 1 and with 2
# threads writes byte-identical checkpoints, trajectories, measurements, reports and
# verdicts. The network (200-256-64-4 on 400 samples) is large enough that the products
# are split into several panels and computed on both threads (linalg/product.hpp); with
# Eigen's parallel GEMM (before the panels) its gradient products, of depth N = 400,
# differed between 1 and 2 threads in most entries (measured on 512x400 times 400x300:
# 131,437 of 153,600 entries).
# Usage: thread_determinism_test.sh NCV
set -uo pipefail
ncv=$1
source "$(dirname "$0")/common.sh"
cat >"$work/run.toml" <<'TOML'
[run]
name = "threads"
record_every = 2
checkpoint_every = 4
report_every = 5
[data]
source = "gaussian-mixture"
input_dim = 200
num_classes = 4
samples_per_class = 100
[network]
widths = [256, 64, 4]
nonlinear_layers = 1
[training]
[[training.phases]]
steps = 6
learning_rate = 0.01
[[training.phases]]
steps = 4
learning_rate = 0.01
weight_decay = 0.01
TOML
for threads in 1 2; do
  expect_exit 0 "train with $threads thread(s)" "$ncv" train "$work/run.toml" --out "$work/t$threads" --threads "$threads" --quiet
done
for file in checkpoints/step-00000004.json checkpoints/final.json trajectory.csv trajectory.json measurements.json reports.json checks.json; do
  cmp -s "$work/t1/$file" "$work/t2/$file" && pass "$file identical" || fail "$file differs between 1 and 2 threads"
done
finish threads
