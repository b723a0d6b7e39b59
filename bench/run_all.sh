#!/usr/bin/env bash
# Runs every benchmark of bench/ and the PyTorch comparison, then regenerates the
# results section of bench/README.md (between its bench-results markers). One command:
#
#   bench/run_all.sh
#
# Takes ~10-15 minutes on the project's 2-core machine (plus the build the first time).
# Builds with scripts/build.sh release (build/release), or in $NCV_BENCH_BUILD_DIR when
# set (a directory already configured with CMake). Results (Google Benchmark JSON, the
# peer runs, machine.json, tables.md) go to <build dir>/bench-results/.
#
# Environment (all optional):
#   THREADS=1       threads of every benchmark and of both sides of the peer comparison
#                   (OMP_NUM_THREADS; the machine has 2 cores and is usually shared)
#   SKIP_PEER=1     skip bench/peer/compare_pytorch.sh (its table is then left out)
#   PEER_EXTRA_THREADS="2"   additional peer runs at these thread counts (reference problem
#                   only, with its timing split; default none: 2-thread timings mean
#                   something only on an idle machine, see bench/README.md)
#   NCV_OPENBLAS_CORETYPE, RUNS, PROBLEMS   passed to compare_pytorch.sh
#
# Nothing here is a test: no benchmark is registered with ctest or run by CI, and no
# timing is asserted. (The peer script asserts that both trajectories agree.)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)
load_before=$(cat /proc/loadavg)
threads=${THREADS:-1}
python=/usr/bin/python3

targets=(linalg_bench training_bench scaling_bench metrics_bench checkers_bench export_problem ncverify_gd step_profile)
if [[ -n ${NCV_BENCH_BUILD_DIR:-} ]]; then
  build_dir=$NCV_BENCH_BUILD_DIR
  cmake --build "$build_dir" --target "${targets[@]}"
else
  build_dir=$root/build/release
  scripts/build.sh release "${targets[@]}"
fi
results=$build_dir/bench-results
mkdir -p "$results"
bench=$build_dir/bench
export OMP_NUM_THREADS=$threads

run() {  # run NAME PROGRAM [ARGS...]: console output to the terminal, JSON to $results/NAME.json
  local name=$1 program=$2
  shift 2
  echo "== $name: $program $*"
  "$bench/$program" --benchmark_out="$results/$name.json" --benchmark_out_format=json "$@"
}

# Products: several repetitions, randomly interleaved (A B A B), medians.
run linalg linalg_bench --benchmark_filter='^product_' --benchmark_min_time=0.2 \
  --benchmark_repetitions=3 --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
# GD step vs precision (the reference problem at 113, 256, 1024 bits: one step each, ~3-4 min in all).
run training training_bench --benchmark_filter='gd_step_(small|medium|reference)/'
run scaling scaling_bench
run metrics metrics_bench
run checkers checkers_bench

# Where a step spends its time: the medium problem in double and in MPFR, and the small
# and reference problems at 256 bits (the MPFR target is on the share of the products).
# PROBLEM:PRECISION:REPEATS; the reference problem at 256 bits costs ~1 min per repeat.
mkdir -p "$results/problems"
for problem in small medium reference; do
  "$bench/peer/export_problem" "$problem" "$results/problems" >/dev/null
done
for spec in medium:double:20 small:256:5 medium:256:3 reference:256:1 medium:1024:2; do
  IFS=: read -r problem precision repeats <<<"$spec"
  echo "== profile: step_profile $problem $precision ($repeats repeats)"
  "$bench/peer/step_profile" "$results/problems/$problem.json" "$repeats" "$threads" "$precision" \
    >"$results/profile-$problem-$precision.json"
done

rm -rf "$results/peer" "$results/peer-threads-"*
if [[ ${SKIP_PEER:-0} != 1 ]]; then
  echo "== peer: bench/peer/compare_pytorch.sh (THREADS=$threads)"
  THREADS=$threads OUT_DIR=$results/peer NCV_BENCH_BUILD_DIR=$build_dir bench/peer/compare_pytorch.sh
  # The same comparison with more threads, reference problem only, with its timing split
  # (indicative only on a machine with few, shared cores).
  for extra in ${PEER_EXTRA_THREADS:-}; do
    [[ $extra == "$threads" ]] && continue
    echo "== peer: bench/peer/compare_pytorch.sh (THREADS=$extra, reference problem)"
    THREADS=$extra PROBLEMS=reference PROFILE_PROBLEMS=reference OUT_DIR=$results/peer-threads-$extra \
      NCV_BENCH_BUILD_DIR=$build_dir bench/peer/compare_pytorch.sh
  done
fi

load_after=$(cat /proc/loadavg)
LOAD_BEFORE=$load_before LOAD_AFTER=$load_after THREADS=$threads ELAPSED=$(($(date +%s) - started)) \
  "$python" - "$results/machine.json" <<'EOF'
import json, os, platform, subprocess, sys

def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'

lscpu = dict(line.split(':', 1) for line in command('lscpu').splitlines() if ':' in line)
lscpu = {k.strip(): v.strip() for k, v in lscpu.items()}
os_name = 'unknown'
if os.path.exists('/etc/os-release'):
    for line in open('/etc/os-release'):
        if line.startswith('PRETTY_NAME='):
            os_name = line.split('=', 1)[1].strip().strip('"')
json.dump({
    'date': command('date', '-u', '+%Y-%m-%d %H:%M:%S UTC'),
    'commit': command('git', 'rev-parse', '--short', 'HEAD'),
    'cpu_model': lscpu.get('Model name', platform.processor()),
    'cores': int(lscpu.get('CPU(s)', '0')),
    'threads_per_core': lscpu.get('Thread(s) per core', '?'),
    'os': os_name,
    'compiler': command('g++', '--version').splitlines()[0],
    'threads': int(os.environ['THREADS']),
    'loadavg_before': os.environ['LOAD_BEFORE'],
    'loadavg_after': os.environ['LOAD_AFTER'],
    'elapsed_seconds': float(os.environ['ELAPSED']),
}, open(sys.argv[1], 'w'), indent=1)
EOF
"$python" bench/make_tables.py "$results" bench/README.md >/dev/null
echo "== tables written to bench/README.md and $results/tables.md ($(($(date +%s) - started)) s)"
