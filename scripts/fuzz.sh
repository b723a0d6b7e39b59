#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz, docs/robustness.md "Fuzzing").
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [TARGET...]
#
# Builds the `fuzz` preset (clang, ASan + UBSan, libFuzzer) and fuzzes each TARGET
# (default: all seven) for N seconds (default 60), J targets at a time (default: the
# number of cores). Each target starts from its committed seed corpus and regressions
# (tests/fuzz/corpus/<target>, tests/fuzz/regressions/<target>, read only); the inputs it
# finds go to build/fuzz/corpus/<target>, crashes to build/fuzz/crashes/<target>/.
# Prints a table (target, seconds, executions, executions per second, corpus size, crashes)
# and writes it to build/fuzz/summary.md. Exit status 1 when any target crashed; the
# crash input then belongs in tests/fuzz/regressions/<target>/ with the fix.
#
# libFuzzer options: -malloc_limit_mb=512 (an input of a few KB that makes a reader
# allocate half a GiB trusted a header's size: reported as a crash), -rss_limit_mb=2048,
# -timeout=10 (a single input taking 10 s is a hang).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
jobs=$(nproc)
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
# the targets: one tests/fuzz/<target>_fuzz.cpp each (the list tests/fuzz/CMakeLists.txt builds)
all_targets=($(cd tests/fuzz && ls ./*_fuzz.cpp | sed 's|^\./||; s|_fuzz\.cpp$||'))
((${#targets[@]})) || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target $target (one of: ${all_targets[*]})" >&2; exit 2; }
done
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
out=build/fuzz
mkdir -p "$out/logs"

run_target() {
  local target=$1
  mkdir -p "$out/corpus/$target" "$out/crashes/$target"
  "$out/tests/fuzz/fuzz_$target" "$out/corpus/$target" "tests/fuzz/corpus/$target" "tests/fuzz/regressions/$target" \
    -max_total_time="$seconds" -print_final_stats=1 -malloc_limit_mb=512 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$out/crashes/$target/" >"$out/logs/$target.log" 2>&1 || true
}
export -f run_target
export out seconds
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_target {}'

crashed=0
{
  echo "| target | seconds | executions | exec/s | corpus | crashes |"
  echo "|---|---:|---:|---:|---:|---:|"
  for target in "${targets[@]}"; do
    log="$out/logs/$target.log"
    stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    crashes=$(find "$out/crashes/$target" -type f | wc -l)
    ((crashes == 0)) || crashed=1
    echo "| $target | $seconds | $(stat number_of_executed_units) | $(stat average_exec_per_sec) |" \
         "$(find "$out/corpus/$target" -type f | wc -l) | $crashes |"
  done
} | tee "$out/summary.md"
if ((crashed)); then
  echo "fuzz.sh: crashes found; inputs under $out/crashes/, logs under $out/logs/" >&2
  for target in "${targets[@]}"; do
    if [[ -n "$(find "$out/crashes/$target" -type f)" ]]; then
      echo "---- $target" >&2
      grep -m1 -B2 -A12 -E "ERROR|invariant|terminate" "$out/logs/$target.log" >&2 || tail -20 "$out/logs/$target.log" >&2
    fi
  done
  exit 1
fi
