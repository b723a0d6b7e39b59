#!/usr/bin/env bash
# Peer comparison: one full-batch gradient-descent step of ncverify (double) against
# PyTorch float64 on the CPU, same network, data, initial weights, loss, weight decay,
# step size and thread count. One command, from anywhere in the repository:
#
#   bench/peer/compare_pytorch.sh
#
# What it does:
#   1. installs python3-torch (Debian 12 package) and libopenblas0-pthread with apt-get
#      when missing (Debian's python3-torch links libblas.so.3, which is the netlib
#      reference BLAS unless an optimised BLAS is installed: comparing against it would
#      be unfair to PyTorch);
#   2. builds export_problem and ncverify_gd (scripts/build.sh release, or in
#      $NCV_BENCH_BUILD_DIR when set, a directory already configured with CMake);
#   3. exports each problem (bench_problems.hpp: small, reference, large) with
#      export_problem: X, one-hot Y and the initial weights in an .npz, the rest in JSON;
#   4. for each problem, alternates runs A B A B ... ($RUNS of each): A = ncverify_gd,
#      B = pytorch_gd.py. The first pair runs $CHECK_STEPS steps (100) and is also the
#      agreement check; the other pairs run the problem's timing step count;
#   5. the timing split of one step (step_profile, pytorch_gd.py --profile) on
#      $PROFILE_PROBLEMS, alternated as well: where the time goes on each side;
#   6. bench/peer/summarize.py: median time per step (wall and process CPU) over the
#      steps of a run, median over runs, the ratio ncverify/PyTorch, and the agreement
#      check: |C_lambda(theta_100) ncverify - PyTorch| <= 1e-10 relative, asserted (exit
#      status 1 when it fails); results in $OUT_DIR/peer.md and peer.json.
#
# Environment (all optional):
#   THREADS=1                  threads of both sides (OpenMP/Eigen; torch.set_num_threads,
#                              OMP_NUM_THREADS, OPENBLAS_NUM_THREADS)
#   PROBLEMS="small reference large"
#   RUNS=3                     runs of each side per problem (>= 3 for the medians)
#   CHECK_STEPS=100
#   PROFILE_PROBLEMS=reference, PROFILE_REPEATS=5   ("" skips the timing split)
#   NCV_OPENBLAS_CORETYPE=SkylakeX   OpenBLAS kernel forced for PyTorch (OpenBLAS 0.3.21
#                              does not know every CPU; see shared/notes/MULTIPRECISION.md);
#                              "auto" leaves OpenBLAS's own detection. Whatever it is, it
#                              is exported identically to both sides and reported.
#   OUT_DIR=<build dir>/bench-results/peer
#   NCV_BENCH_BUILD_DIR        use this configured build directory instead of build/release
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

threads=${THREADS:-1}
problems=${PROBLEMS:-"small reference large"}
runs=${RUNS:-3}
check_steps=${CHECK_STEPS:-100}
profile_problems=${PROFILE_PROBLEMS-reference}
profile_repeats=${PROFILE_REPEATS:-5}
python=/usr/bin/python3  # Debian's python3-torch lives in the system interpreter, not in pyenv's
openblas_dir=/usr/lib/x86_64-linux-gnu/openblas-pthread

timing_steps() {
  case $1 in
    small) echo 100 ;;
    reference) echo 20 ;;
    *) echo 10 ;;
  esac
}

# 1. PyTorch and an optimised BLAS.
missing=()
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then missing+=(python3-torch python3-numpy); fi
if [[ ! -e $openblas_dir/libblas.so.3 ]]; then missing+=(libopenblas0-pthread); fi
if ((${#missing[@]})); then
  echo "compare_pytorch: installing ${missing[*]} with apt-get" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
fi

# 2. The ncverify programs.
if [[ -n ${NCV_BENCH_BUILD_DIR:-} ]]; then
  build_dir=$NCV_BENCH_BUILD_DIR
  cmake --build "$build_dir" --target export_problem ncverify_gd step_profile >&2
else
  build_dir=$root/build/release
  scripts/build.sh release export_problem ncverify_gd step_profile >&2
fi
out_dir=${OUT_DIR:-$build_dir/bench-results/peer}
rm -rf "$out_dir/runs"
mkdir -p "$out_dir/problems" "$out_dir/runs"

# 3. The shared problems.
for problem in $problems; do
  "$build_dir/bench/peer/export_problem" "$problem" "$out_dir/problems" >&2
done

# 4. Alternating runs, with the same environment for both sides.
coretype=${NCV_OPENBLAS_CORETYPE:-SkylakeX}
if [[ $coretype == auto ]]; then unset OPENBLAS_CORETYPE; else export OPENBLAS_CORETYPE=$coretype; fi
export OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
echo "compare_pytorch: threads=$threads OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset: auto-detected>}" >&2
for problem in $problems; do
  description=$out_dir/problems/$problem.json
  for ((run = 1; run <= runs; ++run)); do
    steps=$(timing_steps "$problem")
    ((run == 1)) && steps=$check_steps
    echo "compare_pytorch: $problem run $run/$runs: ncverify, then PyTorch ($steps steps each)" >&2
    "$build_dir/bench/peer/ncverify_gd" "$description" "$steps" "$threads" >"$out_dir/runs/$problem-ncverify-$run.json"
    LD_LIBRARY_PATH=$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
      "$python" bench/peer/pytorch_gd.py "$description" "$steps" "$threads" >"$out_dir/runs/$problem-pytorch-$run.json"
  done
done

# 5. Timing split of a step.
for problem in $profile_problems; do
  description=$out_dir/problems/$problem.json
  [[ -e $description ]] || "$build_dir/bench/peer/export_problem" "$problem" "$out_dir/problems" >&2
  echo "compare_pytorch: $problem timing split ($profile_repeats repeats): ncverify, then PyTorch" >&2
  "$build_dir/bench/peer/step_profile" "$description" "$profile_repeats" "$threads" >"$out_dir/runs/$problem-ncverify-profile.json"
  LD_LIBRARY_PATH=$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    "$python" bench/peer/pytorch_gd.py "$description" "$profile_repeats" "$threads" --profile \
    >"$out_dir/runs/$problem-pytorch-profile.json"
done

# 6. Medians, ratios, agreement.
# shellcheck disable=SC2086  # word splitting of the problem lists is intended
"$python" bench/peer/summarize.py "$out_dir" --check-steps "$check_steps" --problems $problems \
  ${profile_problems:+--profile-problems $profile_problems}
